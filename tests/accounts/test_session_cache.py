"""Sessions served from Redis: no database round trip on most requests, and never a revoked
session for longer than CACHE_SECONDS — even when Redis was down at the moment of revocation.
Who the subject is (bindings, staff status) changes at once too (tests/accounts/
test_identity_cache.py has each change on two workers).

Redis here is an in-memory stand-in with its own clock and an off switch, so each failure is
exact and the tests run the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from backend.accounts import sessions
from backend.accounts import staff as staff_service
from backend.accounts.enums import SessionKind
from backend.accounts.models import AuthSession
from backend.app import create_app
from backend.core import versions
from backend.core.cache import MemoryCache, RedisCache
from backend.core.clock import FrozenClock, as_utc
from backend.core.db import transaction
from backend.core.security import token_hash
from tests.factories import TLS, World, login_code, staff_headers
from tests.fake_redis import FakeRedis
from tests.server import RunningApp, serve_in_thread

TTL = timedelta(days=30)


@pytest.fixture
def fake() -> FakeRedis:
    return FakeRedis()


@pytest.fixture
def shared(fake: FakeRedis) -> RedisCache:
    return RedisCache(fake, prefix="t:", monotonic=lambda: fake.now)  # type: ignore[arg-type]


class Statements:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.count = 0

    def __call__(self, *_args: object) -> None:
        self.count += 1

    def __enter__(self) -> Statements:
        event.listen(self.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self)


def _login(engine: Engine, clock: FrozenClock, user_id: int) -> str:
    with transaction(engine) as db:
        token, _ = sessions.create(
            db, clock=clock, kind=SessionKind.wechat, subject_id=user_id, ttl=TTL
        )
    return token


def _resolve(engine: Engine, clock: FrozenClock, token: str, cache: Any) -> int | None:
    with transaction(engine) as db:
        found = sessions.resolve(
            db, clock=clock, token=token, kind=SessionKind.wechat, sliding_ttl=TTL, cache=cache
        )
    return found.subject_id if found else None


def _revoke(engine: Engine, token: str, cache: Any) -> None:
    with transaction(engine) as db:
        sessions.revoke(db, token=token, cache=cache)


def _user(world: World) -> int:
    assert world.retiree_a.wechat_user_id is not None
    return world.retiree_a.wechat_user_id


def test_a_cached_session_costs_no_database_round_trip(
    engine: Engine, clock: FrozenClock, world: World, shared: RedisCache
) -> None:
    token = _login(engine, clock, _user(world))
    with Statements(engine) as first:
        assert _resolve(engine, clock, token, shared) == _user(world)
    assert first.count >= 1
    with Statements(engine) as later:
        for _ in range(5):
            assert _resolve(engine, clock, token, shared) == _user(world)
    assert later.count == 0


def test_logout_is_refused_at_once(
    engine: Engine, clock: FrozenClock, world: World, shared: RedisCache, fake: FakeRedis
) -> None:
    token = _login(engine, clock, _user(world))
    assert _resolve(engine, clock, token, shared) == _user(world)
    assert fake.data  # cached
    _revoke(engine, token, shared)
    assert not fake.data
    assert _resolve(engine, clock, token, shared) is None


def test_revoke_all_for_forgets_every_cached_session(
    engine: Engine, clock: FrozenClock, world: World, shared: RedisCache
) -> None:
    tokens = [_login(engine, clock, _user(world)) for _ in range(3)]
    for token in tokens:
        assert _resolve(engine, clock, token, shared) == _user(world)
    with transaction(engine) as db:
        sessions.revoke_all_for(db, kind=SessionKind.wechat, subject_id=_user(world), cache=shared)
    assert [_resolve(engine, clock, t, shared) for t in tokens] == [None, None, None]


def test_redis_down_at_revocation_serves_the_old_copy_no_longer_than_the_window(
    engine: Engine, clock: FrozenClock, world: World, shared: RedisCache, fake: FakeRedis
) -> None:
    token = _login(engine, clock, _user(world))
    assert _resolve(engine, clock, token, shared) == _user(world)
    assert all(t is not None and t <= sessions.CACHE_SECONDS for t in fake.set_ttls)
    fake.down = True
    _revoke(engine, token, shared)  # the row goes; the copy in Redis cannot be deleted
    with transaction(engine) as db:
        assert db.get(AuthSession, token_hash(token)) is None
    # While Redis is down the database answers: refused, and nothing cached in this process.
    assert _resolve(engine, clock, token, shared) is None
    fake.now += 6  # past the cache's retry pause
    assert _resolve(engine, clock, token, shared) is None
    # Redis back with the stale copy: it can answer only until the copy expires ...
    fake.down = False
    fake.now += sessions.CACHE_SECONDS - 6
    assert _resolve(engine, clock, token, shared) is None
    # ... and it never outlives CACHE_SECONDS after it was written.


def test_a_stale_copy_never_outlives_the_window(
    engine: Engine, clock: FrozenClock, world: World, shared: RedisCache, fake: FakeRedis
) -> None:
    """The worst case: Redis comes back at once with the copy the revocation could not delete.
    It is served for what is left of CACHE_SECONDS after it was written, never longer."""
    token = _login(engine, clock, _user(world))
    assert _resolve(engine, clock, token, shared) == _user(world)
    fake.down = True
    _revoke(engine, token, shared)
    fake.down = False
    fake.now += 6
    assert _resolve(engine, clock, token, shared) == _user(world)  # the bounded window
    fake.now += sessions.CACHE_SECONDS - 6
    assert _resolve(engine, clock, token, shared) is None
    assert _resolve(engine, clock, token, shared) is None  # the database said no: not re-cached


def test_the_process_local_fallback_never_holds_a_session(
    engine: Engine, clock: FrozenClock, world: World, shared: RedisCache, fake: FakeRedis
) -> None:
    """Another worker's memory cannot be told of a logout: with Redis down, nothing is cached."""
    token = _login(engine, clock, _user(world))
    fake.down = True
    assert _resolve(engine, clock, token, shared) == _user(world)
    fake.now += 6
    with Statements(engine) as reads:
        assert _resolve(engine, clock, token, shared) == _user(world)
    assert reads.count >= 1  # from the database again, not from the fallback
    _revoke(engine, token, None)  # e.g. another worker, which cannot reach Redis either
    assert _resolve(engine, clock, token, shared) is None


def test_the_embedded_memory_cache_is_not_used_for_sessions(
    engine: Engine, clock: FrozenClock, world: World
) -> None:
    memory = MemoryCache()
    token = _login(engine, clock, _user(world))
    assert _resolve(engine, clock, token, memory) == _user(world)
    assert memory.get(sessions.cache_key(token_hash(token))) is None


def test_sliding_expiry_is_written_at_most_hourly_with_the_cache(
    engine: Engine, clock: FrozenClock, world: World, shared: RedisCache
) -> None:
    token = _login(engine, clock, _user(world))
    digest = token_hash(token)

    def stored() -> object:
        with Session(engine) as db:
            row = db.get(AuthSession, digest)
            assert row is not None
            return as_utc(row.expires_at)

    first = stored()
    clock.advance(timedelta(minutes=59))
    for _ in range(3):
        assert _resolve(engine, clock, token, shared) == _user(world)
    assert stored() == first
    clock.advance(timedelta(minutes=2))  # past the hour: the cached copy does not hide it
    assert _resolve(engine, clock, token, shared) == _user(world)
    assert stored() == clock.now() + TTL


@pytest.fixture
def cached_app(
    settings, clock: FrozenClock, fake: FakeRedis, engine: Engine
) -> Iterator[RunningApp]:
    cache = RedisCache(fake, prefix="app:", monotonic=lambda: fake.now)  # type: ignore[arg-type]
    # The test's own writes (as another process's would) tell the app's cached identities.
    versions.register(engine, cache)
    running = serve_in_thread(create_app(settings, clock=clock, cache=cache, configure_logs=False))
    yield running
    running.stop()
    versions.unregister(engine, cache)


def _wechat(c: httpx.Client, fake_wechat, openid: str) -> dict[str, str]:
    response = c.post(
        "/api/v1/auth/wechat", json={"code": login_code(fake_wechat.base_url, openid)}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def test_unbinding_applies_at_once_with_the_session_cached(
    cached_app: RunningApp, world: World, fake_wechat, fake: FakeRedis
) -> None:
    with httpx.Client(verify=TLS, base_url=cached_app.base_url, timeout=30) as c:
        retiree = _wechat(c, fake_wechat, "openid-a")
        family = _wechat(c, fake_wechat, "openid-fa")
        path = f"/api/v1/retirees/{world.retiree_a.id}"
        assert c.get(path, headers=family).status_code == 200
        assert any(k.startswith("app:session:") for k in fake.data)
        gone = c.delete(f"{path}/family/{world.family_a.id}", headers=retiree)
        assert gone.status_code == 204
        assert c.get(path, headers=family).status_code == 404
        assert c.get("/api/v1/me", headers=family).json()["roles"] == []
        # Staff unbind the retiree's own WeChat: the next request sees an unbound user.
        staff = staff_headers(c, "staff1")
        unbound = c.delete(f"/api/v1/staff/retirees/{world.retiree_a.id}/wechat", headers=staff)
        assert unbound.status_code == 204, unbound.text
        assert c.get("/api/v1/me", headers=retiree).json()["bound"] is False
        assert c.get(path, headers=retiree).status_code == 404


def test_a_deactivated_staff_account_is_refused_at_once(
    cached_app: RunningApp, world: World, fake: FakeRedis, engine: Engine, clock: FrozenClock
) -> None:
    with httpx.Client(verify=TLS, base_url=cached_app.base_url, timeout=30) as c:
        staff = staff_headers(c, "staff1")
        assert c.get("/api/v1/staff/me", headers=staff).status_code == 200
        assert c.get("/api/v1/staff/me", headers=staff).status_code == 200  # from the cache
        assert any(k.startswith("app:session:") for k in fake.data)
        with transaction(engine) as db:  # what the console's 停用 button calls
            staff_service.set_active(
                db,
                clock=clock,
                actor=world.admin,
                scope=world.centre,
                staff_id=world.staff1.id or 0,
                active=False,
            )
        assert c.get("/api/v1/staff/me", headers=staff).status_code == 401


def test_logout_over_http_is_refused_at_once_with_the_cache(
    cached_app: RunningApp, world: World, fake_wechat
) -> None:
    with httpx.Client(verify=TLS, base_url=cached_app.base_url, timeout=30) as c:
        bearer = _wechat(c, fake_wechat, "openid-a")
        assert c.get("/api/v1/me", headers=bearer).status_code == 200
        assert c.get("/api/v1/me", headers=bearer).status_code == 200
        assert c.post("/api/v1/auth/logout", headers=bearer).status_code == 204
        assert c.get("/api/v1/me", headers=bearer).status_code == 401
