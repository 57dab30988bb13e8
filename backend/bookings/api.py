"""Book, wait, cancel, promote — one mechanism for activities, meals and rides, and the only
module that writes `Bookable` and `Booking` rows. Reading is in `queries.py`.

Every change to a bookable's bookings starts by locking its row (an UPDATE of lock_version; a
retiree's sign-up on PostgreSQL: SELECT … FOR NO KEY UPDATE in one_trip.py's function), so
changes to one bookable are serialised on PostgreSQL and SQLite alike; capacity itself is taken
with a conditional UPDATE (confirmed_count + q ≤ capacity) and guarded by a CHECK constraint.

What the retiree is told is worded by the consumer's notifier (`notifier.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, exists, func, literal_column, or_
from sqlalchemy import insert as sa_insert
from sqlalchemy import select as sa_select
from sqlalchemy import update as sa_update
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, col, select

from backend.accounts.models import Retiree, Unit
from backend.bookings import one_trip, queries, telling
from backend.bookings.eligibility import signup_problem
from backend.bookings.enums import (
    ACTIVE,
    BookableStatus,
    BookingEvent,
    BookingStatus,
)
from backend.bookings.models import Bookable, Booking
from backend.core.clock import Clock, as_utc, format_local
from backend.core.errors import BadRequest, Conflict, NotFound

# The fields of a bookable its consumer may change after creating it (not capacity, not status:
# those go through set_capacity and cancel_bookable, which keep the waiting list right).
_EDITABLE = frozenset({"title", "starts_at", "ends_at", "opens_at", "closes_at", "cancel_deadline"})


# ---- bookables ------------------------------------------------------------------------------


def create_bookable(
    db: Session,
    *,
    clock: Clock,
    kind: str,  # a BookableKind
    unit_id: int,
    title: str,
    capacity: int,
    starts_at: datetime,
    ends_at: datetime | None,
    opens_at: datetime,
    closes_at: datetime,
    cancel_deadline: datetime,
    max_quantity: int = 2,
    eligibility: str = "{}",
    created_by_staff_id: int | None = None,
) -> Bookable:
    now = clock.now()
    bookable = Bookable(
        kind=kind,
        unit_id=unit_id,
        title=title[:80],
        capacity=capacity,
        starts_at=starts_at,
        ends_at=ends_at,
        opens_at=opens_at,
        closes_at=closes_at,
        cancel_deadline=cancel_deadline,
        max_quantity=max_quantity,
        eligibility=eligibility,
        created_by_staff_id=created_by_staff_id,
        created_at=now,
        updated_at=now,
    )
    db.add(bookable)
    db.flush()
    return bookable


def update_bookable(db: Session, *, clock: Clock, bookable_id: int, **changes: Any) -> Bookable:
    """Change a bookable's title or times (under its lock)."""
    unknown = set(changes) - _EDITABLE
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    bookable = lock(db, bookable_id)
    for name, value in changes.items():
        setattr(bookable, name, value[:80] if name == "title" else value)
    bookable.updated_at = clock.now()
    db.add(bookable)
    db.flush()
    return bookable


# The statements of a sign-up's locked part, built once with bound parameters: SQLAlchemy then
# neither builds them nor works out their cache key on every request (that work was done while
# the lock was held).
_LOCK = (
    sa_update(Bookable)
    .where(col(Bookable.id) == bindparam("lock_id"))
    .values(lock_version=col(Bookable.lock_version) + 1)
    .returning(Bookable)
)


def lock(db: Session, bookable_id: int) -> Bookable:
    """Lock a bookable's row and read it fresh, in one statement (UPDATE … RETURNING).
    Consumers call it to serialise their own changes with the bookings of the same thing."""
    bookable = db.scalars(
        _LOCK,
        {"lock_id": bookable_id},
        execution_options={"populate_existing": True, "synchronize_session": False},
    ).one_or_none()
    if bookable is None:
        raise NotFound("没有找到这个项目。")
    return bookable


def _earlier_clause(with_key: bool) -> Any:
    """A booking made with this key on this bookable, or this retiree's open booking on it
    (parameters e_bookable, e_retiree and, `with_key`, e_key)."""
    mine = (col(Booking.retiree_id) == bindparam("e_retiree")) & col(Booking.status).in_(ACTIVE)
    return (col(Booking.bookable_id) == bindparam("e_bookable")) & (
        or_(mine, col(Booking.idempotency_key) == bindparam("e_key")) if with_key else mine
    )


def _earlier_params(bookable_id: int, retiree: Retiree, key: str | None) -> dict[str, Any]:
    params: dict[str, Any] = {"e_bookable": bookable_id, "e_retiree": retiree.id or 0}
    if key:
        params["e_key"] = key
    return params


def _take_statement(with_key: bool) -> Any:
    return (
        sa_update(Bookable)
        .where(
            col(Bookable.id) == bindparam("t_bookable"),
            col(Bookable.confirmed_count) + bindparam("t_quantity") <= col(Bookable.capacity),
            ~exists().where(_earlier_clause(with_key)),
        )
        .values(confirmed_count=col(Bookable.confirmed_count) + bindparam("t_quantity"))
    )


_TAKE_UNLESS_EARLIER = {with_key: _take_statement(with_key) for with_key in (False, True)}


def _take_unless_earlier(
    db: Session, bookable_id: int, retiree: Retiree, idempotency_key: str | None, quantity: int
) -> bool:
    """Under the lock, a seat that fits: take it, in one statement, unless a booking with this
    key or the retiree's open booking exists. False: one exists (then `_earlier` reads it)."""
    result = db.execute(
        _TAKE_UNLESS_EARLIER[bool(idempotency_key)],
        {
            "t_bookable": bookable_id,
            "t_quantity": quantity,
            **_earlier_params(bookable_id, retiree, idempotency_key),
        },
        execution_options={"synchronize_session": False},
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


_BOOKING = Booking.__table__  # type: ignore[attr-defined]
_JOIN_COLUMNS = [c.name for c in _BOOKING.columns if c.name != "id"]


def _join_statement(with_key: bool) -> Any:
    ahead = _BOOKING.alias("ahead")
    waiting_ahead = (
        sa_select(func.count())
        .select_from(ahead)
        .where(
            ahead.c.bookable_id == bindparam("e_bookable"),
            ahead.c.status == BookingStatus.waitlisted,
            # the row being inserted (a correlation SQLAlchemy does not make in RETURNING)
            ahead.c.id < literal_column(f"{_BOOKING.name}.id"),
        )
        .scalar_subquery()
    )
    row = sa_select(*[bindparam(f"v_{k}", type_=_BOOKING.c[k].type) for k in _JOIN_COLUMNS])
    return (
        sa_insert(_BOOKING)  # the table: with parameters, the entity would mean a bulk insert
        .from_select(_JOIN_COLUMNS, row.where(~exists().where(_earlier_clause(with_key))))
        .returning(_BOOKING.c.id, waiting_ahead)
    )


_JOIN_UNLESS_EARLIER = {with_key: _join_statement(with_key) for with_key in (False, True)}


def _join_unless_earlier(
    db: Session, booking: Booking, retiree: Retiree, idempotency_key: str | None
) -> int | None:
    """Under the lock, no seat: write the waiting `booking` unless a booking with this key or
    the retiree's open booking exists, and count who waits ahead of it — one statement.
    Returns how many wait ahead (the booking is then persistent), or None (nothing written)."""
    values = booking.model_dump(exclude={"id"})
    row = db.execute(
        _JOIN_UNLESS_EARLIER[bool(idempotency_key)],
        {
            **{f"v_{k}": values[k] for k in _JOIN_COLUMNS},
            **_earlier_params(booking.bookable_id, retiree, idempotency_key),
        },
    ).one_or_none()
    if row is None:
        return None
    booking.id = row[0]
    make_transient_to_detached(booking)
    db.add(booking)  # persistent as inserted: no second write
    return int(row[1])


def _take(db: Session, bookable_id: int, quantity: int) -> bool:
    """Take `quantity` places if they fit; the caller holds the bookable's lock."""
    result = db.execute(
        sa_update(Bookable)
        .where(
            col(Bookable.id) == bookable_id,
            col(Bookable.confirmed_count) + quantity <= col(Bookable.capacity),
        )
        .values(confirmed_count=col(Bookable.confirmed_count) + quantity)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def _release(db: Session, bookable_id: int, quantity: int) -> None:
    """Give places back (the caller then promotes from the waiting list, if it has one)."""
    db.execute(
        sa_update(Bookable)
        .where(col(Bookable.id) == bookable_id)
        .values(confirmed_count=col(Bookable.confirmed_count) - quantity)
        .execution_options(synchronize_session=False)
    )


def set_capacity(db: Session, *, clock: Clock, bookable_id: int, capacity: int) -> Bookable:
    bookable = lock(db, bookable_id)
    if capacity < bookable.confirmed_count:
        raise BadRequest(
            f"已经确认了{bookable.confirmed_count}个名额，名额不能少于这个数。", code="below_booked"
        )
    bookable.capacity = capacity
    bookable.updated_at = clock.now()
    db.add(bookable)
    db.flush()
    promote(db, clock=clock, bookable=bookable)
    db.flush()
    db.refresh(bookable)
    return bookable


def cancel_bookable(db: Session, *, clock: Clock, bookable_id: int, reason: str, by: str) -> int:
    """Staff call the whole thing off: every booking ends and everyone is told."""
    bookable = lock(db, bookable_id)
    if bookable.status == BookableStatus.cancelled:
        return 0
    now = clock.now()
    bookable.status = BookableStatus.cancelled
    bookable.cancel_reason = reason[:200]
    bookable.updated_at = now
    affected = db.exec(
        select(Booking).where(Booking.bookable_id == bookable_id, col(Booking.status).in_(ACTIVE))
    ).all()
    for booking in affected:
        _end(booking, now=now, by=by, reason=reason)
        db.add(booking)
        telling.tell(db, clock, bookable, booking, BookingEvent.bookable_cancelled)
    bookable.confirmed_count = 0
    db.add(bookable)
    return len(affected)


def remind_tomorrow(db: Session, *, clock: Clock, kinds: tuple[str, ...]) -> int:
    """The day-before reminder for every confirmed booking of things starting tomorrow."""
    return telling.remind_tomorrow(db, clock=clock, kinds=kinds)


# ---- bookings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Booked:
    """A sign-up's booking and, when it waits, its place in line (counted once, under the
    lock, for both the notice and the reply)."""

    booking: Booking
    position: int | None


def book(
    db: Session,
    *,
    clock: Clock,
    bookable_id: int,
    retiree: Retiree,
    quantity: int,
    notes: str | None,
    booked_by: str,
    channel: str,
    idempotency_key: str | None,
) -> Booking:
    """`sign_up`, for callers that need only the booking."""
    return sign_up(
        db,
        clock=clock,
        bookable_id=bookable_id,
        retiree=retiree,
        quantity=quantity,
        notes=notes,
        booked_by=booked_by,
        channel=channel,
        idempotency_key=idempotency_key,
    ).booking


def sign_up(
    db: Session,
    *,
    clock: Clock,
    bookable_id: int,
    retiree: Retiree,
    quantity: int,
    notes: str | None,
    booked_by: str,
    channel: str,
    idempotency_key: str | None,
    home: Unit | None = None,
    maybe_earlier: bool = True,
    commits_next: bool = False,
) -> Booked:
    """Confirm if there is room, else put on the waiting list. A repeat with the same key
    returns the first booking. `home`: the retiree's unit, when the caller has read it;
    `maybe_earlier=False`: the caller's read of the bookable found no booking with this key
    and no open booking of this retiree on it (queries.for_sign_up), so none is looked for
    before the lock. `commits_next`: the caller writes nothing after the sign-up and commits
    right away; on PostgreSQL the locked part is then sent together with that commit, in one
    round trip (one_trip.py), and the transaction is committed on return.

    Everything that does not depend on the other bookings (who may book, the windows) is
    checked before the bookable's row is locked, so the lock — which every sign-up for the same
    thing queues on — is held only for what must be serialised: the lock (which reads the row
    fresh), then either the seat (taken unless an earlier booking exists) and the booking row,
    or the waiting booking written unless an earlier one exists, returning how many wait ahead
    (one statement); and the person's notice as one outbox row (notices.notify), expanded
    after the commit.

    The other bookings are read only in statements after the lock's: on PostgreSQL a statement
    sees the rows committed when it began, so a count in the locking statement itself would
    miss the bookings of the sign-ups it queued behind."""
    current = db.get(Bookable, bookable_id)
    if current is None:
        raise NotFound("没有找到这个项目。")
    if maybe_earlier:
        repeat, _ = _earlier(db, bookable_id, retiree, idempotency_key)
        if repeat is not None:
            return Booked(repeat, queries.waitlist_position(db, repeat))
    now = clock.now()
    problem = signup_problem(db, current, retiree, now, home=home)
    if problem:
        raise BadRequest(problem, code="cannot_book")
    if not 1 <= quantity <= current.max_quantity:
        raise BadRequest(f"每次最多报{current.max_quantity}人。", code="bad_quantity")
    # The new booking, waiting until a seat is taken for it under the lock.
    booking = Booking(
        bookable_id=bookable_id,
        retiree_id=retiree.id or 0,
        unit_id=retiree.unit_id,
        quantity=quantity,
        notes=(notes or "").strip() or None,
        status=BookingStatus.waitlisted,
        booked_by=booked_by,
        channel=channel,
        idempotency_key=idempotency_key,
        created_at=now,
    )
    if commits_next and one_trip.possible(db):
        done = one_trip.sign_up(db, bookable=current, booking=booking, retiree=retiree)
        if done.outcome in ("confirmed", "waiting"):
            return Booked(booking, done.position)
        if done.outcome == "missing":
            raise NotFound("没有找到这个项目。")
        if done.outcome == "closed":
            raise BadRequest("这个项目已取消。", code="cannot_book")
        if done.outcome == "earlier":
            return _repeat(db, bookable_id, retiree, idempotency_key)
        # "changed": staff changed what the notice says since it was worded
    return _locked_sign_up(db, clock=clock, booking=booking, retiree=retiree)


def _locked_sign_up(db: Session, *, clock: Clock, booking: Booking, retiree: Retiree) -> Booked:
    """sign_up's locked part, one statement at a time (SQLite, and callers that go on writing):
    `booking` written confirmed or waiting, unless an earlier one exists."""
    bookable_id, quantity, idempotency_key = (
        booking.bookable_id,
        booking.quantity,
        booking.idempotency_key,
    )
    now = booking.created_at
    bookable = lock(db, bookable_id)
    if bookable.status != BookableStatus.open:
        raise BadRequest("这个项目已取消。", code="cannot_book")
    # The row is locked and fresh: whether the places fit is known without asking again.
    if bookable.confirmed_count + quantity <= bookable.capacity:
        if _take_unless_earlier(db, bookable_id, retiree, idempotency_key, quantity):
            booking.status = BookingStatus.confirmed
            booking.confirmed_at = now
            db.add(booking)
            db.flush()
            telling.tell(db, clock, bookable, booking, BookingEvent.confirmed)
            return Booked(booking, None)
    else:
        ahead = _join_unless_earlier(db, booking, retiree, idempotency_key)
        if ahead is not None:
            # Under the lock nobody else joins or leaves this waiting list.
            position = ahead + 1
            telling.tell(db, clock, bookable, booking, BookingEvent.waiting, position=position)
            return Booked(booking, position)
    # A booking with this key, or this person's open booking, exists: nothing was written.
    return _repeat(db, bookable_id, retiree, idempotency_key)


def _repeat(db: Session, bookable_id: int, retiree: Retiree, idempotency_key: str | None) -> Booked:
    """Under the lock, a booking with this key or this person's open booking was found: the
    first booking for a repeat, else the person is told they booked already."""
    repeat, active = _earlier(db, bookable_id, retiree, idempotency_key)
    if repeat is not None:
        return Booked(repeat, queries.waitlist_position(db, repeat))
    if active is not None:
        raise Conflict("您已经报过了，不用再报。可以在“我的预约”里查看。", code="already_booked")
    raise RuntimeError("a sign-up found an earlier booking that is not there")


def take_places(
    db: Session,
    *,
    clock: Clock,
    bookable_id: int,
    retiree_id: int,
    unit_id: int,
    quantity: int,
    notes: str | None,
    booked_by: str,
    channel: str,
) -> Booking | None:
    """Staff place someone directly (a ride's seats): confirmed if the places fit, else None
    and nothing written. No waiting list, no message."""
    lock(db, bookable_id)
    if not _take(db, bookable_id, quantity):
        return None
    now = clock.now()
    booking = Booking(
        bookable_id=bookable_id,
        retiree_id=retiree_id,
        unit_id=unit_id,
        quantity=quantity,
        notes=notes,
        status=BookingStatus.confirmed,
        booked_by=booked_by,
        channel=channel,
        created_at=now,
        confirmed_at=now,
    )
    db.add(booking)
    db.flush()
    return booking


def _earlier(
    db: Session, bookable_id: int, retiree: Retiree, idempotency_key: str | None
) -> tuple[Booking | None, Booking | None]:
    """In one query: the booking an earlier request with this key made, and this retiree's
    open booking on this bookable (either may be None)."""
    repeat, active = queries.earlier_booking(db, bookable_id, retiree.id or 0, idempotency_key)
    if repeat is not None and repeat.retiree_id != retiree.id:
        raise Conflict("这次请求的编号已被用过，请重新打开页面再报。", code="key_reused")
    return repeat, active


def promote(db: Session, *, clock: Clock, bookable: Bookable) -> list[Booking]:
    """Fill free places from the waiting list, first come first, skipping anyone whose
    quantity does not fit. Call with the bookable locked."""
    if bookable.status != BookableStatus.open or clock.now() >= as_utc(bookable.starts_at):
        return []
    promoted = []
    for booking in queries.waiting_of(db, bookable.id or 0):
        if _take(db, bookable.id or 0, booking.quantity):
            booking.status = BookingStatus.confirmed
            booking.confirmed_at = booking.promoted_at = clock.now()
            db.add(booking)
            promoted.append(booking)
            telling.tell(db, clock, bookable, booking, BookingEvent.promoted)
    return promoted


def cancel(
    db: Session,
    *,
    clock: Clock,
    booking: Booking,
    by: str,
    reason: str | None = None,
    by_staff: bool = False,
    quiet: bool = False,
) -> Booking:
    """Cancel a booking, leave the waiting list, or decline a promotion. The freed places go to
    the waiting list at once. `by_staff`: no cancel deadline, and the retiree is told (unless
    `quiet`, for a consumer that tells them in its own words)."""
    bookable = lock(db, booking.bookable_id)
    booking = db.exec(
        select(Booking).where(Booking.id == booking.id).execution_options(populate_existing=True)
    ).one()
    if booking.status == BookingStatus.cancelled:
        return booking
    now = clock.now()
    was_confirmed = booking.status == BookingStatus.confirmed
    if was_confirmed and not by_staff and now > as_utc(bookable.cancel_deadline):
        raise BadRequest(
            f"已过取消时间（{format_local(bookable.cancel_deadline)}）。"
            "如确实去不了，请打电话告诉工作人员。",
            code="too_late_to_cancel",
        )
    _end(booking, now=now, by=by, reason=reason)
    db.add(booking)
    if was_confirmed:
        _release(db, bookable.id or 0, booking.quantity)
        db.flush()
        promote(db, clock=clock, bookable=bookable)
    if by_staff and not quiet:
        telling.tell(db, clock, bookable, booking, BookingEvent.cancelled_by_staff)
    return booking


def end_all_for_retiree(db: Session, *, clock: Clock, retiree_id: int, reason: str, by: str) -> int:
    """End everything open for a retiree (on their death): bookings of things not yet begun are
    cancelled, waiting-list places given up, freed places go to the next in line. The retiree
    is not told. Returns how many bookings ended."""
    now = clock.now()
    open_ones = queries.open_for_retiree(db, retiree_id, starting_after=now)
    for bookable_id in sorted({b.bookable_id for b in open_ones}):  # one lock order
        bookable = lock(db, bookable_id)
        freed = False
        for booking in queries.active_of_retiree_on(db, bookable_id, retiree_id):
            freed |= booking.status == BookingStatus.confirmed
            if booking.status == BookingStatus.confirmed:
                _release(db, bookable_id, booking.quantity)
            _end(booking, now=now, by=by, reason=reason)
            db.add(booking)
        db.flush()
        if freed:
            promote(db, clock=clock, bookable=bookable)
    return len(open_ones)


def count_ended_for_retiree(db: Session, *, retiree_id: int, reason: str, since: datetime) -> int:
    """How many of a retiree's bookings were ended for `reason` since a moment."""
    return int(
        db.exec(
            select(func.count())
            .select_from(Booking)
            .where(
                Booking.retiree_id == retiree_id,
                Booking.cancel_reason == reason,
                col(Booking.cancelled_at) >= since,
            )
        ).one()
    )


def record_attendance(db: Session, *, booking: Booking, attended: bool) -> Booking:
    booking.attended = attended
    db.add(booking)
    return booking


def record_rating(db: Session, *, booking: Booking, rating: str, note: str | None) -> Booking:
    booking.rating = rating
    booking.rating_note = (note or "").strip() or None
    db.add(booking)
    return booking


def _end(booking: Booking, *, now: datetime, by: str, reason: str | None) -> None:
    booking.status = BookingStatus.cancelled
    booking.cancelled_at = now
    booking.cancelled_by = by
    booking.cancel_reason = reason
