"""The connection pool serves waiting requests in the order they asked (core/db.py
FairQueuePool): under a burst no request is overtaken until its wait runs out."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine

from backend.app import build_context
from backend.core.cache import MemoryCache
from backend.core.db import FairQueuePool, make_engine
from backend.core.settings import Settings


@pytest.fixture
def one_connection(database_url: str) -> Iterator[Engine]:
    engine = make_engine(
        database_url, pool_size=1, max_overflow=0, pool_timeout=30, poolclass=FairQueuePool
    )
    yield engine
    engine.dispose()


def _until(condition) -> None:  # noqa: ANN001
    """Wait for another thread to reach a point (it is not timing: the condition is a state)."""
    pause = threading.Event()
    for _ in range(3000):
        if condition():
            return
        pause.wait(0.01)
    pytest.fail("the other thread never got there")


def test_a_returned_connection_goes_to_the_longest_waiter(one_connection: Engine) -> None:
    pool = one_connection.pool
    assert isinstance(pool, FairQueuePool)
    order: list[str] = []
    got_first = threading.Event()
    let_go = threading.Event()

    def first() -> None:
        conn = pool.connect()
        order.append("first")
        got_first.set()
        let_go.wait(30)
        conn.close()

    def later() -> None:
        conn = pool.connect()
        order.append("later")
        conn.close()

    held = pool.connect()
    waiter = threading.Thread(target=first)
    waiter.start()
    _until(lambda: len(pool._waiting) == 1)
    held.close()  # handed to `first` before anyone else can ask
    newcomer = threading.Thread(target=later)
    newcomer.start()
    _until(got_first.is_set)
    _until(lambda: len(pool._waiting) == 1)  # the newcomer waits its turn
    assert order == ["first"]
    let_go.set()
    waiter.join(30)
    newcomer.join(30)
    assert order == ["first", "later"]


def test_a_wait_that_runs_out_leaves_nothing_behind(database_url: str) -> None:
    engine = make_engine(database_url, pool_size=1, max_overflow=0, pool_timeout=0.05)
    pool = engine.pool
    assert isinstance(pool, FairQueuePool)
    try:
        held = pool.connect()
        with pytest.raises(sa_exc.TimeoutError):
            pool.connect()
        assert not pool._waiting
        held.close()
        again = pool.connect()  # the turn given back is not lost
        again.close()
        assert pool._free == 1
    finally:
        engine.dispose()


def test_a_busy_moment_opens_no_connection_twice(database_url: str) -> None:
    """Connections that came back stay open for the next busy moment (core/db.py): a new
    connection is a new PostgreSQL process and loses the statements prepared on the old one.
    With 10 kept and the other 20 closed on return, the second moment below opened 15 again."""
    engine = make_engine(database_url)
    opened: list[int] = []
    event.listen(engine, "connect", lambda *_: opened.append(1))
    busy = 25  # more than the old pool kept, fewer than a worker may hold
    try:
        for _moment in range(2):
            held = [engine.pool.connect() for _ in range(busy)]
            for conn in held:
                conn.close()
        assert len(opened) == busy
    finally:
        engine.dispose()


def test_the_pool_size_is_a_setting(settings: Settings) -> None:
    """DATABASE_POOL_SIZE: what each worker keeps and uses at most (PostgreSQL; SQLite keeps its
    own, one connection per server thread)."""
    for size in (settings.database_pool_size, 7):
        sized = settings.model_copy(update={"database_pool_size": size})
        ctx = build_context(sized, cache=MemoryCache())
        pool = ctx.engine.pool
        try:
            assert isinstance(pool, FairQueuePool)
            if ctx.engine.dialect.name == "sqlite":
                assert pool.size() == 45
            else:  # all kept, none opened for a moment only
                assert (pool.size(), pool._max_overflow) == (size, 0)
        finally:
            ctx.engine.dispose()
    # two workers: 60 of PostgreSQL's 100
    assert Settings.model_fields["database_pool_size"].default == 30
