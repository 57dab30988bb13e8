"""How many wait on a bookable is kept by the database (bookable_line, migration 0035): every
way a booking joins or leaves a line moves it, on SQLite and on PostgreSQL. After every step
the kept count must equal a count of the bookings (tests/line_check.py, which also runs after
every test of the suite that used the database)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, text
from sqlmodel import Session

from backend.bookings import api, queries
from backend.bookings.enums import BookingStatus
from backend.bookings.models import Bookable
from backend.core.clock import FrozenClock
from tests.bookings.conftest import Place, Told
from tests.bookings.test_mechanism import book, fresh
from tests.line_check import lines_out_of_step


def kept(db: Session, thing: Bookable) -> int:
    """What the line's row says (what the lists show), checked against the bookings."""
    assert lines_out_of_step(db.connection()) == []
    return queries.waiting_counts(db, [thing.id or 0])[thing.id or 0]


def test_every_way_in_and_out_of_a_line_moves_the_count(
    db: Session, clock: FrozenClock, place: Place, told: Told
) -> None:
    thing = place.bookable(capacity=2)
    other = place.bookable(capacity=1)
    assert kept(db, thing) == 0  # nobody has waited: no row, read as 0
    people = [place.retiree(f"老同志{i}") for i in range(6)]
    made = [book(db, clock, thing.id or 0, p) for p in people]
    assert [b.status for b in made] == ["confirmed"] * 2 + ["waitlisted"] * 4
    assert kept(db, thing) == 4

    # leaving the line from the middle
    api.cancel(db, clock=clock, booking=made[3], by="self")
    assert kept(db, thing) == 3
    # a confirmed one cancels: the first in line is promoted
    api.cancel(db, clock=clock, booking=made[0], by="self")
    assert fresh(db, made[2]).status == BookingStatus.confirmed
    assert kept(db, thing) == 2
    # more seats: the rest are promoted
    api.set_capacity(db, clock=clock, bookable_id=thing.id or 0, capacity=3)
    assert kept(db, thing) == 1
    # the retiree's death ends their place in line
    api.end_all_for_retiree(
        db, clock=clock, retiree_id=people[5].id or 0, reason="去世", by="staff:1"
    )
    assert kept(db, thing) == 0

    # a line on another thing, then the thing called off: everyone leaves at once
    for p in people[:3]:
        book(db, clock, other.id or 0, p)
    assert kept(db, other) == 2
    api.cancel_bookable(db, clock=clock, bookable_id=other.id or 0, reason="下雨", by="staff:1")
    assert kept(db, other) == 0
    assert kept(db, thing) == 0


def test_a_booking_changed_or_removed_by_hand_is_counted_too(
    db: Session, clock: FrozenClock, place: Place, told: Told
) -> None:
    """Triggers, not the app's code: a tool that changes the table directly keeps it right."""
    thing = place.bookable(capacity=1)
    made = [book(db, clock, thing.id or 0, place.retiree()) for _ in range(4)]
    db.flush()
    ids = [b.id or 0 for b in made]
    db.execute(text("DELETE FROM booking WHERE id = :id"), {"id": ids[3]})
    assert kept(db, thing) == 2
    db.execute(text("UPDATE booking SET status = 'cancelled' WHERE id = :id"), {"id": ids[2]})
    assert kept(db, thing) == 1
    db.execute(text("UPDATE booking SET status = 'waitlisted' WHERE id = :id"), {"id": ids[2]})
    assert kept(db, thing) == 2
    # a note or a rating on a waiting booking moves nothing
    db.execute(text("UPDATE booking SET notes = '坐轮椅' WHERE id = :id"), {"id": ids[2]})
    assert kept(db, thing) == 2
    # moved to another thing's line
    other = place.bookable(capacity=1)
    db.execute(
        text("UPDATE booking SET bookable_id = :other WHERE id = :id"),
        {"other": other.id, "id": ids[2]},
    )
    assert kept(db, thing) == 1
    assert kept(db, other) == 1


def test_the_check_itself_sees_a_wrong_count(
    db: Session, clock: FrozenClock, place: Place, told: Told
) -> None:
    thing = place.bookable(capacity=1)
    for _ in range(3):
        book(db, clock, thing.id or 0, place.retiree())
    db.flush()
    db.execute(text("UPDATE bookable_line SET waiting = 5 WHERE bookable_id = :b"), {"b": thing.id})
    assert lines_out_of_step(db.connection()) == [(thing.id, 5, 2)]


def test_places_in_line_come_back_only_for_the_bookings_asked(
    db: Session, clock: FrozenClock, place: Place, told: Told
) -> None:
    """`waitlist_positions` numbers each line in the database and returns one row per booking
    asked for, whatever the length of the lines (it used to fetch every waiting id)."""
    first, second = place.bookable(capacity=1), place.bookable(capacity=1)
    people = [place.retiree(f"老同志{i}") for i in range(8)]
    on_first = [book(db, clock, first.id or 0, p) for p in people]
    on_second = [book(db, clock, second.id or 0, p) for p in reversed(people)]
    api.cancel(db, clock=clock, booking=on_first[2], by="self")  # leaves from the middle
    mine = [on_first[5], on_second[1], on_first[0]]  # waiting, waiting, confirmed
    rows: list[int] = []

    def fetched(_conn: Any, cursor: Any, statement: str, *_rest: Any) -> None:
        if "row_number" in statement:
            rows.append(cursor.rowcount)  # PostgreSQL: the rows sent; SQLite: -1 (not known)

    engine = db.get_bind()
    event.listen(engine, "after_cursor_execute", fetched)
    try:
        assert queries.waitlist_positions(db, mine) == {on_first[5].id: 4, on_second[1].id: 1}
    finally:
        event.remove(engine, "after_cursor_execute", fetched)
    assert len(rows) == 1
    if engine.dialect.name == "postgresql":
        assert rows == [2]  # not the 6 + 7 waiting
