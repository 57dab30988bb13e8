"""A sign-up that queued on the bookable's lock sees what the sign-up ahead of it committed:
its place in line, the person's booking made a moment before, the same request sent twice.

On PostgreSQL a statement sees the rows committed when it began, so anything counted in the
very statement that waited for the lock would miss the booking of the sign-up it waited for.
SQLite has one writer: a second sign-up cannot start before the first commits."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from backend.accounts.models import Retiree
from backend.activities import service
from backend.bookings.models import Booking
from backend.core.clock import FrozenClock
from backend.core.db import transaction
from tests.activities.conftest import create_activity, sign_up
from tests.factories import TLS, World, make_retiree, wechat_headers


@pytest.fixture(autouse=True)
def _postgres_only(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer: nothing queues on a bookable's lock")


def _blocked_on_a_lock(engine: Engine) -> bool:
    with engine.connect() as conn:
        waiting = conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        ).scalar_one()
    return bool(waiting)


@contextmanager
def _ahead(engine: Engine, clock: FrozenClock, activity_id: int, retiree_id: int, key: str):
    """A sign-up through the service, its transaction (and the bookable's lock) open for the
    block, committed at its end."""
    with transaction(engine) as db:
        retiree = db.get(Retiree, retiree_id)
        assert retiree is not None
        service.sign_up(
            db,
            clock=clock,
            activity_id=activity_id,
            retiree=retiree,
            quantity=1,
            notes=None,
            booked_by="self",
            channel="小程序",
            idempotency_key=key,
        )
        yield


def _queued_behind(
    engine: Engine, app_server, ahead: Any, request: Callable[[httpx.Client], httpx.Response]
) -> httpx.Response:
    """`request` sent while the sign-up `ahead` holds the lock; answered once it commits."""
    answers: list[httpx.Response] = []

    def send() -> None:
        with httpx.Client(verify=TLS, base_url=app_server.base_url, timeout=60) as c:
            answers.append(request(c))

    with ahead:
        sender = threading.Thread(target=send)
        sender.start()
        waited = threading.Event()
        for _ in range(3000):  # until the request waits for the lock (at most ~30 s)
            if _blocked_on_a_lock(engine):
                break
            if not sender.is_alive():
                pytest.fail(f"answered without queuing: {answers[0].text if answers else None}")
            waited.wait(0.01)
        else:
            pytest.fail("the request never queued on the bookable's lock")
    sender.join(timeout=60)
    assert answers, "no answer"
    return answers[0]


def _person(engine, clock, cipher, world: World, client, fake_wechat, n: int) -> tuple[int, dict]:
    retiree = make_retiree(
        engine, clock, cipher, unit=world.unit1, name=f"排队{n}", wechat_openid=f"openid-q{n}"
    )
    return retiree.id or 0, wechat_headers(client, fake_wechat.base_url, f"openid-q{n}")


def _bookings_of(engine: Engine, retiree_id: int) -> list[Booking]:
    with Session(engine) as db:
        return list(db.exec(select(Booking).where(Booking.retiree_id == retiree_id)).all())


def test_the_place_in_line_counts_the_sign_up_queued_ahead(
    client, app_server, world: World, engine, clock, cipher, fake_wechat, staff1
) -> None:
    activity = create_activity(client, staff1, capacity=1)
    first, first_headers = _person(engine, clock, cipher, world, client, fake_wechat, 0)
    second, _ = _person(engine, clock, cipher, world, client, fake_wechat, 1)
    third, third_headers = _person(engine, clock, cipher, world, client, fake_wechat, 2)
    assert sign_up(client, first_headers, activity["id"], first).json()["status_code"] == (
        "confirmed"
    )
    answer = _queued_behind(
        engine,
        app_server,
        _ahead(engine, clock, activity["id"], second, "key-second"),
        lambda c: sign_up(c, third_headers, activity["id"], third, idempotency_key="key-third"),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["waitlist_position"] == 2  # behind the one who queued ahead
    inbox = client.get("/api/v1/inbox", headers=third_headers).json()
    assert any("候补第2位" in str(item) for item in inbox["data"]), inbox


@pytest.mark.parametrize("full", [False, True], ids=["a seat", "the waiting list"])
def test_the_same_person_queued_twice_is_booked_once(
    client, app_server, world: World, engine, clock, cipher, fake_wechat, staff1, full: bool
) -> None:
    activity = create_activity(client, staff1, capacity=1 if full else 5)
    person, headers = _person(engine, clock, cipher, world, client, fake_wechat, 0)
    if full:
        other, other_headers = _person(engine, clock, cipher, world, client, fake_wechat, 1)
        assert sign_up(client, other_headers, activity["id"], other).status_code == 200
    answer = _queued_behind(
        engine,
        app_server,
        _ahead(engine, clock, activity["id"], person, "key-phone"),
        lambda c: sign_up(c, headers, activity["id"], person, idempotency_key="key-tablet"),
    )
    assert answer.status_code == 409, answer.text
    assert answer.json()["code"] == "already_booked"
    assert [b.status for b in _bookings_of(engine, person)] == [
        "waitlisted" if full else "confirmed"
    ]


def test_the_same_request_queued_behind_itself_answers_the_first_booking(
    client, app_server, world: World, engine, clock, cipher, fake_wechat, staff1
) -> None:
    activity = create_activity(client, staff1, capacity=5)
    person, headers = _person(engine, clock, cipher, world, client, fake_wechat, 0)
    answer = _queued_behind(
        engine,
        app_server,
        _ahead(engine, clock, activity["id"], person, "key-same"),
        lambda c: sign_up(c, headers, activity["id"], person, idempotency_key="key-same"),
    )
    assert answer.status_code == 200, answer.text
    booked = _bookings_of(engine, person)
    assert len(booked) == 1 and answer.json()["id"] == booked[0].id
