"""Fixed-window rate limits on the cache (Redis shared across workers).

The refusal says how long to wait — the rest of the window, in minutes or hours — and what to
do meanwhile (`then`): "过一会儿" sent a retiree locked out of binding for the hour back every
minute, and the mini-program said 等一分钟."""

from __future__ import annotations

import math

from backend.core.cache import Cache
from backend.core.clock import Clock
from backend.core.errors import TooManyRequests

# The next step meanwhile, where waiting could keep someone from help.
CALL_IF_URGENT = "有急事请打电话给所里。"


def hit(
    cache: Cache, clock: Clock, key: str, *, limit: int, window_seconds: int, then: str = ""
) -> int:
    """Count one event in the current window; raise TooManyRequests past the limit, saying
    when the window ends and, after it, `then` (the next step meanwhile)."""
    now = int(clock.now().timestamp())
    window = now // window_seconds
    count = cache.incr(f"rl:{key}:{window}", ttl=window_seconds + 5)
    if count > limit:
        left = window_seconds - now % window_seconds
        raise TooManyRequests(
            f"次数太多了。请{wait_words(left)}后再试。{then}",
            detail={"retry_after_seconds": left},
        )
    return count


def wait_words(seconds: int) -> str:
    """1分钟, 37分钟, 2小时: how long, rounded up, as a person says it."""
    if seconds <= 60:
        return "1分钟"
    if seconds < 3600:
        return f"{math.ceil(seconds / 60)}分钟"
    return f"{math.ceil(seconds / 3600)}小时"
