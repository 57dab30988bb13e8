"""Fan-out: write every recipient's inbox row (and WeChat outbox row) in bulk, in chunks.

Each chunk is one INSERT … SELECT per table with ON CONFLICT DO NOTHING, committed together with
the notice's cursor. A crash between chunks resumes from the cursor; a repeated chunk inserts
nothing twice, because (notice, retiree, copy) and the outbox's inbox row are unique.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import literal
from sqlalchemy import select as sa_select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from backend.accounts.models import FamilyBinding, Retiree, Unit
from backend.core.clock import Clock
from backend.core.db import transaction
from backend.notices.audience import retiree_ids_query
from backend.notices.models import InboxItem, Notice, WechatSend
from backend.notices.schemas import Audience

CHUNK = 2000
NOTICE_TEMPLATE = "notice"


def _insert(db: Session, table: type) -> postgresql.Insert | sqlite.Insert:
    dialect = db.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table)


def _audience_query(db: Session, notice: Notice) -> SelectOfScalar[int | None]:
    if notice.kind == "system":
        targets = json.loads(notice.audience).get("retiree_ids", [])
        return select(col(Retiree.id)).where(col(Retiree.id).in_(targets))
    scope = db.get(Unit, notice.unit_id)
    assert scope is not None
    return retiree_ids_query(
        db, scope=scope, audience=Audience.model_validate_json(notice.audience)
    )


def fan_out_chunk(db: Session, *, notice: Notice, now: datetime, chunk: int = CHUNK) -> bool:
    """Deliver to the next chunk of retirees. True when every recipient has been reached."""
    assert notice.id is not None
    ids_query = _audience_query(db, notice).where(col(Retiree.id) > notice.fanout_cursor)
    found = db.exec(ids_query.order_by(col(Retiree.id)).limit(chunk)).all()
    ids = [retiree_id for retiree_id in found if retiree_id is not None]  # primary keys
    if not ids:
        return True
    include_self = json.loads(notice.audience).get("to_retiree", True)
    if include_self:
        own = sa_select(
            literal(notice.id),
            col(Retiree.id),
            literal(0),
            col(Retiree.wechat_user_id),
            literal(now),
        ).where(col(Retiree.id).in_(ids))
        db.execute(
            _insert(db, InboxItem)
            .from_select(
                ["notice_id", "retiree_id", "copy_binding_id", "wechat_user_id", "created_at"], own
            )
            .on_conflict_do_nothing()
        )
    if notice.include_family:
        copies = sa_select(
            literal(notice.id),
            col(FamilyBinding.retiree_id),
            col(FamilyBinding.id),
            col(FamilyBinding.wechat_user_id),
            literal(now),
        ).where(
            col(FamilyBinding.retiree_id).in_(ids),
            col(FamilyBinding.revoked_at).is_(None),
            col(FamilyBinding.can_receive_notices).is_(True),
        )
        db.execute(
            _insert(db, InboxItem)
            .from_select(
                ["notice_id", "retiree_id", "copy_binding_id", "wechat_user_id", "created_at"],
                copies,
            )
            .on_conflict_do_nothing()
        )
    outbox = sa_select(
        col(InboxItem.id),
        col(InboxItem.notice_id),
        col(InboxItem.wechat_user_id),
        literal(NOTICE_TEMPLATE),
        literal("pending"),
        literal(0),
        literal(now),
        literal(now),
        literal(False),
    ).where(
        col(InboxItem.notice_id) == notice.id,
        col(InboxItem.retiree_id).in_(ids),
        col(InboxItem.wechat_user_id).is_not(None),
    )
    db.execute(
        _insert(db, WechatSend)
        .from_select(
            [
                "inbox_item_id",
                "notice_id",
                "wechat_user_id",
                "template_key",
                "status",
                "attempts",
                "not_before",
                "created_at",
                "consent_spent",
            ],
            outbox,
        )
        .on_conflict_do_nothing()
    )
    notice.fanout_cursor = ids[-1]
    db.add(notice)
    return len(ids) < chunk


def finish(db: Session, *, notice: Notice, now: datetime) -> None:
    total = db.exec(
        select(func.count()).select_from(InboxItem).where(InboxItem.notice_id == notice.id)
    ).one()
    notice.recipients_total = int(total)
    notice.status = "sent"
    notice.sent_at = notice.sent_at or now
    db.add(notice)


def run_fan_out(engine: Engine, *, clock: Clock, notice_id: int, chunk: int = CHUNK) -> None:
    """Deliver a notice in committed chunks (background thread or scheduled job)."""
    while True:
        with transaction(engine) as db:
            notice = db.get(Notice, notice_id)
            if notice is None or notice.status != "sending":
                return
            done = fan_out_chunk(db, notice=notice, now=clock.now(), chunk=chunk)
            if done:
                finish(db, notice=notice, now=clock.now())
                return
