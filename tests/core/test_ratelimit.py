"""A refusal for too many tries says how long to wait, as a person says it, and what to do."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backend.core import ratelimit
from backend.core.cache import MemoryCache
from backend.core.clock import FrozenClock
from backend.core.errors import TooManyRequests


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "1分钟"),
        (60, "1分钟"),
        (61, "2分钟"),
        (2220, "37分钟"),
        (3599, "60分钟"),
        (3600, "1小时"),
        (3601, "2小时"),
        (86400, "24小时"),
    ],
)
def test_wait_words(seconds: int, words: str) -> None:
    assert ratelimit.wait_words(seconds) == words


def test_the_refusal_says_when_the_window_ends_and_the_next_step() -> None:
    clock = FrozenClock(datetime(2026, 3, 2, 2, 59, 30, tzinfo=UTC))
    cache = MemoryCache()
    for _ in range(2):
        ratelimit.hit(cache, clock, "k", limit=2, window_seconds=3600, then="打电话给所里。")
    with pytest.raises(TooManyRequests) as refused:
        ratelimit.hit(cache, clock, "k", limit=2, window_seconds=3600, then="打电话给所里。")
    assert refused.value.message == "次数太多了。请1分钟后再试。打电话给所里。"
    assert refused.value.detail == {"retry_after_seconds": 30}
    clock.set(datetime(2026, 3, 2, 3, 0, 0, tzinfo=UTC))  # a new window
    assert ratelimit.hit(cache, clock, "k", limit=2, window_seconds=3600) == 1
