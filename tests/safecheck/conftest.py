"""Helpers for the 报平安 tests: a job context on the test clock, plans switched on directly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from backend.core.actors import Actor
from backend.core.clock import FrozenClock
from backend.core.context import AppContext
from backend.core.db import transaction
from backend.notices.models import Notice, StaffAlert
from backend.safecheck import service
from backend.safecheck.schemas import PlanSettings

SH = timedelta(hours=8)


def shanghai(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    """A Shanghai wall-clock time as the UTC instant the clock holds."""
    return datetime(y, m, d, hh, mm, tzinfo=UTC) - SH


@pytest.fixture
def ctx(engine: Engine, cache, clock: FrozenClock, cipher, settings) -> AppContext:
    return AppContext(settings=settings, engine=engine, cache=cache, clock=clock, cipher=cipher)


def turn_on(engine: Engine, clock: FrozenClock, retiree_id: int, **settings: object) -> None:
    with transaction(engine) as db:
        service.save_plan(
            db,
            clock=clock,
            retiree_id=retiree_id,
            data=PlanSettings(**settings),  # type: ignore[arg-type]
            actor=Actor.self_(),
        )


def tap(engine: Engine, clock: FrozenClock, retiree_id: int) -> None:
    with transaction(engine) as db:
        service.check_in(db, clock=clock, retiree_id=retiree_id, actor=Actor.self_())


def notice_keys(engine: Engine) -> list[str]:
    with Session(engine) as db:
        rows = db.exec(
            select(Notice.dedupe_key).where(col(Notice.dedupe_key).startswith("safecheck:"))
        ).all()
    return sorted(k for k in rows if k)


def alert_keys(engine: Engine) -> list[str]:
    with Session(engine) as db:
        rows = db.exec(
            select(StaffAlert.dedupe_key).where(col(StaffAlert.dedupe_key).startswith("safecheck:"))
        ).all()
    return sorted(rows)
