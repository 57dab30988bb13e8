"""One sign-up costs a known, small number of SQL statements, and the bookable's lock is held
only for the seat and the booking row (and the notice's outbox row, committed with them)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import event

from backend.app import create_app
from backend.bookings import one_trip
from backend.core.cache import MemoryCache
from backend.core.db import send_with_commit
from tests.activities.conftest import create_activity, sign_up
from tests.factories import World, login_code, make_retiree, staff_headers
from tests.server import RunningApp, serve_in_thread


@pytest.fixture
def counted(settings, clock, monkeypatch) -> Iterator[tuple[RunningApp, list[str]]]:
    app = create_app(settings, clock=clock, cache=MemoryCache(), configure_logs=False)
    running = serve_in_thread(app)
    statements: list[str] = []

    def count(_conn, _cursor, statement: str, *_rest: object) -> None:
        statements.append(statement)

    def commit(_conn) -> None:
        statements.append("COMMIT")

    def sent_with_commit(db, statement: str, params: dict) -> tuple:
        # PostgreSQL: one statement and its COMMIT, sent together (past SQLAlchemy's events)
        statements.extend([statement, "COMMIT"])
        return send_with_commit(db, statement, params)

    monkeypatch.setattr(one_trip, "send_with_commit", sent_with_commit)

    engine = app.state.ctx.engine
    event.listen(engine, "before_cursor_execute", count)
    event.listen(engine, "commit", commit)
    yield running, statements
    event.remove(engine, "before_cursor_execute", count)
    event.remove(engine, "commit", commit)
    running.stop()


def _locks(statement: str) -> bool:
    return ("lock_version" in statement and "UPDATE" in statement) or (
        "booking_sign_up(" in statement
    )


def _locked(statements: list[str]) -> list[str]:
    """The statements from the bookable's lock to the commit that releases it."""
    start = next(i for i, s in enumerate(statements) if _locks(s))
    end = statements.index("COMMIT", start)
    return statements[start:end]


def _sql(statements: list[str]) -> list[str]:
    return [s for s in statements if s != "COMMIT" and not s.startswith("BEGIN")]


def _signup_statements(
    counted, world: World, fake_wechat, engine, clock, cipher
) -> dict[str, list[str]]:
    """What one confirmed and one waitlisted sign-up (each with an idempotency key, as the
    mini-program sends them) execute, session already warm."""
    running, statements = counted
    other = make_retiree(
        engine, clock, cipher, unit=world.unit1, name="张志强", wechat_openid="openid-p1"
    )
    seen: dict[str, list[str]] = {}
    with httpx.Client(base_url=running.base_url, timeout=30) as c:
        activity = create_activity(c, staff_headers(c, "staff1"), capacity=1)
        for openid, retiree_id, status in (
            ("openid-a", world.retiree_a.id, "confirmed"),
            ("openid-p1", other.id, "waitlisted"),
        ):
            token = c.post(
                "/api/v1/auth/wechat", json={"code": login_code(fake_wechat.base_url, openid)}
            ).json()["token"]
            headers = {"Authorization": f"Bearer {token}"}
            assert c.get("/api/v1/me", headers=headers).status_code == 200
            statements.clear()
            key = f"signup-key-{retiree_id}"
            response = sign_up(c, headers, activity["id"], retiree_id, idempotency_key=key)
            assert response.status_code == 200, response.text
            assert response.json()["status_code"] == status
            seen[status] = list(statements)
        if_waiting = response.json()["waitlist_position"]
        assert if_waiting == 1
    return seen


def test_on_postgresql_the_locked_part_is_one_call_sent_with_its_commit(
    counted, world: World, fake_wechat, engine, clock, cipher
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite keeps the statements one at a time (the next test)")
    seen = _signup_statements(counted, world, fake_wechat, engine, clock, cipher)
    for status in ("confirmed", "waitlisted"):
        locked = _locked(seen[status])
        # lock, seat or place in line, booking, outbox row: one function in the database
        assert len(locked) == 1 and "FROM booking_sign_up(" in locked[0], locked
        # nothing else is written by the request, before it or after it: the notice's inbox
        # rows are written by the function too, so no transaction follows the sign-up's
        at = seen[status].index(locked[0])
        others = seen[status][:at] + seen[status][at + 2 :]
        assert not any(s.startswith(("INSERT", "UPDATE", "DELETE")) for s in others), others


def test_one_signup_holds_the_lock_for_the_seat_the_booking_and_the_outbox_row(
    counted, world: World, fake_wechat, engine, clock, cipher
) -> None:
    if engine.dialect.name == "postgresql":
        pytest.skip("PostgreSQL: one call sent with its commit (the test above)")
    seen = _signup_statements(counted, world, fake_wechat, engine, clock, cipher)
    expected = {
        "confirmed": [
            "UPDATE bookable SET lock_version",  # the lock, which reads the row fresh
            # the seat, unless this key or this person's open booking exists (one statement)
            "UPDATE bookable SET confirmed_count",
            "INSERT INTO booking ",
            "INSERT INTO notice ",  # the person's notice: one outbox row
        ],
        "waitlisted": [
            "UPDATE bookable SET lock_version",
            # the booking, unless an earlier one exists, returning how many wait ahead of it
            "INSERT INTO booking ",
            "INSERT INTO notice ",
        ],
    }
    for status in ("confirmed", "waitlisted"):
        locked = _locked(seen[status])
        assert len(locked) == len(expected[status]) and all(
            s.startswith(e) for s, e in zip(locked, expected[status], strict=True)
        ), locked
        # Nothing is counted in the locking statement: it would count what was committed when
        # it began, before the sign-ups it queued behind (tests/activities/test_signup_queued).
        assert "count(*)" not in locked[0], locked[0]
        assert "EXISTS" in locked[1], locked[1]
    # Before: 18 and 19 statements under the lock (inbox, WeChat outbox, counts, savepoint),
    # then 5 and 6 (the earlier booking and the place in line each a statement of their own),
    # then 4 and 4 with the counts in the locking statement (stale: see above).


def test_one_signup_costs_fewer_statements_and_counts_the_line_once(
    counted, world: World, fake_wechat, engine, clock, cipher
) -> None:
    seen = _signup_statements(counted, world, fake_wechat, engine, clock, cipher)
    # Session, person, then activity + bookable + unit + "booked already?" in one statement,
    # 4 (3) under the lock, then the notice's expansion after the commit (4: the notice, the inbox
    # copies, the WeChat outbox, the status with its count). Before: 26 and 27, then 16 and 17.
    assert len(_sql(seen["confirmed"])) <= 11, _sql(seen["confirmed"])
    assert len(_sql(seen["waitlisted"])) <= 10, _sql(seen["waitlisted"])
    counts = [
        s
        for s in seen["waitlisted"]
        if ("count(*)" in s and "FROM booking" in s) or "booking_sign_up(" in s
    ]
    assert len(counts) == 1, "the place in line is counted once, for notice and reply"
    assert sum("FROM activity" in s for s in seen["confirmed"]) == 1, "the activity: once"
    assert sum("unit.path" in s for s in seen["confirmed"]) == 1, "the unit is read once"
    before = seen["confirmed"][: seen["confirmed"].index(_locked(seen["confirmed"])[0])]
    assert not any(s.startswith("SELECT booking.") for s in before), "no booking to look for"
