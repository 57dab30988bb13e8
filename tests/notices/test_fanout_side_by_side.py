"""On PostgreSQL a large notice's chunks are delivered two at a time, each on its own
connection (notices/fanout.py `_side_by_side`): everyone is told once, two chunks really run at
once, and a withdrawal still stops the delivery — it waits for the chunks under way, and a chunk
that starts after it writes nothing."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import func, select

from backend.core.clock import FrozenClock
from backend.core.db import transaction
from backend.notices import fanout
from backend.notices.models import InboxItem, Notice
from tests.factories import World, make_retiree, sending_announcement

WAIT_S = 30.0


@pytest.fixture
def notice_id(engine: Engine, world: World, clock: FrozenClock, cipher: Any) -> int:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: its chunks run one after another")
    for i in range(5):
        make_retiree(engine, clock, cipher, unit=world.unit1, name=f"老同志{i}")
    with transaction(engine) as db:
        return sending_announcement(db, unit_id=world.unit1.id or 0, now=clock.now()).id or 0


def _told(engine: Engine, notice_id: int) -> int:
    with transaction(engine) as db:
        return int(
            db.exec(
                select(func.count()).select_from(InboxItem).where(InboxItem.notice_id == notice_id)
            ).one()
        )


def test_two_chunks_run_at_once_and_everyone_is_told_once(
    engine: Engine, clock: FrozenClock, notice_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first two chunks meet at a barrier: one after another, the first would wait there
    alone until the barrier broke."""
    meet = threading.Barrier(2, timeout=WAIT_S)
    calls: list[int] = []
    lock = threading.Lock()
    original = fanout._deliver

    def deliver_meeting(*args: Any, **kwargs: Any) -> None:
        with lock:
            calls.append(1)
            first_two = len(calls) <= 2
        if first_two:
            meet.wait()
        original(*args, **kwargs)

    monkeypatch.setattr(fanout, "_deliver", deliver_meeting)
    fanout.run_fan_out(engine, clock=clock, notice_id=notice_id, chunk=2)
    assert len(calls) >= 3  # 6 retirees in chunks of 2
    with transaction(engine) as db:
        done = db.get(Notice, notice_id)
        assert done is not None
        assert done.status == "sent"
        assert done.recipients_total == 7  # 6 retirees in unit1's subtree + 1 family copy
    assert _told(engine, notice_id) == 7
    # a second run (the job after a crash) tells nobody twice
    fanout.run_fan_out(engine, clock=clock, notice_id=notice_id, chunk=2)
    assert _told(engine, notice_id) == 7


def test_nothing_is_delivered_once_withdrawn(
    engine: Engine, clock: FrozenClock, notice_id: int
) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE notice SET status = 'withdrawn' WHERE id = :i"), {"i": notice_id})
    fanout.run_fan_out(engine, clock=clock, notice_id=notice_id, chunk=2)
    assert _told(engine, notice_id) == 0


def test_a_withdrawal_waits_for_the_chunks_under_way(
    engine: Engine, clock: FrozenClock, notice_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a chunk is writing, the notice cannot be withdrawn (PostgreSQL's lock_timeout says
    so at once); once the chunks are in, it can."""
    writing = threading.Event()
    release = threading.Event()
    original = fanout._deliver

    def deliver_held(*args: Any, **kwargs: Any) -> None:
        original(*args, **kwargs)
        writing.set()
        release.wait(WAIT_S)

    monkeypatch.setattr(fanout, "_deliver", deliver_held)
    runner = threading.Thread(
        target=fanout.run_fan_out,
        kwargs={"engine": engine, "clock": clock, "notice_id": notice_id, "chunk": 2},
    )
    runner.start()
    try:
        assert writing.wait(WAIT_S)
        with pytest.raises(OperationalError, match="lock timeout"), engine.begin() as conn:
            conn.execute(text("SET LOCAL lock_timeout = '200ms'"))
            conn.execute(
                text("UPDATE notice SET status = 'withdrawn' WHERE id = :i"), {"i": notice_id}
            )
    finally:
        release.set()
        runner.join(WAIT_S)
    assert not runner.is_alive()
    assert _told(engine, notice_id) == 7
