"""The connection pool serves waiting requests in the order they asked (core/db.py
FairQueuePool): under a burst no request is overtaken until its wait runs out."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine

from backend.core.db import FairQueuePool, make_engine


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
