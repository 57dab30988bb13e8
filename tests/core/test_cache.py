"""The cache works the same on Redis and in process, and degrades when Redis is down."""

from __future__ import annotations

import socket

from backend.core.cache import (
    Cache,
    LockNotAcquired,
    MemoryCache,
    RedisCache,
    cache_lock,
    redis_client,
)


def test_basic_operations(cache: Cache) -> None:
    cache.set("k", "v", ttl=60)
    assert cache.get("k") == "v"
    assert cache.set_if_absent("k", "w", ttl=60) is False
    assert cache.set_if_absent("k2", "w", ttl=60) is True
    assert cache.incr("n", ttl=60) == 1
    assert cache.incr("n", ttl=60) == 2
    cache.delete("k")
    assert cache.get("k") is None


def test_lock_is_exclusive_and_released(cache: Cache) -> None:
    with cache_lock(cache, "job", ttl=30):
        try:
            with cache_lock(cache, "job", ttl=30):
                raise AssertionError("second holder got the lock")
        except LockNotAcquired:
            pass
    with cache_lock(cache, "job", ttl=30):
        pass


def test_release_only_by_owner(cache: Cache) -> None:
    assert cache.set_if_absent("lock:x", "owner-1", ttl=30)
    assert cache.release_if_owner("lock:x", "owner-2") is False
    assert cache.get("lock:x") == "owner-1"
    assert cache.release_if_owner("lock:x", "owner-1") is True


def test_memory_cache_expires_by_its_clock() -> None:
    now = [100.0]
    cache = MemoryCache(monotonic=lambda: now[0])
    cache.set("k", "v", ttl=10)
    now[0] += 9.9
    assert cache.get("k") == "v"
    now[0] += 0.2
    assert cache.get("k") is None


def test_redis_down_degrades_to_process_fallback() -> None:
    cache = RedisCache(redis_client("redis://127.0.0.1:1/0", timeout=0.2))
    assert cache.ping() is False
    assert cache.degraded is True
    cache.set("k", "v", ttl=10)
    assert cache.get("k") == "v"
    assert cache.incr("n", ttl=10) == 1
    assert cache.set_if_absent("lock", "a", ttl=10) is True


def test_a_refusing_redis_is_tried_once_not_retried_with_back_off(monkeypatch) -> None:  # noqa: ANN001
    """redis-py's `Redis(host=…)` retries a call that could not connect, with back-off (about
    3 s against a refused port): a request would wait that long before the fallback (the
    tests' dead Redis did, 10 s a fixture). The product's client makes one attempt per call;
    RedisCache decides when to try again."""
    attempts: list[object] = []
    real = socket.getaddrinfo

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - each connection attempt
        attempts.append(args[:2])
        return real(*args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", counted)
    cache = RedisCache(redis_client("redis://127.0.0.1:1/0", timeout=0.2))
    assert cache.get("k") is None
    assert cache.degraded is True
    assert attempts == [("127.0.0.1", 1)]
