"""Who a signed-in person is, from Redis: no statement on most requests, and every change that
narrows (or widens) what they may do seen by the next request on every worker.

Two app instances share one Redis (an in-memory stand-in with its own clock and an off switch,
tests/fake_redis.py), as two workers or two machines do; the test's own writes go through an
engine registered like another process's. The database is the truth throughout: with Redis down,
or with the in-process cache, every request reads it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from backend.accounts import identity_cache
from backend.accounts import staff as staff_service
from backend.accounts.enums import RetireeStatus
from backend.accounts.models import FamilyBinding, StaffAccount, Unit
from backend.app import create_app
from backend.core import versions
from backend.core.cache import MemoryCache, RedisCache
from backend.core.clock import FrozenClock
from backend.core.db import transaction
from tests.accounts.test_session_cache import Statements
from tests.bookings.test_list_queries import counting
from tests.factories import TLS, World, login_code, staff_headers
from tests.fake_redis import FakeRedis
from tests.server import RunningApp, serve_in_thread


def _redis(fake: FakeRedis) -> RedisCache:
    return RedisCache(fake, prefix="app:", monotonic=lambda: fake.now)  # type: ignore[arg-type]


@pytest.fixture
def fake() -> FakeRedis:
    return FakeRedis()


@pytest.fixture
def writer(engine: Engine, fake: FakeRedis) -> Iterator[RedisCache]:
    """The cache the test's own writes bump, as another process sharing Redis would."""
    cache = _redis(fake)
    versions.register(engine, cache)
    yield cache
    versions.unregister(engine, cache)


@pytest.fixture
def two_apps(
    settings, clock: FrozenClock, fake: FakeRedis, writer: RedisCache
) -> Iterator[tuple[RunningApp, RunningApp]]:
    apps = [
        serve_in_thread(create_app(settings, clock=clock, cache=_redis(fake), configure_logs=False))
        for _ in range(2)
    ]
    yield apps[0], apps[1]
    for app in apps:
        app.stop()


def _client(app: RunningApp) -> httpx.Client:
    return httpx.Client(verify=TLS, base_url=app.base_url, timeout=30)


def _wechat(c: httpx.Client, fake_wechat: Any, openid: str) -> dict[str, str]:
    response = c.post(
        "/api/v1/auth/wechat", json={"code": login_code(fake_wechat.base_url, openid)}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def _copies(fake: FakeRedis) -> list[str]:
    return [k for k in fake.data if k.startswith("app:ident:copy:")]


def _user(world: World, binding: bool = False) -> int:
    user_id = world.family_a.wechat_user_id if binding else world.retiree_a.wechat_user_id
    assert user_id is not None
    return user_id


# --- the cost ---------------------------------------------------------------------------------


def test_a_cached_viewer_costs_no_statement(
    engine: Engine, world: World, writer: RedisCache
) -> None:
    with Session(engine) as db, Statements(engine) as first:
        viewer = identity_cache.viewer(db, writer, _user(world))
        assert viewer is not None and viewer.retiree is not None
    assert first.count >= 1
    with Session(engine) as db, Statements(engine) as later:
        for _ in range(3):
            again = identity_cache.viewer(db, writer, _user(world))
            assert again is not None and again.retiree is not None
            assert again.retiree.id == world.retiree_a.id
            assert again.retiree.name == world.retiree_a.name
            assert again.retiree.birth_date == world.retiree_a.birth_date
            assert again.home is not None and again.home.id == world.retiree_a.unit_id
        # The copy is the session's row: db.get finds it without a query.
        assert db.get(type(again.retiree), again.retiree.id) is again.retiree
    assert later.count == 0


def test_over_http_who_is_asking_costs_no_statement(
    two_apps: tuple[RunningApp, RunningApp], world: World, fake_wechat: Any, fake: FakeRedis
) -> None:
    """A question the bot answers without logging it (a greeting): the session, the person
    and where they ask from all come from Redis, so the request runs no SQL at all."""
    a, _ = two_apps
    with _client(a) as c:
        retiree = _wechat(c, fake_wechat, "openid-a")
        ask = {"question": "你好"}
        first = c.post("/api/v1/bot/ask", headers=retiree, json=ask)
        assert first.status_code == 200 and first.json()["answer_id"] is None
        assert _copies(fake)
        with Statements(a.app.state.ctx.engine) as later:
            for _ in range(3):
                assert c.post("/api/v1/bot/ask", headers=retiree, json=ask).status_code == 200
        assert later.count == 0


def test_the_home_page_names_the_unit_from_the_copy_and_follows_a_rename(
    two_apps: tuple[RunningApp, RunningApp], world: World, fake_wechat: Any, engine: Engine
) -> None:
    """/me takes the retiree's unit name from the identity copy (no unit query: only the care
    flags are read), and a renamed unit is seen by the next request on the other worker."""
    _, b = two_apps
    with _client(b) as cb:
        retiree = _wechat(cb, fake_wechat, "openid-a")
        first = cb.get("/api/v1/me", headers=retiree).json()["retiree"]
        assert first["unit_name"] == world.station1.name
        with counting(b.app.state.ctx.engine) as later:
            again = cb.get("/api/v1/me", headers=retiree).json()["retiree"]
        assert again["unit_name"] == world.station1.name
        queries = [q for q in later if not q.startswith("BEGIN")]  # SQLite's own
        assert len(queries) == 1 and "retiree_care_flag" in queries[0], queries
        with transaction(engine) as db:  # a console page renaming the station
            unit = db.get(Unit, world.station1.id)
            assert unit is not None
            unit.name = "和平里第二服务站"
            db.add(unit)
        renamed = cb.get("/api/v1/me", headers=retiree).json()["retiree"]
        assert renamed["unit_name"] == "和平里第二服务站"


# --- each change, seen by the next request on the other worker ---------------------------------


def test_unbinding_on_one_worker_is_seen_by_the_other_at_once(
    two_apps: tuple[RunningApp, RunningApp], world: World, fake_wechat: Any, fake: FakeRedis
) -> None:
    a, b = two_apps
    path = f"/api/v1/retirees/{world.retiree_a.id}"
    with _client(a) as ca, _client(b) as cb:
        retiree = _wechat(ca, fake_wechat, "openid-a")
        family = _wechat(ca, fake_wechat, "openid-fa")
        for _ in range(2):  # the second from the copy
            assert cb.get(path, headers=family).status_code == 200
        assert _copies(fake)
        gone = ca.delete(f"{path}/family/{world.family_a.id}", headers=retiree)
        assert gone.status_code == 204
        assert cb.get(path, headers=family).status_code == 404
        assert cb.get("/api/v1/me", headers=family).json()["following"] == []


def test_staff_unbinding_the_retiree_s_wechat_is_seen_at_once(
    two_apps: tuple[RunningApp, RunningApp], world: World, fake_wechat: Any
) -> None:
    a, b = two_apps
    with _client(a) as ca, _client(b) as cb:
        retiree = _wechat(ca, fake_wechat, "openid-a")
        assert cb.get("/api/v1/me", headers=retiree).json()["bound"] is True
        assert cb.get("/api/v1/me", headers=retiree).json()["bound"] is True
        staff = staff_headers(ca, "staff1")
        unbound = ca.delete(f"/api/v1/staff/retirees/{world.retiree_a.id}/wechat", headers=staff)
        assert unbound.status_code == 204, unbound.text
        assert cb.get("/api/v1/me", headers=retiree).json()["bound"] is False
        assert cb.get(f"/api/v1/retirees/{world.retiree_a.id}", headers=retiree).status_code == 404


def test_a_change_of_binding_rights_is_seen_at_once(
    two_apps: tuple[RunningApp, RunningApp], world: World, fake_wechat: Any, engine: Engine
) -> None:
    _, b = two_apps
    with _client(b) as cb:
        family = _wechat(cb, fake_wechat, "openid-fa")
        before = cb.get("/api/v1/me", headers=family).json()["following"][0]
        assert cb.get("/api/v1/me", headers=family).json()["following"][0] == before
        with transaction(engine) as db:  # any writer: a console page, a command, a job
            row = db.get(FamilyBinding, world.family_a.id)
            assert row is not None
            row.can_receive_notices = not row.can_receive_notices
            db.add(row)
        after = cb.get("/api/v1/me", headers=family).json()["following"][0]
        assert after["can_receive_notices"] is not before["can_receive_notices"]


def test_marking_a_retiree_deceased_is_seen_at_once(
    two_apps: tuple[RunningApp, RunningApp], world: World, fake_wechat: Any
) -> None:
    a, b = two_apps
    with _client(a) as ca, _client(b) as cb:
        retiree = _wechat(cb, fake_wechat, "openid-a")
        for _ in range(2):
            assert (
                cb.get("/api/v1/me", headers=retiree).json()["retiree"]["status"]
                == RetireeStatus.active
            )
        staff = staff_headers(ca, "staff1")
        changed = ca.post(
            f"/api/v1/staff/retirees/{world.retiree_a.id}/status",
            headers=staff,
            json={"status": RetireeStatus.deceased, "note": "家属告知", "died_on": "2026-03-01"},
        )
        assert changed.status_code == 200, changed.text
        assert (
            cb.get("/api/v1/me", headers=retiree).json()["retiree"]["status"]
            == RetireeStatus.deceased
        )


def test_a_deactivated_staff_account_is_refused_by_the_other_worker_at_once(
    two_apps: tuple[RunningApp, RunningApp], world: World, engine: Engine, clock: FrozenClock
) -> None:
    _, b = two_apps
    with _client(b) as cb:
        staff = staff_headers(cb, "staff1")
        for _ in range(2):
            assert cb.get("/api/v1/staff/me", headers=staff).status_code == 200
        with transaction(engine) as db:  # what the console's 停用 button calls
            staff_service.set_active(
                db,
                clock=clock,
                actor=world.admin,
                scope=world.centre,
                staff_id=world.staff1.id or 0,
                active=False,
            )
        assert cb.get("/api/v1/staff/me", headers=staff).status_code == 401


def test_logout_on_one_worker_is_refused_by_the_other(
    two_apps: tuple[RunningApp, RunningApp], world: World, fake_wechat: Any
) -> None:
    a, b = two_apps
    with _client(a) as ca, _client(b) as cb:
        bearer = _wechat(ca, fake_wechat, "openid-a")
        assert cb.get("/api/v1/me", headers=bearer).status_code == 200
        assert cb.get("/api/v1/me", headers=bearer).status_code == 200
        assert ca.post("/api/v1/auth/logout", headers=bearer).status_code == 204
        assert cb.get("/api/v1/me", headers=bearer).status_code == 401


# --- failures read the database, never a wider answer -------------------------------------------


def test_with_redis_down_every_request_reads_the_database(
    two_apps: tuple[RunningApp, RunningApp], world: World, fake_wechat: Any, fake: FakeRedis
) -> None:
    a, b = two_apps
    path = f"/api/v1/retirees/{world.retiree_a.id}"
    with _client(a) as ca, _client(b) as cb:
        retiree = _wechat(ca, fake_wechat, "openid-a")
        family = _wechat(ca, fake_wechat, "openid-fa")
        assert cb.get(path, headers=family).status_code == 200
        fake.down = True
        assert cb.get(path, headers=family).status_code == 200  # from the database
        assert ca.delete(f"{path}/family/{world.family_a.id}", headers=retiree).status_code == 204
        assert cb.get(path, headers=family).status_code == 404
        fake.now += 6  # past the cache's retry pause: Redis is back
        fake.down = False
        # The copy made before the unbinding is still in Redis; the worker whose bump failed
        # replays it before it trusts any copy. (Another worker may serve that copy until it
        # expires: test_a_copy_never_outlives_its_ttl.)
        assert ca.get(path, headers=family).status_code == 404


def test_a_bump_lost_while_redis_was_down_is_replayed_before_any_copy_is_trusted(
    engine: Engine, world: World, writer: RedisCache, fake: FakeRedis
) -> None:
    with Session(engine) as db:
        assert identity_cache.viewer(db, writer, _user(world, binding=True)) is not None
    fake.down = True
    with transaction(engine) as db:
        row = db.get(FamilyBinding, world.family_a.id)
        assert row is not None
        row.can_book = not row.can_book
        db.add(row)
    fake.now += 6
    fake.down = False
    with Session(engine) as db:
        viewer = identity_cache.viewer(db, writer, _user(world, binding=True))
        assert viewer is not None
        assert viewer.bindings[0].can_book is not world.family_a.can_book


def test_a_copy_never_outlives_its_ttl(
    engine: Engine, world: World, writer: RedisCache, fake: FakeRedis
) -> None:
    """The one case versions cannot cover — the writer could not reach Redis and never does
    again, while readers can — is bounded by the copy's TTL, as a cached session is."""
    with Session(engine) as db:
        assert identity_cache.viewer(db, writer, _user(world, binding=True)) is not None
    assert all(
        until is not None and until - fake.now <= identity_cache.COPY_SECONDS
        for key, (_, until) in fake.data.items()
        if key.startswith("app:ident:copy:")
    )


def test_a_copy_made_from_a_read_before_a_commit_is_not_served_after_it(
    engine: Engine, world: World, writer: RedisCache, fake: FakeRedis
) -> None:
    """A reader reads the versions, then the database (old), a writer commits and bumps, then
    the reader stores its copy: the copy carries the old version and is never served."""
    user_id = _user(world, binding=True)
    version = identity_cache.user_version(user_id)
    data, tag = identity_cache._lookup(writer, version)
    assert data is None and tag is not None
    with Session(engine) as db:
        old = identity_cache.viewer(db, None, user_id)  # the database, before the change
        assert old is not None
        stale = {
            "user": identity_cache._dump(old.user),
            "retiree": None,
            "bindings": [identity_cache._dump(b) for b in old.bindings],
            "home": None,
        }
    with transaction(engine) as db:
        row = db.get(FamilyBinding, world.family_a.id)
        assert row is not None
        db.delete(row)
    identity_cache._store(writer, version, tag, stale)
    with Session(engine) as db:
        now = identity_cache.viewer(db, writer, user_id)
        assert now is not None and now.bindings == []


def test_a_lost_version_key_is_a_miss_not_a_stale_hit(
    engine: Engine, world: World, writer: RedisCache, fake: FakeRedis
) -> None:
    user_id = _user(world, binding=True)
    with Session(engine) as db:
        assert identity_cache.viewer(db, writer, user_id) is not None
    for key in [k for k in fake.data if k.startswith("app:ver:")]:
        del fake.data[key]  # evicted, expired, or Redis restarted with only the copy on disk
    with Session(engine) as db, Statements(engine) as reads:
        assert identity_cache.viewer(db, writer, user_id) is not None
    assert reads.count >= 1


def test_the_in_process_cache_holds_no_identity(engine: Engine, world: World) -> None:
    """Another process cannot tell this one's memory of a change: the database answers."""
    memory = MemoryCache()
    for _ in range(2):
        with Session(engine) as db, Statements(engine) as reads:
            assert identity_cache.viewer(db, memory, _user(world)) is not None
        assert reads.count >= 1
    assert not [k for k in memory._data if "ident" in k]


def test_a_staff_copy_holds_no_password_hash(
    engine: Engine, world: World, writer: RedisCache, fake: FakeRedis
) -> None:
    staff_id = world.staff1.id or 0
    with Session(engine) as db:
        assert identity_cache.staff(db, writer, staff_id) is not None
    copies = [v for k, (v, _) in fake.data.items() if k.startswith("app:ident:copy:s")]
    assert copies and all("password_hash" not in v for v in copies)
    with Session(engine) as db:
        staff = identity_cache.staff(db, writer, staff_id)
        assert isinstance(staff, StaffAccount)
        assert staff.password_hash == world.staff1.password_hash  # loaded when asked for
