"""Announcements staff compose, system notices other features send, and the inbox people read."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, bindparam
from sqlalchemy import update as sa_update
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, col, func, or_, select

from backend.accounts import audit, directory, units
from backend.accounts.identity import Viewer
from backend.accounts.models import StaffAccount, Unit
from backend.accounts.scope import (
    get_scoped,
)
from backend.core import idempotency
from backend.core.actors import persisted_id
from backend.core.clock import Clock, as_utc, format_local
from backend.core.db import insert_for, read_columns
from backend.core.errors import BadRequest, Conflict, NotFound
from backend.notices import audience as audiences
from backend.notices import fanout, inbox_sql, wording
from backend.notices.audience import retiree_ids_query
from backend.notices.models import InboxItem, Notice, WechatSend
from backend.notices.schemas import (
    Audience,
    AudiencePreview,
    InboxEntry,
    NoticeCategory,
    NoticeIn,
    PreviewPerson,
)

INLINE_LIMIT = fanout.CHUNK  # audiences up to this size are delivered inside the request
EDITABLE = {"draft", "scheduled"}
# A send time this little in the past is "now" (the minute staff typed has just begun or ended);
# anything earlier is refused instead of being sent at once without a word.
JUST_PASSED = timedelta(minutes=1)
JUST_PASSED_MESSAGE = "定时的时间刚过，已经立即发送。"


def check_send_at(send_at: datetime | None, now: datetime) -> None:
    """A schedule time in the past is refused in Chinese, for the console and the API alike."""
    if send_at is not None and as_utc(send_at) <= now - JUST_PASSED:
        raise BadRequest(
            f"定时发送的时间（{format_local(send_at, '%m月%d日 %H:%M')}）已经过了。"
            "请改成以后的时间；要马上发，就把定时发送空着。",
            code="send_at_past",
        )


def sent_late_on_purpose(notice: Notice) -> bool:
    """Sent at once because its schedule time had just passed: the sender is told so."""
    return (
        notice.send_at is not None
        and notice.sent_at is not None
        and as_utc(notice.send_at) <= as_utc(notice.sent_at)
    )


def _audit_view(notice: Notice) -> dict[str, object]:
    return {
        "title": notice.title,
        "category": notice.category,
        "urgent": notice.urgent,
        "audience": notice.audience,
        "include_family": notice.include_family,
        "status": notice.status,
        "send_at": notice.send_at,
    }


def preview(
    db: Session, *, scope: Unit, audience: Audience, include_family: bool = True, limit: int = 200
) -> AudiencePreview:
    """Who an audience reaches now: the same query the send uses, so the count is what is sent
    (family copies only when the notice includes them)."""
    audiences.check(db, scope=scope, audience=audience)
    ids_query = retiree_ids_query(db, scope=scope, audience=audience)
    total = audiences.count(db, scope=scope, audience=audience)
    copies = directory.family_copy_count(db, ids_query)
    rows = directory.people_among(db, ids_query, limit=limit)
    per = directory.family_copies_of(db, [p.id for p in rows])
    people = [
        PreviewPerson(
            retiree_id=p.id,
            name=p.name,
            unit_name=p.unit_name,
            family_copies=per.get(p.id, 0),
            wechat_bound=p.wechat_user_id is not None,
        )
        for p in rows
    ]
    if not include_family:
        copies = 0
        people = [p.model_copy(update={"family_copies": 0}) for p in people]
    return AudiencePreview(retirees=int(total), family_copies=int(copies), people=people)


def create(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    data: NoticeIn,
    send_now: bool = False,
    idempotency_key: str | None = None,
    link_page: str | None = None,
) -> Notice:
    """Save a new announcement as a draft, or send it at once (send_now). `link_page`: the
    mini-program page the notice opens (a survey's questions), for a domain sending through here.

    With an idempotency key (the API's Idempotency-Key header, the console's form token) a
    repeat returns the notice the first request made and sends nothing again."""
    owner = idempotency.staff_owner(persisted_id(staff))
    if idempotency_key:
        earlier = idempotency.claim(db, clock=clock, owner=owner, key=idempotency_key)
        if earlier is not None:
            return get_scoped(db, Notice, int(earlier), scope)
    audiences.check_reaches_someone(db, scope=scope, audience=data.audience)
    now = clock.now()
    check_send_at(data.send_at, now)
    assert scope.id is not None
    notice = Notice(
        kind="announcement",
        unit_id=scope.id,
        author_staff_id=staff.id,
        title=data.title,
        body=data.body,
        category=data.category,
        urgent=data.urgent,
        audience=data.audience.model_dump_json(),
        include_family=data.include_family,
        send_at=data.send_at,
        link_page=link_page,
        created_at=now,
        updated_at=now,
    )
    db.add(notice)
    db.flush()
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="notice.create",
        entity="notice",
        entity_id=notice.id,
        unit_id=notice.unit_id,
        after=_audit_view(notice),
    )
    if send_now:
        send(db, clock=clock, staff=staff, notice=notice)
    if idempotency_key:
        idempotency.remember(db, owner=owner, key=idempotency_key, result=str(notice.id))
    return notice


def list_in_scope(
    db: Session, *, scope: Unit, status: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[Notice], int]:
    ids = units.subtree_ids(db, scope)
    query = select(Notice).where(col(Notice.unit_id).in_(ids), Notice.kind == "announcement")
    if status:
        query = query.where(Notice.status == status)
    total = db.exec(select(func.count()).select_from(query.subquery())).one()
    rows = db.exec(query.order_by(col(Notice.id).desc()).offset(offset).limit(limit)).all()
    return list(rows), int(total)


def _claim(db: Session, notice: Notice, expected_version: int | None, allowed: set[str]) -> None:
    """Optimistic lock in the database: only one of two concurrent staff actions wins."""
    if notice.status not in allowed:
        raise Conflict("这条通知已经发出或撤回，不能再改。", code="notice_locked")
    version = notice.version if expected_version is None else expected_version
    result = db.execute(
        sa_update(Notice)
        .where(
            col(Notice.id) == notice.id,
            col(Notice.version) == version,
            col(Notice.status).in_(allowed),
        )
        .values(version=version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("这条通知刚被别人改过了，请刷新后再试。", code="stale_version")
    notice.version = version + 1


def update(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, notice: Notice, data: NoticeIn
) -> Notice:
    audiences.check_reaches_someone(db, scope=scope, audience=data.audience)
    check_send_at(data.send_at, clock.now())
    _claim(db, notice, data.version, EDITABLE)
    before = _audit_view(notice)
    notice.title = data.title
    notice.body = data.body
    notice.category = data.category
    notice.urgent = data.urgent
    notice.audience = data.audience.model_dump_json()
    notice.include_family = data.include_family
    notice.send_at = data.send_at
    notice.updated_at = clock.now()
    if notice.status == "scheduled" and data.send_at is None:
        notice.status = "draft"
    db.add(notice)
    old, new = audit.changed_fields(before, _audit_view(notice))
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="notice.update",
        entity="notice",
        entity_id=notice.id,
        unit_id=notice.unit_id,
        before=old,
        after=new,
    )
    return notice


def send(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    notice: Notice,
    version: int | None = None,
) -> Notice:
    """Send now, or schedule when send_at is in the future. Small audiences are delivered inside
    this transaction; large ones continue in committed chunks (see fanout.run_fan_out).

    An audience that reaches nobody (anymore) is refused, never reported as sent."""
    home = directory.unit(db, notice.unit_id)
    if notice.status in EDITABLE and home is not None:  # the fan-out's own scope
        audiences.check_reaches_someone(
            db, scope=home, audience=Audience.model_validate_json(notice.audience)
        )
    now = clock.now()
    check_send_at(notice.send_at, now)
    _claim(db, notice, version, EDITABLE)
    if notice.send_at is not None and as_utc(notice.send_at) > now:
        notice.status = "scheduled"
        db.add(notice)
        audit.record(
            db,
            clock=clock,
            staff=staff,
            action="notice.schedule",
            entity="notice",
            entity_id=notice.id,
            unit_id=notice.unit_id,
            after={"send_at": notice.send_at},
        )
        return notice
    start_sending(db, notice=notice, now=now)
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="notice.send",
        entity="notice",
        entity_id=notice.id,
        unit_id=notice.unit_id,
        after={"status": notice.status},
    )
    return notice


def start_sending(db: Session, *, notice: Notice, now: object) -> None:
    from datetime import datetime

    assert isinstance(now, datetime)
    notice.status = "sending"
    notice.sent_at = now
    db.add(notice)
    db.flush()
    if fanout.fan_out_chunk(db, notice=notice, now=now, chunk=INLINE_LIMIT):
        fanout.finish(db, notice=notice, now=now)


def withdraw(
    db: Session, *, clock: Clock, staff: StaffAccount, notice: Notice, version: int | None = None
) -> Notice:
    _claim(db, notice, version, {"draft", "scheduled", "sending", "sent"})
    before = {"status": notice.status}
    notice.status = "withdrawn"
    notice.withdrawn_at = clock.now()
    db.add(notice)
    # WeChat messages not yet sent are cancelled; the inbox shows a short "已撤回" line.
    db.execute(
        sa_update(WechatSend)
        .where(
            col(WechatSend.notice_id) == notice.id, col(WechatSend.status).in_(["pending", "held"])
        )
        .values(status="cancelled")
        .execution_options(synchronize_session=False)
    )
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="notice.withdraw",
        entity="notice",
        entity_id=notice.id,
        unit_id=notice.unit_id,
        before=before,
        after={"status": "withdrawn"},
    )
    return notice


_NOTICE_TABLE = Notice.__table__  # type: ignore[attr-defined]
_NOTICE_COLUMNS = [c.name for c in _NOTICE_TABLE.columns if c.name != "id"]
_NOTIFY_INSERTS: dict[str, Any] = {}


def _notify_insert(db: Session) -> Any:
    """notify's INSERT … ON CONFLICT DO NOTHING RETURNING id, built once per dialect with bound
    parameters (it runs while the caller may hold a lock: no statement built or keyed then)."""
    dialect = db.get_bind().dialect.name
    statement = _NOTIFY_INSERTS.get(dialect)
    if statement is None:
        statement = _NOTIFY_INSERTS[dialect] = (
            insert_for(db, _NOTICE_TABLE)
            .values(
                {k: bindparam(f"n_{k}", type_=_NOTICE_TABLE.c[k].type) for k in _NOTICE_COLUMNS}
            )
            .on_conflict_do_nothing()
            .returning(_NOTICE_TABLE.c.id)
        )
    return statement


TITLE_LENGTH = 60  # a notice's title is cut to this (Notice.title's column)


def system_notice(
    *,
    retiree_id: int,
    unit_id: int,
    now: datetime,
    title: str,
    body: str,
    dedupe_key: str,
    link_page: str | None = None,
    category: NoticeCategory = NoticeCategory.notice,
    include_family: bool = True,
    to_retiree: bool = True,
    urgent: bool = False,
) -> Notice:
    """The outbox row of a message to one retiree (unit_id: theirs), not yet written."""
    return Notice(
        kind="system",
        unit_id=unit_id,
        title=title[:TITLE_LENGTH],
        body=body,
        category=category,
        urgent=urgent,
        audience=json.dumps({"retiree_ids": [retiree_id], "to_retiree": to_retiree}),
        include_family=include_family,
        link_page=link_page,
        dedupe_key=dedupe_key,
        status="sending",
        created_at=now,
        updated_at=now,
        sent_at=now,
    )


def notify(
    db: Session,
    *,
    clock: Clock,
    retiree_id: int,
    title: str,
    body: str,
    dedupe_key: str,
    link_page: str | None = None,
    category: NoticeCategory = NoticeCategory.notice,
    include_family: bool = True,
    to_retiree: bool = True,
    urgent: bool = False,
) -> Notice | None:
    """Tell one retiree (and family with notice permission) something, once per dedupe key.

    Writes one row in the caller's transaction — the notice, "sending": the outbox — with one
    INSERT … ON CONFLICT DO NOTHING on the dedupe key, so a caller holding a lock holds it for
    one statement. The inbox rows (and WeChat outbox rows) are written right after the caller
    commits (fanout.after_commit), or by the job notices.send_due if the process stops first:
    nothing is told unless the caller's change committed, and nothing twice. A repeated call
    with the same key (a retry, a restarted job) sends nothing and returns None."""
    retiree = directory.retiree(db, retiree_id)
    if retiree is None:
        raise NotFound("没有找到这位老同志。")
    notice = system_notice(
        retiree_id=retiree_id,
        unit_id=retiree.unit_id,
        now=clock.now(),
        title=title,
        body=body,
        dedupe_key=dedupe_key,
        link_page=link_page,
        category=category,
        include_family=include_family,
        to_retiree=to_retiree,
        urgent=urgent,
    )
    values = notice.model_dump(exclude={"id"})
    notice_id = db.execute(
        _notify_insert(db), {f"n_{k}": values[k] for k in _NOTICE_COLUMNS}
    ).scalar()
    if notice_id is None:
        return None  # this key was used before (or by a concurrent call)
    notice.id = notice_id
    make_transient_to_detached(notice)
    db.add(notice)  # persistent as inserted: no second write
    fanout.after_commit(db, clock=clock, notice_id=notice_id, known=notice)
    return notice


def cancel_for_retiree(db: Session, *, retiree_id: int) -> None:
    """A deceased retiree's pending WeChat messages are not sent."""
    db.execute(
        sa_update(WechatSend)
        .where(
            col(WechatSend.inbox_item_id).in_(
                select(InboxItem.id).where(InboxItem.retiree_id == retiree_id)
            ),
            col(WechatSend.status).in_(["pending", "held"]),
        )
        .values(status="cancelled")
        .execution_options(synchronize_session=False)
    )


# ---- the inbox ----------------------------------------------------------------------------


def _owner_filter(viewer: Viewer, retiree_id: int | None) -> ColumnElement[bool] | None:
    conditions: list[ColumnElement[bool]] = []
    if viewer.retiree is not None and retiree_id in (None, viewer.retiree.id):
        conditions.append(
            (col(InboxItem.retiree_id) == viewer.retiree.id) & (col(InboxItem.copy_binding_id) == 0)
        )
    binding_ids = [
        b.id
        for b in viewer.bindings
        if retiree_id in (None, b.retiree_id) and b.can_receive_notices
    ]
    if binding_ids:
        conditions.append(col(InboxItem.copy_binding_id).in_(binding_ids))
    return or_(*conditions) if conditions else None


def inbox(
    db: Session,
    *,
    viewer: Viewer,
    retiree_id: int | None = None,
    category: NoticeCategory | None = None,
    limit: int = 30,
    before_id: int | None = None,
) -> tuple[list[InboxEntry], int]:
    """A page of the viewer's messages and how many are unread, in one statement (a second
    only when a filtered page comes back empty: the count then has no row to ride on)."""
    own = viewer.retiree is not None and retiree_id in (None, viewer.retiree.id)
    binding_ids = [
        b.id
        for b in viewer.bindings
        if retiree_id in (None, b.retiree_id) and b.can_receive_notices
    ]
    if not own and not binding_ids:
        return [], 0
    shape = {"own": own, "copies": bool(binding_ids)}
    params: dict[str, Any] = {"limit": limit}
    if own:
        params["own_id"] = viewer.retiree.id if viewer.retiree else 0
    if binding_ids:
        params["binding_ids"] = binding_ids
    if category is not None:
        params["category"] = category.value
    if before_id is not None:
        params["before_id"] = before_id
    statement = inbox_sql.page(**shape, category=category is not None, before=before_id is not None)
    # Columns, not entities: a page of ORM objects costs more to build than the query.
    rows = read_columns(db, statement, params).all()
    if rows:
        unread = rows[0].unread
    elif category is not None or before_id is not None:
        unread = read_columns(db, inbox_sql.unread_count(**shape), params).scalar_one()
    else:
        unread = 0  # nothing visible at all, so nothing unread
    entries = [
        _entry_of(
            item_id=r.item_id,
            notice_id=r.notice_id,
            retiree_id=r.retiree_id,
            copy_binding_id=r.copy_binding_id,
            created_at=r.created_at,
            read_at=r.read_at,
            status=r.status,
            title=r.title,
            body=r.body,
            category=r.category,
            urgent=r.urgent,
            link_page=r.link_page,
            retiree_name=r.name,
        )
        for r in rows
    ]
    return entries, int(unread)


def _entry(item: InboxItem, notice: Notice, retiree_name: str) -> InboxEntry:
    return _entry_of(
        item_id=persisted_id(item),
        notice_id=persisted_id(notice),
        retiree_id=item.retiree_id,
        copy_binding_id=item.copy_binding_id,
        created_at=item.created_at,
        read_at=item.read_at,
        status=notice.status,
        title=notice.title,
        body=notice.body,
        category=notice.category,
        urgent=notice.urgent,
        link_page=notice.link_page,
        retiree_name=retiree_name,
    )


def _entry_of(
    *,
    item_id: int,
    notice_id: int,
    retiree_id: int,
    copy_binding_id: int,
    created_at: datetime,
    read_at: datetime | None,
    status: str,
    title: str,
    body: str,
    category: str,
    urgent: bool,
    link_page: str | None,
    retiree_name: str,
) -> InboxEntry:
    withdrawn = status == "withdrawn"
    is_copy = copy_binding_id != 0
    return InboxEntry(
        id=item_id,
        notice_id=notice_id,
        title="此通知已撤回"
        if withdrawn
        else wording.shown(title, is_copy=is_copy, retiree_name=retiree_name),
        body="" if withdrawn else wording.shown(body, is_copy=is_copy, retiree_name=retiree_name),
        category=category,
        urgent=urgent,
        withdrawn=withdrawn,
        link_page=None if withdrawn else link_page,
        for_retiree_id=retiree_id,
        for_retiree_name=retiree_name,
        is_copy=is_copy,
        created_at=created_at,
        read_at=read_at,
    )


def get_inbox_item(db: Session, *, viewer: Viewer, item_id: int) -> tuple[InboxItem, Notice]:
    owner = _owner_filter(viewer, None)
    row = None
    if owner is not None:
        row = db.exec(
            select(InboxItem, Notice)
            .join(Notice, col(Notice.id) == InboxItem.notice_id)
            .where(InboxItem.id == item_id, owner)
        ).first()
    if row is None or row[1].status in ("draft", "scheduled"):
        raise NotFound("没有找到这条消息。")
    return row[0], row[1]


def mark_read(db: Session, *, clock: Clock, viewer: Viewer, item_ids: Sequence[int]) -> int:
    owner = _owner_filter(viewer, None)
    if owner is None or not item_ids:
        return 0
    result = db.execute(
        sa_update(InboxItem)
        .where(col(InboxItem.id).in_(list(item_ids)), col(InboxItem.read_at).is_(None), owner)
        .values(read_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def inbox_entry(db: Session, *, viewer: Viewer, item_id: int) -> InboxEntry:
    item, notice = get_inbox_item(db, viewer=viewer, item_id=item_id)
    retiree = directory.retiree(db, item.retiree_id)
    return _entry(item, notice, retiree.name if retiree else "")
