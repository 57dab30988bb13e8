"""A list costs the same number of SQL statements whatever its length: the staff's activity
list and a retiree's (with their own bookings, some on the waiting list) read bookings through
the batched queries.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from backend.accounts.enums import StaffRole
from backend.accounts.models import StaffAccount
from backend.activities import service as activities
from backend.activities.models import Activity
from backend.activities.schemas import ActivityCategory, ActivityIn
from backend.bookings import api
from backend.bookings.models import Bookable, Booking
from backend.core.clock import FrozenClock
from tests.bookings.conftest import Place


@contextmanager
def counting(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _world(db: Session, clock: FrozenClock, place: Place, n: int) -> tuple[Any, Any]:
    """n activities; the retiree is confirmed on the even ones and waits on the odd ones (behind
    someone else who took the one place); a weekly class among them."""
    staff = StaffAccount(
        username=f"counting-{n}",
        display_name="工作人员",
        password_hash="x",
        role=StaffRole.staff,
        unit_id=place.unit.id or 0,
        created_at=clock.now(),
    )
    db.add(staff)
    db.flush()
    me, other = place.retiree("张建国"), place.retiree("李老")
    for i in range(n):
        data = ActivityIn(
            category=ActivityCategory(list(ActivityCategory)[0]),
            title=f"活动{i}",
            place="活动室",
            starts_at=clock.now() + timedelta(days=2, hours=i),
            capacity=1,
        )
        activity = activities.create(db, clock=clock, staff=staff, scope=place.unit, data=data)
        _, bookable = activities.get(db, activity.id or 0)
        people = [me] if i % 2 == 0 else [other, me]
        for who in people:
            api.book(
                db,
                clock=clock,
                bookable_id=bookable.id or 0,
                retiree=who,
                quantity=1,
                notes=None,
                booked_by="self",
                channel="小程序",
                idempotency_key=None,
            )
    db.flush()
    db.expire_all()
    return staff, me


def _cost(engine: Engine, db: Session, read: Callable[[], list[Any]], n: int) -> int:
    with counting(engine) as statements:
        rows = read()
    assert len(rows) == n
    return len(statements)


def test_the_staff_list_costs_the_same_for_5_and_50(
    engine: Engine, db: Session, clock: FrozenClock, place: Place
) -> None:
    costs = {}
    for n in (5, 50):
        sub = place.sub_unit(f"第{n}所")
        _world(db, clock, sub, n)
        costs[n] = _cost(
            engine, db, lambda s=sub: activities.list_in_scope(db, clock=clock, scope=s.unit), n
        )
    assert costs[5] == costs[50], costs


def test_a_retirees_list_costs_the_same_for_5_and_50(
    engine: Engine, db: Session, clock: FrozenClock, place: Place
) -> None:
    costs = {}
    for n in (5, 50):
        sub = place.sub_unit(f"第{n}所")
        _, me = _world(db, clock, sub, n)
        listed: list[Any] = []

        def read(me: Any = me, listed: list[Any] = listed) -> list[Any]:
            listed[:] = activities.upcoming_for(db, clock=clock, retiree=me)
            return listed

        costs[n] = _cost(engine, db, read, n)
        mine = [a.my_booking for a in listed]
        assert all(m is not None for m in mine)
        assert {m.status_code for m in mine if m} == {"confirmed", "waitlisted"}
        assert {m.waitlist_position for m in mine if m and m.status_code == "waitlisted"} == {1}
    assert costs[5] == costs[50], costs


def test_a_retirees_list_reads_plain_rows_not_orm_objects(
    db: Session, clock: FrozenClock, place: Place
) -> None:
    """Building an ORM object per activity, bookable and booking cost more than the query
    (bookings/rows.py): the list reads them as plain rows, so the ORM loads none."""
    _, me = _world(db, clock, place, 4)
    loaded: list[str] = []

    def record(target: Any, _context: Any) -> None:
        loaded.append(type(target).__name__)

    models = (Activity, Bookable, Booking)
    for model in models:
        event.listen(model, "load", record)
    try:
        listed = activities.upcoming_for(db, clock=clock, retiree=me)
    finally:
        for model in models:
            event.remove(model, "load", record)
    assert len(listed) == 4 and all(a.my_booking is not None for a in listed)
    assert loaded == []
