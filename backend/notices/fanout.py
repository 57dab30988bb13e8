"""Fan-out: write every recipient's inbox row (and WeChat outbox row) in bulk, in chunks.

Each chunk is one INSERT … SELECT per table with ON CONFLICT DO NOTHING, committed together with
the notice's cursor (on PostgreSQL, the chunks known at the start run two at a time and the cursor
moves once they are all in: `_side_by_side`). A crash between chunks resumes from the cursor; a
repeated chunk inserts nothing twice, because (notice, retiree, copy) and the outbox's inbox row
are unique.

A system notice (notices.service.notify) is the outbox row itself: written "sending" in the
caller's transaction, expanded here right after that transaction commits (`after_commit`), and
by the job notices.send_due for any the process did not get to (a crash between the commit and
the expansion). Expanding twice writes nothing twice, so nobody is told twice. On PostgreSQL a
retiree's own sign-up runs the same statements inside the database, in the transaction that
writes the notice (bookings/one_trip.py; migration 0036 wrote them into its function, and
`expansion_sql` is what a test checks them against).
"""

from __future__ import annotations

import json
import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, literal, literal_column, union_all
from sqlalchemy import select as sa_select
from sqlalchemy import update as sa_update
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select
from sqlmodel.sql.expression import SelectOfScalar

from backend.accounts import directory
from backend.core.clock import Clock
from backend.core.db import after_commit as core_after_commit
from backend.core.db import insert_for, transaction
from backend.notices.audience import retiree_ids_query
from backend.notices.models import InboxItem, Notice, WechatSend
from backend.notices.schemas import Audience

log = logging.getLogger(__name__)

CHUNK = 2000
SIDE_BY_SIDE = 2  # chunks delivered at once on PostgreSQL (_side_by_side)
MAX_KNOWN = 1_000_000  # recipients read at once before delivering side by side
NOTICE_TEMPLATE = "notice"


def _audience_query(db: Session, notice: Notice) -> SelectOfScalar[int | None]:
    if notice.kind == "system":
        targets = json.loads(notice.audience).get("retiree_ids", [])
        return directory.existing_ids(targets)
    scope = directory.unit(db, notice.unit_id)
    assert scope is not None
    return retiree_ids_query(
        db, scope=scope, audience=Audience.model_validate_json(notice.audience)
    )


def _next_ids(db: Session, notice: Notice, chunk: int) -> list[int]:
    """The next retirees to reach. A system notice names them (the INSERT … SELECTs below
    skip an id that is not a retiree); an announcement's audience is a query."""
    if notice.kind == "system":
        targets = json.loads(notice.audience).get("retiree_ids", [])
        return sorted(int(t) for t in targets if int(t) > notice.fanout_cursor)[:chunk]
    query = _audience_query(db, notice)
    retiree_id = query.selected_columns[0]  # the retiree's id, the only column
    ids_query = query.where(retiree_id > notice.fanout_cursor)
    found = db.exec(ids_query.order_by(retiree_id).limit(chunk)).all()
    return [retiree_id for retiree_id in found if retiree_id is not None]  # primary keys


def fan_out_chunk(db: Session, *, notice: Notice, now: datetime, chunk: int = CHUNK) -> bool:
    """Deliver to the next chunk of retirees. True when every recipient has been reached."""
    assert notice.id is not None
    ids = _next_ids(db, notice, chunk)
    if not ids:
        return True
    _deliver(
        db,
        notice_id=notice.id,
        audience=notice.audience,
        include_family=notice.include_family,
        ids=ids,
        now=now,
    )
    notice.fanout_cursor = ids[-1]
    db.add(notice)
    return len(ids) < chunk


def _deliver(
    db: Session,
    *,
    notice_id: int,
    audience: str,
    include_family: bool,
    ids: list[int],
    now: datetime,
) -> None:
    """The inbox rows of these retirees (and their family's) and the WeChat outbox rows: two
    INSERT … SELECT … ON CONFLICT DO NOTHING, so a repeated chunk writes nothing twice."""
    inbox_insert, outbox_insert = _delivery(
        db,
        include_self=json.loads(audience).get("to_retiree", True),
        include_family=include_family,
        ids=ids,
        notice_id=literal(notice_id),
        now=literal(now),
    )
    if inbox_insert is not None:
        db.execute(inbox_insert)
    db.execute(outbox_insert)


def _delivery(
    db: Session, *, include_self: bool, include_family: bool, ids: Any, notice_id: Any, now: Any
) -> tuple[Any, Any]:
    """The two INSERT … SELECT statements of a delivery — the inbox rows (own copies and the
    family's, in one statement), then the WeChat outbox rows of those with WeChat — on the Core
    tables. `ids`, `notice_id` and `now` are values, or bound parameters for a statement kept
    and run again (`_expansion`). No inbox statement when nobody is to be told."""
    inbox = InboxItem.__table__  # type: ignore[attr-defined]
    recipients: list[Any] = []
    if include_self:
        recipients.append(directory.own_recipients(ids).add_columns(literal(0), notice_id, now))
    if include_family:
        retiree_id, binding_id, wechat_user_id = directory.family_recipients(ids).selected_columns
        recipients.append(
            directory.family_recipients(ids)
            .with_only_columns(retiree_id, wechat_user_id, binding_id)
            .add_columns(notice_id, now)
        )
    inbox_insert = None
    if recipients:
        inbox_insert = (
            insert_for(db, inbox)
            .from_select(
                ["retiree_id", "wechat_user_id", "copy_binding_id", "notice_id", "created_at"],
                recipients[0] if len(recipients) == 1 else union_all(*recipients),
            )
            .on_conflict_do_nothing()
        )
    outbox_insert = (
        insert_for(db, WechatSend.__table__)  # type: ignore[attr-defined]
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
            sa_select(
                inbox.c.id,
                inbox.c.notice_id,
                inbox.c.wechat_user_id,
                literal(NOTICE_TEMPLATE),
                literal("pending"),
                literal(0),
                now,
                now,
                literal(False),
            ).where(
                inbox.c.notice_id == notice_id,
                inbox.c.retiree_id.in_(ids),
                inbox.c.wechat_user_id.is_not(None),
            ),
        )
        .on_conflict_do_nothing()
    )
    return inbox_insert, outbox_insert


def finish(db: Session, *, notice: Notice, now: datetime, count_in_update: bool = False) -> None:
    """The notice sent, with how many it reached. `count_in_update`: counted by the UPDATE that
    writes the status (one round trip fewer; `recipients_total` is then read again only if
    asked for, inside the transaction)."""
    total = select(func.count()).select_from(InboxItem).where(InboxItem.notice_id == notice.id)
    if count_in_update:
        notice.recipients_total = total.scalar_subquery()  # type: ignore[assignment]
    else:
        with db.no_autoflush:  # the cursor is written with the status below, in one UPDATE
            notice.recipients_total = int(db.exec(total).one())
    notice.status = "sent"
    notice.sent_at = notice.sent_at or now
    db.add(notice)


def run_fan_out(engine: Engine, *, clock: Clock, notice_id: int, chunk: int = CHUNK) -> None:
    """Deliver a notice in committed chunks (background thread or scheduled job). On
    PostgreSQL the chunks known at the start are delivered side by side (`_side_by_side`)."""
    if engine.dialect.name == "postgresql":
        _side_by_side(engine, clock=clock, notice_id=notice_id, chunk=chunk)
    _one_after_another(engine, clock=clock, notice_id=notice_id, chunk=chunk)


def _one_after_another(engine: Engine, *, clock: Clock, notice_id: int, chunk: int) -> None:
    """The chunks from the notice's cursor on, each committed with the cursor moved past it;
    then the notice marked sent."""
    while True:
        with transaction(engine) as db:
            notice = db.get(Notice, notice_id)
            if notice is None or notice.status != "sending":
                return
            done = fan_out_chunk(db, notice=notice, now=clock.now(), chunk=chunk)
            if done:
                finish(db, notice=notice, now=clock.now(), count_in_update=True)
                return


def _side_by_side(engine: Engine, *, clock: Clock, notice_id: int, chunk: int) -> None:
    """Deliver the recipients known now in chunks run at the same time on their own
    connections (SIDE_BY_SIDE), then move the cursor past them; `_one_after_another` then
    finishes (anyone added meanwhile, and the notice marked sent). The work is the database's
    — two INSERT … SELECTs a chunk — so two chunks at once use two of its processes: under
    fifty readers one chunk after another took 5.5 s for 20,000 rows (README, Benchmarks).

    Each chunk commits on its own without the cursor. A crash part way leaves the cursor where
    it was: the job notices.send_due delivers again from there, and a chunk delivered twice
    writes nothing twice. Each chunk first takes a share lock on the notice while it is still
    "sending": a withdrawal waits for the chunks under way, and a chunk that starts after it
    writes nothing — as a chunk's cursor update (version-checked) did before."""
    with transaction(engine) as db:
        notice = db.get(Notice, notice_id)
        if notice is None or notice.status != "sending":
            return
        ids = _next_ids(db, notice, chunk=MAX_KNOWN)
        audience, include_family = notice.audience, notice.include_family
    chunks = [ids[i : i + chunk] for i in range(0, len(ids), chunk)]
    if len(chunks) < 2:
        return  # nothing to run side by side
    now = clock.now()

    def deliver(part: list[int]) -> bool:
        with transaction(engine) as db:
            sending = db.exec(
                select(Notice.id)
                .where(Notice.id == notice_id, Notice.status == "sending")
                .with_for_update(read=True)
            ).first()
            if sending is None:
                return False
            _deliver(
                db,
                notice_id=notice_id,
                audience=audience,
                include_family=include_family,
                ids=part,
                now=now,
            )
            return True

    with ThreadPoolExecutor(SIDE_BY_SIDE, thread_name_prefix="fan-out") as pool:
        delivered = list(pool.map(deliver, chunks))
    if not all(delivered):
        return  # withdrawn meanwhile
    with transaction(engine) as db:
        notice = db.get(Notice, notice_id)
        if notice is not None and notice.status == "sending" and notice.fanout_cursor < ids[-1]:
            notice.fanout_cursor = ids[-1]
            db.add(notice)


_EXPANSIONS: dict[tuple[str, bool, bool], tuple[Any, Any, Any]] = {}


def _expansion(db: Session, *, include_self: bool, include_family: bool) -> tuple[Any, Any, Any]:
    """expand_known's three statements, built once per dialect and kind of audience with bound
    parameters (nid, now, ids — expanding — and cursor) and run on the Core tables: a sign-up
    expands its notice on every request, and building, keying and running these through the
    ORM cost more than the database's work (3.95 ms CPU a notice on PostgreSQL, measured)."""
    key = (db.get_bind().dialect.name, include_self, include_family)
    built = _EXPANSIONS.get(key)
    if built is not None:
        return built
    inbox = InboxItem.__table__  # type: ignore[attr-defined]
    nid = bindparam("nid", type_=inbox.c.notice_id.type)
    now = bindparam("now", type_=inbox.c.created_at.type)
    inbox_insert, outbox_insert = _delivery(
        db,
        include_self=include_self,
        include_family=include_family,
        ids=bindparam("ids", expanding=True),
        notice_id=nid,
        now=now,
    )
    notices = Notice.__table__  # type: ignore[attr-defined]
    mark_sent = _mark_sent(nid, now, bindparam("cursor", type_=notices.c.fanout_cursor.type))
    built = _EXPANSIONS[key] = (inbox_insert, outbox_insert, mark_sent)
    return built


def _mark_sent(nid: Any, now: Any, cursor: Any) -> Any:
    """The notice marked sent with how many it reached, only while it is still "sending"."""
    inbox = InboxItem.__table__  # type: ignore[attr-defined]
    notices = Notice.__table__  # type: ignore[attr-defined]
    total = sa_select(func.count()).select_from(inbox).where(inbox.c.notice_id == nid)
    return (
        sa_update(notices)
        .where(notices.c.id == nid, notices.c.status == "sending")
        .values(
            status="sent",
            recipients_total=total.scalar_subquery(),
            fanout_cursor=cursor,
            sent_at=func.coalesce(notices.c.sent_at, now),
        )
    )


def expansion_sql(db: Session, *, include_self: bool, include_family: bool) -> list[str]:
    """expand_known's statements for a notice to one retiree, as PostgreSQL text: $1 the
    notice's id, $2 the time, $3 the retiree's id. The same SQLAlchemy statements as everywhere
    else (who gets a copy is decided in one place), compiled with their other values inline.
    The sign-up's function in the database (bookings/one_trip.py) runs these statements,
    written into it by migration 0036; tests/bookings/test_sign_up_expansion.py fails when the
    function and this code no longer say the same."""
    nid: Any = literal_column("$1")
    now: Any = literal_column("$2")
    retiree: Any = literal_column("$3")
    inbox_insert, outbox_insert = _delivery(
        db,
        include_self=include_self,
        include_family=include_family,
        ids=sa_select(retiree),
        notice_id=nid,
        now=now,
    )
    statements = [s for s in (inbox_insert, outbox_insert) if s is not None]
    statements.append(_mark_sent(nid, now, retiree))
    dialect = db.get_bind().dialect
    return [
        str(s.compile(dialect=dialect, compile_kwargs={"literal_binds": True})) for s in statements
    ]


def expand_known(
    engine: Engine, *, clock: Clock, notice_id: int, audience: str, include_family: bool
) -> None:
    """A system notice this process has just written ("sending"), expanded without reading it
    back (its audience and include_family as written): its recipients' rows, then the notice
    marked sent by an UPDATE that only matches while it is still "sending" — when it no longer
    is (the job expanded it meanwhile, or it was withdrawn), nothing is committed. Three
    statements in one transaction, each built once (`_expansion`)."""
    written = json.loads(audience)
    ids = sorted(int(t) for t in written.get("retiree_ids", []))
    if len(ids) > CHUNK:
        run_fan_out(engine, clock=clock, notice_id=notice_id)
        return
    params = {"nid": notice_id, "now": clock.now(), "ids": ids, "cursor": ids[-1] if ids else 0}
    with transaction(engine) as db:
        inbox_insert, outbox_insert, mark_sent = _expansion(
            db, include_self=written.get("to_retiree", True), include_family=include_family
        )
        conn = db.connection()
        if ids:
            if inbox_insert is not None:
                conn.execute(inbox_insert, params)
            conn.execute(outbox_insert, params)
        sent = conn.execute(mark_sent, params)
        if sent.rowcount != 1:
            db.rollback()


def after_commit(db: Session, *, clock: Clock, notice_id: int, known: Notice | None = None) -> None:
    """Expand this notice once the caller's transaction has committed (in the same thread,
    before the request's response). Rolled back: nothing to expand. `known`: the system
    notice as the caller wrote it, so it is not read back (expand_known).

    core.db.after_commit runs it when the committed transaction has ended — after the session
    has given its connection back to the pool — not in the session's after_commit event, which
    fires while the connection is still checked out: expanding there would hold two pooled
    connections per request, and with every request of a busy worker doing so at once, each
    would wait the pool's whole timeout for its second one."""
    engine = db.get_bind()
    # What expand_known needs, read now (after the commit the object may be expired).
    written = (known.audience, known.include_family) if known is not None else None

    def expand() -> None:
        try:
            if written is not None:
                audience, include_family = written
                expand_known(
                    engine,  # type: ignore[arg-type]
                    clock=clock,
                    notice_id=notice_id,
                    audience=audience,
                    include_family=include_family,
                )
            else:
                run_fan_out(engine, clock=clock, notice_id=notice_id)  # type: ignore[arg-type]
        except Exception:  # committed already: the job notices.send_due finishes it
            log.exception("notice %s not expanded after commit; the job will", notice_id)

    core_after_commit(db, expand)
