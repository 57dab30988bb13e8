"""core/db.py read_columns: a hot list's read of plain columns runs on the session's own
connection (Core, no ORM execution context) yet sees what the session has not flushed yet and
stays inside the session's transaction, as an ORM query would."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import bindparam, func
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from backend.accounts.enums import UnitKind
from backend.accounts.models import Unit
from backend.core.clock import FrozenClock
from backend.core.db import read_columns, transaction


def _named(name: str) -> object:
    return select(func.count()).select_from(Unit).where(col(Unit.name) == name)


def test_what_the_session_holds_unflushed_is_read(engine: Engine) -> None:
    clock = FrozenClock(datetime(2026, 11, 29, tzinfo=UTC))
    with transaction(engine) as db:
        db.add(Unit(name="读前未写", kind=UnitKind.institute, created_at=clock.now()))
        assert read_columns(db, _named("读前未写")).scalar_one() == 1
        db.rollback()
    with transaction(engine) as db:  # it was the session's transaction: rolled back with it
        assert read_columns(db, _named("读前未写")).scalar_one() == 0


def test_bound_values_are_passed(engine: Engine) -> None:
    clock = FrozenClock(datetime(2026, 11, 29, tzinfo=UTC))
    with transaction(engine) as db:
        db.add(Unit(name="按值读", kind=UnitKind.institute, created_at=clock.now()))
        statement = select(col(Unit.name)).where(col(Unit.name) == bindparam("name"))
        assert read_columns(db, statement, {"name": "按值读"}).scalars().all() == ["按值读"]
        db.rollback()
