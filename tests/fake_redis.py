"""The few Redis commands RedisCache uses, in memory, with expiry on its own `now` and a switch
that makes every command fail: each cache failure in a test is exact and takes no time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import redis


class FakeRedis:
    def __init__(self) -> None:
        self.now = 1000.0
        self.down = False
        self.data: dict[str, tuple[str, float | None]] = {}
        self.set_ttls: list[int | None] = []

    def _check(self) -> None:
        if self.down:
            raise redis.ConnectionError("down")

    def _live(self, key: str) -> str | None:
        item = self.data.get(key)
        if item is None:
            return None
        value, until = item
        if until is not None and until <= self.now:
            del self.data[key]
            return None
        return value

    def get(self, key: str) -> str | None:
        self._check()
        return self._live(key)

    def mget(self, keys: list[str]) -> list[str | None]:
        self._check()
        return [self._live(k) for k in keys]

    def set(self, key: str, value: Any, ex: int | None = None, nx: bool = False) -> bool:
        self._check()
        if nx and self._live(key) is not None:
            return False
        self.set_ttls.append(ex)
        self.data[key] = (str(value), self.now + ex if ex else None)
        return True

    def delete(self, *keys: str) -> int:
        self._check()
        return sum(1 for k in keys if self.data.pop(k, None) is not None)

    def incr(self, key: str) -> int:
        self._check()
        value = int(self._live(key) or 0) + 1
        until = self.data.get(key, ("", None))[1]
        self.data[key] = (str(value), until)
        return value

    def expire(self, key: str, ttl: int, nx: bool = False) -> int:
        self._check()
        if key not in self.data or (nx and self.data[key][1] is not None):
            return 0
        self.data[key] = (self.data[key][0], self.now + ttl)
        return 1

    def eval(self, script: str, _n: int, key: str, token: str, *args: Any) -> int:
        self._check()
        if self._live(key) != token:
            return 0
        if "expire" in script:
            self.data[key] = (token, self.now + int(args[0]))
        else:
            del self.data[key]
        return 1

    def pipeline(self) -> FakePipeline:
        return FakePipeline(self)

    def ping(self) -> bool:
        self._check()
        return True

    def scan_iter(self, match: str = "*", count: int = 0) -> Iterator[str]:
        prefix = match.rstrip("*")
        return iter([k for k in list(self.data) if k.startswith(prefix)])


class FakePipeline:
    """Commands queued and run together on execute(), as a Redis pipeline does."""

    def __init__(self, fake: FakeRedis) -> None:
        self._fake = fake
        self._ops: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        def queue(*args: Any, **kwargs: Any) -> FakePipeline:
            self._ops.append((name, args, kwargs))
            return self

        return queue

    def execute(self) -> list[Any]:
        self._fake._check()
        return [getattr(self._fake, name)(*args, **kwargs) for name, args, kwargs in self._ops]
