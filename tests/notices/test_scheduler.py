"""Exactly one scheduler across workers; another takes over when the holder dies. The lease is a
database row, so this holds with Redis down as well (tests/core/test_without_redis.py)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine

from backend.core.clock import FrozenClock
from backend.core.db import transaction
from backend.core.models import LeaderLease
from backend.core.scheduler import LEASE_NAME, Leadership


def test_two_schedulers_racing_one_wins(engine: Engine, clock: FrozenClock) -> None:
    first, second = Leadership(engine, clock), Leadership(engine, clock)
    assert [first.tick(), second.tick()] == [True, False]
    assert [first.tick(), second.tick()] == [True, False], "the holder renews, the other waits"
    first.resign()
    assert second.tick() is True


def test_dead_holder_is_taken_over_when_its_lease_expires(
    engine: Engine, clock: FrozenClock
) -> None:
    holder, standby = Leadership(engine, clock), Leadership(engine, clock)
    assert holder.tick() and not standby.tick()
    clock.advance(timedelta(seconds=29))  # the holder stops renewing (it died)
    assert standby.tick() is False
    clock.advance(timedelta(seconds=2))
    assert standby.tick() is True
    assert holder.tick() is False, "a holder that comes back does not take it back"
    with transaction(engine) as db:
        lease = db.get(LeaderLease, LEASE_NAME)
        assert lease is not None and lease.holder == standby.token
