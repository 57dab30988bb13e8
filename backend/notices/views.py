"""Announcements as both doors show them (the staff API, the console)."""

from __future__ import annotations

import json

from backend.core.actors import persisted_id
from backend.notices.models import Notice
from backend.notices.schemas import Audience, NoticePublic


def to_public(notice: Notice) -> NoticePublic:
    audience = json.loads(notice.audience)
    return NoticePublic(
        id=persisted_id(notice),
        kind=notice.kind,
        title=notice.title,
        body=notice.body,
        category=notice.category,
        urgent=notice.urgent,
        audience=Audience.model_validate(
            {k: v for k, v in audience.items() if k in Audience.model_fields}
        ),
        include_family=notice.include_family,
        status=notice.status,
        send_at=notice.send_at,
        sent_at=notice.sent_at,
        withdrawn_at=notice.withdrawn_at,
        recipients_total=notice.recipients_total,
        created_at=notice.created_at,
        version=notice.version,
    )
