"""Reading and writing a submission row: JSON answers, version claims, who submitted."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Select
from sqlalchemy import update as sa_update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from backend.accounts.models import Retiree
from backend.checkin.models import CheckinCampaign, CheckinSubmission, ContactLog
from backend.core.actors import persisted_id
from backend.core.clock import Clock
from backend.core.errors import Conflict


def load_json(value: str | None) -> dict[str, Any]:
    if not value:
        return {}
    data = json.loads(value)
    return data if isinstance(data, dict) else {}


def dump_json(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def find(db: Session, campaign_id: int, retiree_id: int) -> CheckinSubmission | None:
    return db.exec(
        select(CheckinSubmission).where(
            CheckinSubmission.campaign_id == campaign_id,
            CheckinSubmission.retiree_id == retiree_id,
        )
    ).first()


def of_campaign(
    db: Session, campaign_id: int, retiree_ids: Select[Any]
) -> dict[int, CheckinSubmission]:
    """The campaign's rows of the retirees `retiree_ids` selects (accounts' `ids_under`), by
    retiree: one query for a whole list."""
    rows = db.exec(
        select(CheckinSubmission).where(
            CheckinSubmission.campaign_id == campaign_id,
            col(CheckinSubmission.retiree_id).in_(retiree_ids),
        )
    ).all()
    return {row.retiree_id: row for row in rows}


def statuses_of(db: Session, campaign_id: int, retiree_ids: Select[Any]) -> dict[int, str]:
    """Like `of_campaign`, only each row's status (retirees without a row are left out)."""
    rows = db.exec(
        select(CheckinSubmission.retiree_id, CheckinSubmission.status).where(
            CheckinSubmission.campaign_id == campaign_id,
            col(CheckinSubmission.retiree_id).in_(retiree_ids),
        )
    ).all()
    return dict(rows)


def get_or_create(
    db: Session, *, clock: Clock, campaign: CheckinCampaign, retiree: Retiree
) -> CheckinSubmission:
    """The retiree's row for this campaign. Two first saves at once still make one row."""
    existing = find(db, persisted_id(campaign), persisted_id(retiree))
    if existing is not None:
        return existing
    now = clock.now()
    row = CheckinSubmission(
        campaign_id=persisted_id(campaign),
        retiree_id=persisted_id(retiree),
        unit_id=retiree.unit_id,
        created_at=now,
        updated_at=now,
    )
    try:
        with db.begin_nested():
            db.add(row)
            db.flush()
    except IntegrityError:
        again = find(db, persisted_id(campaign), persisted_id(retiree))
        assert again is not None
        return again
    return row


STALE_MESSAGE = "这份登记刚被别人处理过了，请刷新后再看。"


def claim(db: Session, row: CheckinSubmission, expected_version: int | None = None) -> None:
    """Optimistic lock: bump the version only if nobody else did since we read it."""
    expected = row.version if expected_version is None else expected_version
    result = db.execute(
        sa_update(CheckinSubmission)
        .where(col(CheckinSubmission.id) == row.id, col(CheckinSubmission.version) == expected)
        .values(version=expected + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(STALE_MESSAGE, code="stale_version")
    row.version = expected + 1


def reload(db: Session, row: CheckinSubmission) -> CheckinSubmission:
    fresh = db.exec(
        select(CheckinSubmission)
        .where(CheckinSubmission.id == row.id)
        .execution_options(populate_existing=True)
    ).one()
    return fresh


def log_contact(
    db: Session,
    *,
    clock: Clock,
    retiree: Retiree,
    channel: str,
    note: str | None = None,
    staff_id: int | None = None,
) -> ContactLog:
    entry = ContactLog(
        retiree_id=persisted_id(retiree),
        unit_id=retiree.unit_id,
        at=clock.now(),
        channel=channel,
        note=note,
        staff_id=staff_id,
    )
    db.add(entry)
    return entry
