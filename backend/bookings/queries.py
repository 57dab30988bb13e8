"""Reading bookings' tables, batched: a list of N things costs the same few queries whatever N
is. Consumers read `Bookable`/`Booking` only through here (and write only through `api.py`)."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, Subquery, and_, bindparam, case, exists, func, or_
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, SQLModel, col, select

from backend.accounts.models import Unit
from backend.accounts.scope import at_or_above
from backend.bookings.enums import ACTIVE, BookableStatus, BookingStatus
from backend.bookings.models import Bookable, BookableLine, Booking
from backend.bookings.rows import BookableFields, BookingFields, field_names
from backend.core.db import read_columns

T = TypeVar("T", bound=SQLModel)
R = TypeVar("R")

# ---- bookables ------------------------------------------------------------------------------


def bookable(db: Session, bookable_id: int) -> Bookable | None:
    return db.get(Bookable, bookable_id)


def with_owner(db: Session, owner: type[T], owner_id: int) -> tuple[T, Bookable] | None:
    """A consumer's row (an activity, a meal …: any model with a `bookable_id`) and its
    bookable, in one query."""
    row = db.exec(
        select(owner, Bookable)
        .join(Bookable, col(Bookable.id) == owner.bookable_id)  # type: ignore[attr-defined]
        .where(owner.id == owner_id)  # type: ignore[attr-defined]
    ).first()
    return (row[0], row[1]) if row is not None else None


def for_sign_up(
    db: Session, owner: type[T], owner_id: int, *, home_id: int, retiree_id: int, key: str | None
) -> tuple[T, Bookable, Unit | None, bool] | None:
    """What a sign-up reads before the lock, in one query: the consumer's row and its bookable,
    the retiree's unit (`home_id`; None if missing), and whether a booking with this key or an
    open booking of this retiree on it may exist already (then `earlier_booking` reads them)."""
    params: dict[str, Any] = {"s_owner": owner_id, "s_home": home_id, "s_retiree": retiree_id}
    if key:
        params["s_key"] = key
    row = db.execute(_for_sign_up(owner, bool(key)), params).first()
    return (row[0], row[1], row[2], bool(row[3])) if row is not None else None


_FOR_SIGN_UP: dict[tuple[type[Any], bool], Any] = {}


def _for_sign_up(owner: type[T], with_key: bool) -> Any:
    """for_sign_up's statement, built once per consumer with bound parameters: SQLAlchemy then
    neither builds it nor works out its cache key on every sign-up."""
    built = _FOR_SIGN_UP.get((owner, with_key))
    if built is not None:
        return built
    mine = (col(Booking.retiree_id) == bindparam("s_retiree")) & col(Booking.status).in_(ACTIVE)
    earlier = (
        exists()
        .where(
            col(Booking.bookable_id) == col(Bookable.id),
            or_(mine, col(Booking.idempotency_key) == bindparam("s_key")) if with_key else mine,
        )
        .correlate(Bookable)
    )
    built = _FOR_SIGN_UP[(owner, with_key)] = (
        select(owner, Bookable, Unit, earlier)
        .join(Bookable, col(Bookable.id) == owner.bookable_id)  # type: ignore[attr-defined]
        .outerjoin(Unit, col(Unit.id) == bindparam("s_home"))
        .where(owner.id == bindparam("s_owner"))  # type: ignore[attr-defined]
    )
    return built


def bookables(db: Session, ids: Iterable[int]) -> dict[int, Bookable]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = db.exec(select(Bookable).where(col(Bookable.id).in_(wanted))).all()
    return {b.id or 0: b for b in rows}


def find_bookables(
    db: Session,
    *,
    kind: str,
    unit_ids: Sequence[int] | None = None,
    within: Unit | None = None,
    starts_after: datetime | None = None,
    newest_first: bool = False,
    limit: int | None = None,
) -> list[Bookable]:
    """Bookables of one kind, owned by one of `unit_ids` or by a unit inside `within`."""
    query = select(Bookable).where(Bookable.kind == kind)
    if unit_ids is not None:
        query = query.where(col(Bookable.unit_id).in_(list(unit_ids)))
    if within is not None:
        query = query.join(Unit, col(Unit.id) == col(Bookable.unit_id)).where(
            col(Unit.path).startswith(within.path)
        )
    if starts_after is not None:
        query = query.where(col(Bookable.starts_at) > starts_after)
    starts = col(Bookable.starts_at)
    query = query.order_by(starts.desc() if newest_first else starts, col(Bookable.id))
    if limit is not None:
        query = query.limit(limit)
    return list(db.exec(query).all())


# ---- bookings -------------------------------------------------------------------------------


def booking(db: Session, booking_id: int) -> Booking | None:
    return db.get(Booking, booking_id)


def bookings(db: Session, ids: Iterable[int]) -> dict[int, Booking]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = db.exec(select(Booking).where(col(Booking.id).in_(wanted))).all()
    return {b.id or 0: b for b in rows}


def active_bookings_of(
    db: Session, retiree_id: int, bookable_ids: Iterable[int]
) -> dict[int, Booking]:
    """This retiree's open booking on each of these bookables, by bookable id."""
    wanted = sorted(set(bookable_ids))
    if not wanted:
        return {}
    rows = db.exec(
        select(Booking).where(
            col(Booking.bookable_id).in_(wanted),
            Booking.retiree_id == retiree_id,
            col(Booking.status).in_(ACTIVE),
        )
    ).all()
    return {b.bookable_id: b for b in rows}


def active_of(db: Session, bookable_ids: Iterable[int]) -> list[Booking]:
    """The open bookings on these bookables: confirmed first, then the waiting list in order."""
    wanted = sorted(set(bookable_ids))
    if not wanted:
        return []
    return list(
        db.exec(
            select(Booking)
            .where(col(Booking.bookable_id).in_(wanted), col(Booking.status).in_(ACTIVE))
            .order_by(col(Booking.status), col(Booking.id))
        ).all()
    )


def of_status(db: Session, bookable_ids: Iterable[int], statuses: Iterable[str]) -> list[Booking]:
    wanted = sorted(set(bookable_ids))
    if not wanted:
        return []
    return list(
        db.exec(
            select(Booking)
            .where(col(Booking.bookable_id).in_(wanted), col(Booking.status).in_(list(statuses)))
            .order_by(col(Booking.id))
        ).all()
    )


def waiting_of(db: Session, bookable_id: int) -> list[Booking]:
    """The waiting list, first come first."""
    return of_status(db, [bookable_id], [BookingStatus.waitlisted])


def active_of_retiree_on(db: Session, bookable_id: int, retiree_id: int) -> list[Booking]:
    return list(
        db.exec(
            select(Booking)
            .where(
                Booking.bookable_id == bookable_id,
                Booking.retiree_id == retiree_id,
                col(Booking.status).in_(ACTIVE),
            )
            .execution_options(populate_existing=True)
        ).all()
    )


def open_for_retiree(db: Session, retiree_id: int, *, starting_after: datetime) -> list[Booking]:
    """A retiree's open bookings on things that are not over yet."""
    return list(
        db.exec(
            select(Booking)
            .join(Bookable, col(Bookable.id) == col(Booking.bookable_id))
            .where(
                Booking.retiree_id == retiree_id,
                col(Booking.status).in_(ACTIVE),
                Bookable.status == BookableStatus.open,
                or_(
                    col(Bookable.starts_at) > starting_after,
                    col(Bookable.ends_at) > starting_after,
                ),
            )
            .order_by(col(Booking.id))
        ).all()
    )


def for_retiree(
    db: Session, retiree_id: int, *, kind: str, limit: int = 100
) -> list[tuple[Booking, Bookable]]:
    """A retiree's bookings of one kind, latest first."""
    rows = db.exec(
        select(Booking, Bookable)
        .join(Bookable, col(Bookable.id) == col(Booking.bookable_id))
        .where(Booking.retiree_id == retiree_id, Bookable.kind == kind)
        .order_by(col(Bookable.starts_at).desc(), col(Booking.id).desc())
        .limit(limit)
    ).all()
    return [(b, k) for b, k in rows]


def earlier_booking(
    db: Session, bookable_id: int, retiree_id: int, key: str | None
) -> tuple[Booking | None, Booking | None]:
    """One query for a sign-up: the booking made with this idempotency key on this bookable
    (whoever made it), and this retiree's open booking on it."""
    mine = (col(Booking.retiree_id) == retiree_id) & col(Booking.status).in_(ACTIVE)
    rows = db.exec(
        select(Booking)
        .where(
            Booking.bookable_id == bookable_id,
            or_(mine, col(Booking.idempotency_key) == key) if key else mine,
        )
        .order_by(col(Booking.id))
    ).all()
    repeat = next((b for b in rows if key and b.idempotency_key == key), None)
    active = next((b for b in rows if b.retiree_id == retiree_id and b.status in ACTIVE), None)
    return repeat, active


def by_idempotency_key(db: Session, bookable_ids: Iterable[int], key: str) -> Booking | None:
    wanted = sorted(set(bookable_ids))
    if not wanted or not key:
        return None
    return db.exec(
        select(Booking)
        .where(col(Booking.bookable_id).in_(wanted), Booking.idempotency_key == key)
        .order_by(col(Booking.id))
    ).first()


def confirmed_upcoming(
    db: Session, *, kinds: Iterable[str], after: datetime
) -> list[tuple[Bookable, Booking]]:
    """Confirmed bookings of open things of these kinds starting after `after`."""
    rows = db.exec(
        select(Bookable, Booking)
        .join(Booking, col(Booking.bookable_id) == col(Bookable.id))
        .where(
            col(Bookable.kind).in_(list(kinds)),
            Bookable.status == BookableStatus.open,
            Booking.status == BookingStatus.confirmed,
            col(Bookable.starts_at) > after,
        )
        .order_by(col(Booking.id))
    ).all()
    return [(k, b) for k, b in rows]


# ---- the waiting list -----------------------------------------------------------------------


def waitlist_position(db: Session, booking: BookingFields) -> int | None:
    """1 for the first in line; None for a booking not waiting. One COUNT query."""
    if booking.status != BookingStatus.waitlisted:
        return None
    ahead = db.exec(
        select(func.count())
        .select_from(Booking)
        .where(
            Booking.bookable_id == booking.bookable_id,
            Booking.status == BookingStatus.waitlisted,
            col(Booking.id) < booking.id,
        )
    ).one()
    return int(ahead) + 1


def waitlist_positions(db: Session, bookings: Iterable[Booking]) -> dict[int, int]:
    """Positions of the waiting ones among `bookings`, by booking id, in one query. The database
    numbers each line (from the index) and returns only the rows asked for: a person waiting
    in six lines of 1,900 gets six rows back, not 11,400 ids to count in Python."""
    waiting = {b.id or 0: b.bookable_id for b in bookings if b.status == BookingStatus.waitlisted}
    if not waiting:
        return {}
    numbered = (
        sa_select(
            col(Booking.id).label("id"),
            func.row_number()
            .over(partition_by=col(Booking.bookable_id), order_by=col(Booking.id))
            .label("place"),
        )
        .where(
            col(Booking.bookable_id).in_(sorted(set(waiting.values()))),
            col(Booking.status) == BookingStatus.waitlisted,
        )
        .subquery("line")
    )
    rows = db.execute(
        sa_select(numbered.c.id, numbered.c.place).where(numbered.c.id.in_(sorted(waiting)))
    ).all()
    return {int(booking_id): int(place) for booking_id, place in rows}


def waiting_counts(db: Session, bookable_ids: Iterable[int]) -> dict[int, int]:
    """How many wait on each of these bookables (0 when none), in one query: the lines' rows
    the database keeps (models.BookableLine), not a count of the bookings."""
    wanted = sorted(set(bookable_ids))
    counts = dict.fromkeys(wanted, 0)
    if not wanted:
        return counts
    rows = db.exec(
        select(BookableLine.bookable_id, BookableLine.waiting).where(
            col(BookableLine.bookable_id).in_(wanted)
        )
    ).all()
    counts.update({bookable_id: int(n) for bookable_id, n in rows})
    return counts


# ---- a consumer's list, in one statement ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Listed(Generic[R]):
    """One item of a consumer's list: its own row, the bookable, how many wait on it, the
    retiree's open booking on it and that booking's place in line (None when not waiting), and
    the consumer's extra columns. Owner, bookable and booking are plain read-only rows with
    their models' column names (bookings/rows.py), not ORM objects: nothing here is changed."""

    owner: R
    bookable: BookableFields
    waiting: int
    mine: BookingFields | None
    position: int | None
    extra: tuple[Any, ...]


class Fields:
    """Some columns of a model (or an alias of one) that a listing returns as one plain
    read-only row with the model's attribute names (a named tuple: no ORM object, no identity
    map, nothing to track)."""

    __slots__ = ("columns", "row_type")

    def __init__(self, name: str, entity: Any, names: Sequence[str]) -> None:
        self.columns = tuple(getattr(entity, key) for key in names)
        self.row_type: type[tuple[Any, ...]] = namedtuple(name, names)  # type: ignore[misc]


def _flat(parts: Sequence[Any]) -> tuple[list[Any], tuple[tuple[Any, int, int], ...]]:
    """The statement's columns for `parts` (Fields or single column expressions) and, for each
    part, (its row type or None, where its columns start, where they end) in a result row."""
    columns: list[Any] = []
    layout: list[tuple[Any, int, int]] = []
    for part in parts:
        start = len(columns)
        if isinstance(part, Fields):
            columns.extend(part.columns)
            layout.append((part.row_type, start, len(columns)))
        else:
            columns.append(part)
            layout.append((None, start, start + 1))
    return columns, tuple(layout)


@dataclass(frozen=True, slots=True)
class Listing:
    """A built listing statement and how each result row splits into its parts."""

    statement: Select[Any]
    layout: tuple[tuple[Any, int, int], ...]

    def where(self, *clauses: Any) -> Listing:
        return Listing(self.statement.where(*clauses), self.layout)


def _all_columns(model: type[SQLModel]) -> tuple[str, ...]:
    return tuple(attr.key for attr in sa_inspect(model).column_attrs)


def _active(booking: type[Booking]) -> ColumnElement[bool]:
    """An open booking, as OR-ed equalities: no list for the statement to expand per call."""
    return or_(*(col(booking.status) == status for status in ACTIVE))


def listing(owner: type[T], *extra: Any, home: Any = None) -> Listing:
    """The statement for a consumer's list of upcoming bookables: its rows (`owner`, joined on
    `bookable_id`) of kind :kind owned by one of :unit_ids, starting after :after, soonest
    first, each with the waiting count (the line's row, models.BookableLine), the open booking
    of :retiree_id and its place in line (a count, from the index: migration 0034).
    `home`: an alias of the unit table, joined as the unit :home_unit_id; the bookables are then
    those of that unit and the units above it (no :unit_ids), and `extra` may name it to have
    the row returned. An `extra` is a column expression or `Fields` (a plain row).

    Build it once (a module-level constant: a statement reused is neither rebuilt nor re-keyed
    for the compiled cache on each request), narrow it with `.where(...)` on the owner's
    columns, and read it with `read_listing`, which runs it on the session's connection
    (Core: the rows are plain tuples, so the ORM's per-row loading is not needed)."""
    mine = aliased(Booking, name="mine")
    other = aliased(Booking, name="other")
    waiting = func.coalesce(BookableLine.waiting, 0)  # no line row: nobody has waited
    ahead = (  # the waiting ones up to and including mine: my place in line
        select(func.count())
        .select_from(other)
        .where(
            other.bookable_id == Bookable.id,
            other.status == BookingStatus.waitlisted,
            col(other.id) <= mine.id,
        )
        .scalar_subquery()
    )
    later = (  # one row per bookable, should a retiree ever hold two open bookings: the later
        select(other.id)
        .where(
            other.bookable_id == mine.bookable_id,
            other.retiree_id == mine.retiree_id,
            _active(other),
            col(other.id) > mine.id,
        )
        .exists()
    )
    columns, layout = _flat(
        (
            Fields("owner", owner, _all_columns(owner)),
            Fields("bookable", Bookable, field_names(BookableFields)),
            waiting,
            Fields("mine", mine, field_names(BookingFields)),
            case((col(mine.status) == BookingStatus.waitlisted, ahead), else_=None),
            *extra,
        )
    )
    statement = (
        sa_select(*columns)
        .join(Bookable, col(Bookable.id) == owner.bookable_id)  # type: ignore[attr-defined]
        .outerjoin(BookableLine, col(BookableLine.bookable_id) == Bookable.id)
        .outerjoin(
            mine,
            and_(
                col(mine.bookable_id) == Bookable.id,
                col(mine.retiree_id) == bindparam("retiree_id"),
                _active(mine),
                ~later,
            ),
        )
        .where(
            col(Bookable.kind) == bindparam("kind"),
            col(Bookable.unit_id).in_(bindparam("unit_ids", expanding=True))
            if home is None
            else at_or_above(Bookable.unit_id, home),
            col(Bookable.starts_at) > bindparam("after"),
        )
        .order_by(col(Bookable.starts_at), col(Bookable.id))
    )
    if home is not None:
        statement = statement.join(home, col(home.id) == bindparam("home_unit_id"))
    return Listing(statement, layout)


def read_listing(
    db: Session,
    listing: Listing,
    *,
    kind: str,
    starts_after: datetime,
    retiree_id: int | None,
    unit_ids: Sequence[int] = (),
    **params: Any,
) -> list[Listed[Any]]:
    """The rows of a `listing` statement; `params`: the values of the consumer's own
    bindparams. No retiree: `mine` is None on every row. The owner is a plain row with all of the
    owner model's columns: the caller types it by what it reads (core/db.py: read_columns)."""
    rows = read_columns(
        db,
        listing.statement,
        {
            "kind": kind,
            "unit_ids": list(unit_ids),
            "after": starts_after,
            "retiree_id": retiree_id if retiree_id is not None else 0,
            **params,
        },
    ).all()
    layout = listing.layout
    result = []
    for r in rows:
        parts = [
            row_type._make(r[start:end]) if row_type is not None else r[start]
            for row_type, start, end in layout
        ]
        mine = parts[3]
        result.append(
            Listed(
                owner=parts[0],
                bookable=parts[1],
                waiting=int(parts[2]),
                mine=mine if mine.id is not None else None,  # the outer join found none
                position=int(parts[4]) if parts[4] is not None else None,
                extra=tuple(parts[5:]),
            )
        )
    return result


# ---- for reports that count in SQL ---------------------------------------------------------


def bookable_rows() -> Subquery:
    """SQL: every bookable's `id`, `unit_id`, `starts_at` and whether it still stands (`open`,
    not cancelled), for a report that joins its own rows to them in the one query it makes."""
    return sa_select(
        col(Bookable.id).label("id"),
        col(Bookable.unit_id).label("unit_id"),
        col(Bookable.starts_at).label("starts_at"),
        (col(Bookable.status) == BookableStatus.open).label("open"),
    ).subquery("bookable_row")


def confirmed_rows() -> Subquery:
    """SQL: every confirmed booking's `id`, `bookable_id`, `quantity` and `attended`."""
    return (
        sa_select(
            col(Booking.id).label("id"),
            col(Booking.bookable_id).label("bookable_id"),
            col(Booking.quantity).label("quantity"),
            col(Booking.attended).label("attended"),
        )
        .where(col(Booking.status) == BookingStatus.confirmed)
        .subquery("confirmed_booking")
    )
