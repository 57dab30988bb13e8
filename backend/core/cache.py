"""Key-value cache: Redis when configured, else an in-process fallback.

Used for rate limits, short locks (the WeChat access token), the bot's abstention counter and
index version, and short-lived copies of sessions (Redis only: `get_shared`/`set_shared` never
use the fallback). Nothing that decides who may do what lives only here: sessions, the
scheduler's leader lease and the official account's message dedupe are in the database. When
Redis is configured but unreachable, `RedisCache` degrades to a process-local store and says so in
`degraded` (reported by /readyz) instead of failing requests; a hung Redis costs one short
timeout, after which Redis is left alone for a few seconds instead of on every call.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

log = logging.getLogger(__name__)


class Cache(Protocol):
    degraded: bool

    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str, ttl: int | None = None) -> None: ...
    def set_if_absent(self, key: str, value: str, ttl: int) -> bool: ...
    def delete(self, key: str) -> None: ...
    def incr(self, key: str, ttl: int) -> int: ...
    def release_if_owner(self, key: str, token: str) -> bool: ...
    def extend_if_owner(self, key: str, token: str, ttl: int) -> bool: ...
    def ping(self) -> bool: ...
    def flush_prefix(self, prefix: str) -> None: ...


class MemoryCache:
    """Thread-safe in-process cache with expiry. Shared by nothing outside this process."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._data: dict[str, tuple[str, float | None]] = {}
        self._lock = threading.Lock()
        self._monotonic = monotonic
        self.degraded = False

    def _now(self) -> float:
        return self._monotonic()

    def _live(self, key: str) -> str | None:
        item = self._data.get(key)
        if item is None:
            return None
        value, expires = item
        if expires is not None and expires <= self._now():
            del self._data[key]
            return None
        return value

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._live(key)

    def set(self, key: str, value: str, ttl: int | None = None) -> None:
        with self._lock:
            self._data[key] = (value, self._now() + ttl if ttl else None)

    def set_if_absent(self, key: str, value: str, ttl: int) -> bool:
        with self._lock:
            if self._live(key) is not None:
                return False
            self._data[key] = (value, self._now() + ttl)
            return True

    def delete(self, key: str) -> None:
        with self._lock:
            self._data.pop(key, None)

    def incr(self, key: str, ttl: int) -> int:
        with self._lock:
            current = self._live(key)
            if current is None:
                self._data[key] = ("1", self._now() + ttl)
                return 1
            expires = self._data[key][1]
            value = int(current) + 1
            self._data[key] = (str(value), expires)
            return value

    def release_if_owner(self, key: str, token: str) -> bool:
        with self._lock:
            if self._live(key) == token:
                del self._data[key]
                return True
            return False

    def extend_if_owner(self, key: str, token: str, ttl: int) -> bool:
        with self._lock:
            if self._live(key) == token:
                self._data[key] = (token, self._now() + ttl)
                return True
            return False

    def ping(self) -> bool:
        return True

    def flush_prefix(self, prefix: str) -> None:
        with self._lock:
            for key in [k for k in self._data if k.startswith(prefix)]:
                del self._data[key]


_RELEASE_SCRIPT = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


_EXTEND_SCRIPT = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('expire', KEYS[1], ARGV[2])
end
return 0
"""


RETRY_AFTER_SECONDS = 5.0


class _Skipped(redis.RedisError):
    """Redis failed a moment ago: not asked again until RETRY_AFTER_SECONDS have passed."""


class RedisCache:
    """Redis-backed cache with a key prefix; falls back to memory while Redis is down."""

    def __init__(
        self,
        client: redis.Redis,
        prefix: str = "junxiu:",
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._redis = client
        self._prefix = prefix
        self._fallback = MemoryCache()
        self._monotonic = monotonic
        self._retry_at = 0.0
        self.degraded = False

    @property
    def _client(self) -> redis.Redis:
        if self.degraded and self._monotonic() < self._retry_at:
            raise _Skipped()
        return self._redis

    def _k(self, key: str) -> str:
        return self._prefix + key

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, _Skipped):
            return
        if not self.degraded:
            log.warning("redis unavailable, using in-process fallback: %s", type(exc).__name__)
        self.degraded = True
        self._retry_at = self._monotonic() + RETRY_AFTER_SECONDS

    def _ok(self) -> None:
        if self.degraded:
            log.info("redis reachable again")
        self.degraded = False

    def get(self, key: str) -> str | None:
        try:
            value = self._client.get(self._k(key))
        except redis.RedisError as exc:
            self._failed(exc)
            return self._fallback.get(key)
        self._ok()
        return value.decode() if isinstance(value, bytes) else value

    def get_shared(self, key: str) -> str | None:
        """Redis only, never the process-local fallback: for copies that are safe only while
        every worker sees the same deletions (cached sessions). None when Redis cannot answer."""
        try:
            value = self._client.get(self._k(key))
        except redis.RedisError as exc:
            self._failed(exc)
            return None
        self._ok()
        return value.decode() if isinstance(value, bytes) else value

    def get_many_shared(self, keys: list[str]) -> list[str | None] | None:
        """get_shared for several keys in one round trip; None when Redis cannot answer."""
        try:
            values = self._client.mget([self._k(k) for k in keys])
        except redis.RedisError as exc:
            self._failed(exc)
            return None
        self._ok()
        return [v.decode() if isinstance(v, bytes) else v for v in values]

    def add_many_shared(self, values: dict[str, str], ttl: int) -> list[str | None] | None:
        """Each key's value, set first to the one given where it had none (Redis only, one
        round trip); None when Redis cannot answer."""
        try:
            pipe = self._client.pipeline()
            for key, value in values.items():
                pipe.set(self._k(key), value, ex=ttl, nx=True)
            for key in values:
                pipe.get(self._k(key))
            stored = pipe.execute()[len(values) :]
        except redis.RedisError as exc:
            self._failed(exc)
            return None
        self._ok()
        return [v.decode() if isinstance(v, bytes) else v for v in stored]

    # For callers that batch their own commands (core/versions.py).
    def pipeline(self) -> redis.client.Pipeline:
        return self._client.pipeline()

    def full_key(self, key: str) -> str:
        return self._k(key)

    def mark_ok(self) -> None:
        self._ok()

    def mark_failed(self, exc: Exception) -> None:
        self._failed(exc)

    def set_shared(self, key: str, value: str, ttl: int) -> None:
        """Redis only (see get_shared); nothing is written anywhere when Redis cannot answer."""
        try:
            self._client.set(self._k(key), value, ex=ttl)
            self._ok()
        except redis.RedisError as exc:
            self._failed(exc)

    def set(self, key: str, value: str, ttl: int | None = None) -> None:
        try:
            self._client.set(self._k(key), value, ex=ttl)
            self._ok()
        except redis.RedisError as exc:
            self._failed(exc)
            self._fallback.set(key, value, ttl)

    def set_if_absent(self, key: str, value: str, ttl: int) -> bool:
        try:
            result = bool(self._client.set(self._k(key), value, ex=ttl, nx=True))
        except redis.RedisError as exc:
            self._failed(exc)
            return self._fallback.set_if_absent(key, value, ttl)
        self._ok()
        return result

    def delete(self, key: str) -> None:
        self._fallback.delete(key)
        try:
            self._client.delete(self._k(key))
            self._ok()
        except redis.RedisError as exc:
            self._failed(exc)

    def incr(self, key: str, ttl: int) -> int:
        try:
            pipe = self._client.pipeline()
            pipe.incr(self._k(key))
            pipe.expire(self._k(key), ttl, nx=True)
            value = int(pipe.execute()[0])
        except redis.RedisError as exc:
            self._failed(exc)
            return self._fallback.incr(key, ttl)
        self._ok()
        return value

    def release_if_owner(self, key: str, token: str) -> bool:
        try:
            result = bool(self._client.eval(_RELEASE_SCRIPT, 1, self._k(key), token))
        except redis.RedisError as exc:
            self._failed(exc)
            return self._fallback.release_if_owner(key, token)
        self._ok()
        return result

    def extend_if_owner(self, key: str, token: str, ttl: int) -> bool:
        try:
            result = bool(self._client.eval(_EXTEND_SCRIPT, 1, self._k(key), token, ttl))
        except redis.RedisError as exc:
            self._failed(exc)
            return self._fallback.extend_if_owner(key, token, ttl)
        self._ok()
        return result

    def ping(self) -> bool:
        try:
            self._redis.ping()
        except redis.RedisError as exc:
            self._failed(exc)
            return False
        self._ok()
        return True

    def flush_prefix(self, prefix: str) -> None:
        self._fallback.flush_prefix(prefix)
        for key in self._redis.scan_iter(match=self._k(prefix) + "*", count=500):
            self._redis.delete(key)


# Redis answers in milliseconds: half a second means it is down or hung.
REDIS_TIMEOUT_SECONDS = 0.5


def redis_client(redis_url: str, timeout: float = REDIS_TIMEOUT_SECONDS) -> redis.Redis:
    """A client that tries once per call. redis-py's `Redis(host=…)` retries a refused connection
    with back-off (about 3 s in all against a refused port; `from_url` happens not to): a request
    would wait that long before the fallback. Said here, not left to the constructor's defaults:
    RedisCache decides when to try Redis again, not the client."""
    return redis.Redis.from_url(
        redis_url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        retry=Retry(NoBackoff(), 0),
    )


def create_cache(redis_url: str, prefix: str = "junxiu:") -> Cache:
    if not redis_url:
        return MemoryCache()
    return RedisCache(redis_client(redis_url), prefix=prefix)


class LockNotAcquired(Exception):
    pass


@contextmanager
def cache_lock(cache: Cache, name: str, ttl: int = 30) -> Iterator[str]:
    """A short exclusive lock with expiry (Redis SET NX EX); raises LockNotAcquired if held."""
    token = uuid.uuid4().hex
    key = f"lock:{name}"
    if not cache.set_if_absent(key, token, ttl):
        raise LockNotAcquired(name)
    try:
        yield token
    finally:
        cache.release_if_owner(key, token)
