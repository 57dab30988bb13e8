"""Fixed-window rate limits on the cache (Redis shared across workers)."""

from __future__ import annotations

from backend.core.cache import Cache
from backend.core.clock import Clock
from backend.core.errors import TooManyRequests


def hit(cache: Cache, clock: Clock, key: str, *, limit: int, window_seconds: int) -> int:
    """Count one event in the current window; raise TooManyRequests past the limit."""
    window = int(clock.now().timestamp()) // window_seconds
    count = cache.incr(f"rl:{key}:{window}", ttl=window_seconds + 5)
    if count > limit:
        raise TooManyRequests()
    return count
