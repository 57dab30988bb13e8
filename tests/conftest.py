"""Test infrastructure: real database (SQLite file, or PostgreSQL from TEST_DATABASE_URL), real
cache (in-process, or Redis from TEST_REDIS_URL), the app served over real HTTP by uvicorn, and
the fake WeChat API on its own port, reached by wechatpy's real client.

Time never passes by sleeping: the app runs on a FrozenClock the tests move.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import redis
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

from backend.app import create_app
from backend.core import versions
from backend.core.cache import Cache, MemoryCache, RedisCache
from backend.core.clock import FrozenClock
from backend.core.db import is_sqlite, make_engine, normalise_url
from backend.core.migrate import upgrade_to_head
from backend.core.security import PersonalDataCipher
from backend.core.settings import Settings
from backend.models_registry import metadata
from backend.wechat.fake_server import RunningFakeServer, start_fake_wechat_server
from backend.workdays import holidays_2026
from backend.workdays.models import WorkCalendarDay
from tests.bot_index_cache import copy_index_to
from tests.factories import TLS, World, build_world
from tests.line_check import lines_out_of_step
from tests.server import RunningApp, serve_in_thread
from tests.snapshot import foreign_key_checks_off

START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, a Monday
IN_CI = os.environ.get("CI", "").lower() == "true"


def _worker_id() -> str:
    """pytest-xdist's worker name (gw0, gw1, …), or "" when the suite runs in one process."""
    return os.environ.get("PYTEST_XDIST_WORKER", "")


def _database_url(tmp_dir: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if url:
        return _fast_commits(_worker_database(normalise_url(url), _worker_id()))
    # tmp_path_factory already gives each xdist worker its own directory, so its own file
    return f"sqlite:///{tmp_dir / 'test.db'}"


def _fast_commits(url: str) -> str:
    """A test database need not survive a power cut: commits do not wait for the WAL to reach
    the disk (every factory call commits; on a busy disk each wait was tens of ms)."""
    base = make_url(url)
    options = " ".join(filter(None, [base.query.get("options", ""), "-c synchronous_commit=off"]))
    return base.update_query_dict({"options": options}).render_as_string(hide_password=False)


def _worker_database(url: str, worker: str) -> str:
    """Each xdist worker its own PostgreSQL database beside the one named in the URL
    (test → test_gw0), created through the `postgres` maintenance database when missing."""
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(
        base.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool
    )
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if exists is None:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # a missing PostgreSQL must fail the run, never skip it
        pytest.exit(f"PostgreSQL at TEST_DATABASE_URL is not reachable: {exc}", returncode=3)
    finally:
        admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def pytest_report_header() -> list[str]:
    db = os.environ.get("TEST_DATABASE_URL") or "SQLite (temporary file)"
    if os.environ.get("TEST_DATABASE_URL"):
        db += " (one database per xdist worker: <name>_gw0, …)"
    cache = os.environ.get("TEST_REDIS_URL") or "in-process cache"
    return [f"junxiu: database={db} cache={cache}"]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = _database_url(tmp_path_factory.mktemp("db"))
    if not is_sqlite(url):
        engine = make_engine(url)
        try:
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        except Exception as exc:  # a missing PostgreSQL must fail the run, never skip it
            pytest.exit(f"PostgreSQL at TEST_DATABASE_URL is not reachable: {exc}", returncode=3)
        finally:
            engine.dispose()
    upgrade_to_head(url)
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def cache() -> Iterator[Cache]:
    url = os.environ.get("TEST_REDIS_URL", "")
    if not url:
        yield MemoryCache()
        return
    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.exit(f"Redis at TEST_REDIS_URL is not reachable: {exc}", returncode=3)
    prefix = f"junxiu-test-{uuid.uuid4().hex[:8]}:"
    redis_cache = RedisCache(client, prefix=prefix)
    yield redis_cache
    redis_cache.flush_prefix("")


@pytest.fixture(scope="session")
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture(scope="session")
def fake_wechat(clock: FrozenClock) -> Iterator[RunningFakeServer]:
    server = start_fake_wechat_server(clock=clock)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def settings(database_url: str, fake_wechat: RunningFakeServer, tmp_path_factory) -> Settings:
    var = tmp_path_factory.mktemp("var")
    return Settings(
        database_url=database_url,
        redis_url=os.environ.get("TEST_REDIS_URL", ""),
        secret_key="test-secret-key-test-secret-key-0123456789",
        wechat_api_base=fake_wechat.base_url,
        mount_fake_wechat=False,
        upload_dir=var / "uploads",
        # The run's one bot index (tests/bot_index_cache.py), copied: the app loads it at start
        # as it loads its saved index in production, instead of every worker building its own.
        bot_index_path=copy_index_to(var / "bot_index.pkl"),
        run_scheduler=False,
        official_token="test-official-token",
        official_aes_key="abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
        official_appid="wx-test-official",
        log_level="WARNING",
        # Tests that poll the bot must never meet its per-minute limit (the clock is frozen, so
        # the window never turns); the limit itself is tested with its own server.
        bot_asks_per_minute=100_000,
    )


@pytest.fixture(scope="session")
def cipher(settings: Settings) -> PersonalDataCipher:
    return PersonalDataCipher(settings.secret_key, settings.id_encryption_key)


@pytest.fixture(scope="session")
def app_server(
    settings: Settings, clock: FrozenClock, cache: Cache, engine: Engine
) -> Iterator[RunningApp]:
    app = create_app(settings, clock=clock, cache=cache, configure_logs=False)
    # What a test writes through its own engine reaches the app's cached identities, as another
    # process's writes do through Redis (backend/core/versions.py).
    versions.register(engine, cache)
    running = serve_in_thread(app)
    yield running
    running.stop()


@pytest.fixture
def client(app_server: RunningApp) -> Iterator[httpx.Client]:
    with httpx.Client(verify=TLS, base_url=app_server.base_url, timeout=30) as c:
        yield c


_POSTGRES_RESET: dict[str, str] = {}


def _postgres_reset_sql(conn: Connection) -> str:
    """One round trip that empties every table (children first) and restarts every sequence:
    what TRUNCATE … RESTART IDENTITY did, at a few milliseconds instead of a second or more
    (TRUNCATE rewrites each of 40-odd tables' files, every test)."""
    key = str(conn.engine.url)
    if key not in _POSTGRES_RESET:
        sequences = conn.execute(
            text(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE c.relkind = 'S' AND n.nspname = current_schema()"
            )
        ).scalars()
        deletes = [f'DELETE FROM "{t.name}"' for t in reversed(metadata.sorted_tables)]
        restarts = [f"SELECT setval('\"{name}\"', 1, false)" for name in sequences]
        _POSTGRES_RESET[key] = "; ".join([*foreign_key_checks_off(conn), *deletes, *restarts])
    return _POSTGRES_RESET[key]


_CALENDAR_SEED = [
    {"day": d, "working": w, "name": n, "updated_by": "seed", "updated_at": START}
    for d, w, n in holidays_2026.rows()
]

# SQLite takes one statement at a time: the same DELETEs, written once.
_SQLITE_RESET = [f'DELETE FROM "{t.name}"' for t in reversed(metadata.sorted_tables)]


def reset_state(engine: Engine, cache: Cache, clock: FrozenClock, fake: RunningFakeServer) -> None:
    """Empty every table and the cache namespace, put the clock back at START. The working-day
    calendar gets its migration's seed back: it is reference data every deadline counts with."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql(_postgres_reset_sql(conn))
        else:
            for statement in _SQLITE_RESET:
                conn.exec_driver_sql(statement)
        conn.execute(WorkCalendarDay.__table__.insert(), _CALENDAR_SEED)  # type: ignore[attr-defined]
    cache.flush_prefix("")
    clock.set(START)
    fake.state.reset()


@pytest.fixture(autouse=True)
def _clean_state(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test that touches the database leaves it empty for the next one, except where a
    module keeps one world across its tests (marked keeps_world: its own fixture restores and,
    when done, empties it). Before emptying it, the waiting counts the database keeps must
    agree with the bookings (tests/line_check.py)."""
    if request.node.get_closest_marker("keeps_world") is not None:
        yield
        return
    if "engine" not in request.fixturenames:
        yield
        if "clock" in request.fixturenames:
            request.getfixturevalue("clock").set(START)
        return
    resources = [
        request.getfixturevalue(name) for name in ("engine", "cache", "clock", "fake_wechat")
    ]
    yield
    out_of_step = lines_out_of_step(resources[0])
    reset_state(*resources)
    assert not out_of_step, f"waiting kept ≠ counted (bookable, kept, counted): {out_of_step}"


@pytest.fixture
def world(engine: Engine, clock: FrozenClock, cipher: PersonalDataCipher) -> World:
    return build_world(engine, clock, cipher)


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[object]:
    """One Playwright driver per test process: the sync API refuses a second one started while
    the first is alive, and one xdist worker may run console and mini-program picture tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


# Fixtures through which a test reaches the database or the cache (directly or through the app).
_SERVICE_FIXTURES = frozenset({"database_url", "cache"})
# Fixtures through which a test drives Chromium.
_BROWSER_FIXTURES = frozenset({"playwright_driver", "browser", "page"})


# The longest tests (10–30 s each, measured with --durations): run first, so that no worker is
# left with one of them at the end while the other has finished (xdist's worksteal hands each
# worker a contiguous share and lets the idle one take from the busy one's queue).
_LONGEST_FIRST = (
    "tests/miniprogram/test_screens.py::",
    "tests/core/test_api_fuzz.py::",
    "tests/core/test_log_redaction.py::",
    "tests/core/test_startup_memory.py::",
    "tests/core/test_input_walk.py::",
    "tests/miniprogram/test_live_client.py::",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The longest tests go first (whole modules, so each module's fixtures start once).

    Every test that drives Chromium is marked `browser` (`-m "not browser"` leaves them out).

    The PostgreSQL + Redis run (make test-pg sets JUNXIU_SERVICE_TESTS_ONLY=1) runs only the
    tests that reach the database or the cache, and of those not the ones in the browser: the
    others (the bot's ranking, the mini-program's page contracts, pure functions) do the same
    thing whatever the services; the browser tests check pages whose every query is a service
    function the API and service tests run on both databases (the console has no SQL of its
    own: tests/core/test_domain_boundaries.py). Both kinds run once, in the SQLite run. Which
    tests those are is read from each test's fixture closure, not listed."""
    items.sort(key=lambda item: not item.nodeid.startswith(_LONGEST_FIRST))
    for item in items:
        if set(getattr(item, "fixturenames", ())) & _BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
    if os.environ.get("JUNXIU_SERVICE_TESTS_ONLY") != "1":
        return
    keep: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        service = names & _SERVICE_FIXTURES and not names & _BROWSER_FIXTURES
        (keep if service else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
