"""Bookings' mechanism tested directly: each test runs in one transaction on a connection of its
own, rolled back at the end, so nothing is committed and no table needs emptying."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from backend.accounts import units
from backend.accounts.enums import Gender, RetireeCategory, RetireeLevel, UnitKind
from backend.accounts.models import Retiree, Unit
from backend.bookings import api, notifier
from backend.bookings.enums import BookingEvent
from backend.bookings.models import Bookable
from backend.core.clock import FrozenClock
from tests.conftest import START

KIND = "test"  # a kind of bookable only these tests use, with a notifier that records
_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _clean_state() -> Iterator[None]:
    """Replaces the suite's table-emptying: every test here is rolled back instead."""
    yield


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def clock() -> FrozenClock:
    """A clock of this test's own (the suite's clock is shared with the app server)."""
    return FrozenClock(START)


@dataclass
class Told:
    """What bookings asked the consumer to tell, in order: (event, retiree id, facts)."""

    calls: list[tuple[BookingEvent, int, notifier.Facts]] = field(default_factory=list)

    def message(self, event: BookingEvent, facts: notifier.Facts, retiree_id: int) -> None:
        self.calls.append((event, retiree_id, facts))

    def events_for(self, retiree_id: int) -> list[BookingEvent]:
        return [event for event, who, _ in self.calls if who == retiree_id]


@pytest.fixture
def told() -> Iterator[Told]:
    recorder = Told()
    notifier.register(KIND, recorder)
    yield recorder
    notifier.unregister(KIND)


@dataclass
class Place:
    unit: Unit
    db: Session
    clock: FrozenClock

    def sub_unit(self, name: str) -> Place:
        """A unit under this one, with its own retirees and bookables."""
        unit = units.create_unit(
            self.db, clock=self.clock, name=name, kind=UnitKind.institute, parent=self.unit
        )
        return Place(unit=unit, db=self.db, clock=self.clock)

    def retiree(self, name: str = "张建国") -> Retiree:
        n = next(_seq)
        now = self.clock.now()
        retiree = Retiree(
            unit_id=self.unit.id or 0,
            name=name,
            gender=Gender.male,
            birth_date=date(1936, 3, 12),
            category=RetireeCategory.tuixiu,
            level=RetireeLevel.regiment_and_below,
            id_number_enc=f"enc-{n}",
            id_number_hash=f"bookings-test-hash-{n}",
            id_number_tail=f"{n % 10000:04d}",
            created_at=now,
            updated_at=now,
        )
        self.db.add(retiree)
        self.db.flush()
        return retiree

    def bookable(
        self,
        *,
        capacity: int = 2,
        starts_in: timedelta = timedelta(days=7),
        kind: str = KIND,
        max_quantity: int = 2,
    ) -> Bookable:
        now = self.clock.now()
        starts_at: datetime = now + starts_in
        return api.create_bookable(
            self.db,
            clock=self.clock,
            kind=kind,
            unit_id=self.unit.id or 0,
            title="春游颐和园",
            capacity=capacity,
            starts_at=starts_at,
            ends_at=None,
            opens_at=now,
            closes_at=starts_at,
            cancel_deadline=starts_at - timedelta(days=1),
            max_quantity=max_quantity,
        )


@pytest.fixture
def place(db: Session, clock: FrozenClock) -> Place:
    unit = units.create_unit(db, clock=clock, name="第一军休所", kind=UnitKind.center, parent=None)
    return Place(unit=unit, db=db, clock=clock)
