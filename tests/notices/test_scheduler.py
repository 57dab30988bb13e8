"""Exactly one scheduler across workers; another takes over when the holder dies."""

from __future__ import annotations

from backend.core.cache import Cache, MemoryCache
from backend.core.scheduler import LOCK_KEY, Leadership


def test_two_schedulers_racing_one_wins(cache: Cache) -> None:
    first, second = Leadership(cache), Leadership(cache)
    assert [first.tick(), second.tick()] == [True, False]
    assert [first.tick(), second.tick()] == [True, False], "the holder renews, the other waits"
    first.resign()
    assert second.tick() is True


def test_dead_holder_is_taken_over_when_its_lock_expires() -> None:
    now = [0.0]
    cache = MemoryCache(monotonic=lambda: now[0])
    holder, standby = Leadership(cache), Leadership(cache)
    assert holder.tick() and not standby.tick()
    now[0] += 29  # the holder stops renewing (it died)
    assert standby.tick() is False
    now[0] += 2
    assert standby.tick() is True
    assert holder.tick() is False, "a holder that comes back does not take it back"
    assert cache.get(LOCK_KEY) == standby.token
