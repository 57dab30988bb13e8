"""Cheap authenticated reads cost a constant number of SQL statements, whatever the page size:
the session (none when Redis holds it), the person in one statement, then the read itself."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import event

from backend.accounts.enums import CareFlag
from backend.accounts.models import StaffAccount, Unit
from backend.activities import service as activities
from backend.activities.schemas import ActivityCategory, ActivityIn, Eligibility
from backend.app import create_app
from backend.core.cache import MemoryCache
from backend.core.db import transaction
from backend.notices import service as notices_service
from tests.factories import TLS, World, login_code, make_family, wechat_headers
from tests.server import RunningApp, serve_in_thread


@pytest.fixture
def counted(settings, clock) -> Iterator[tuple[RunningApp, list[str]]]:
    app = create_app(settings, clock=clock, cache=MemoryCache(), configure_logs=False)
    running = serve_in_thread(app)
    statements: list[str] = []

    def count(_conn, _cursor, statement: str, *_rest: object) -> None:
        if not statement.startswith("BEGIN"):  # SQLite's explicit BEGIN IMMEDIATE
            statements.append(statement)

    engine = app.state.ctx.engine
    event.listen(engine, "before_cursor_execute", count)
    yield running, statements
    event.remove(engine, "before_cursor_execute", count)
    running.stop()


def _notify(engine, clock, world: World, n: int, prefix: str = "k") -> None:
    with transaction(engine) as db:
        for i in range(n):
            notices_service.notify(
                db,
                clock=clock,
                retiree_id=world.retiree_a.id,
                title=f"体检提醒{i}",
                body="明天上午8点体检，请空腹。",
                dedupe_key=f"{prefix}{i}",
                include_family=True,
            )


def _statements_for(c: httpx.Client, statements: list[str], path: str, bearer) -> int:
    assert c.get(path, headers=bearer).status_code == 200  # warm: nothing first-time counted
    statements.clear()
    response = c.get(path, headers=bearer)
    assert response.status_code == 200, response.text
    return len(statements)


@pytest.mark.parametrize("openid", ["openid-a", "openid-fa"])
def test_inbox_and_home_cost_the_same_at_any_page_size(
    counted, world: World, engine, clock, fake_wechat, openid: str
) -> None:
    running, statements = counted
    with httpx.Client(verify=TLS, base_url=running.base_url, timeout=30) as c:
        token = c.post(
            "/api/v1/auth/wechat", json={"code": login_code(fake_wechat.base_url, openid)}
        ).json()["token"]
        bearer = {"Authorization": f"Bearer {token}"}
        _notify(engine, clock, world, 3)
        small = _statements_for(c, statements, "/api/v1/inbox?limit=2", bearer)
        _notify(engine, clock, world, 20, prefix="m")
        page = c.get("/api/v1/inbox?limit=20", headers=bearer).json()
        assert len(page["data"]) == 20
        large = _statements_for(c, statements, "/api/v1/inbox?limit=20", bearer)
        assert small == large
        # session + the person (one statement) + the page with its unread count
        assert large == 3, statements
        assert _statements_for(c, statements, "/api/v1/me", bearer) <= 4, statements


def test_home_of_a_family_member_costs_the_same_for_one_and_two_bound_retirees(
    counted, world: World, engine, clock, fake_wechat
) -> None:
    """The names of the retirees a family member follows are read in one query, not one each."""
    running, statements = counted
    with httpx.Client(verify=TLS, base_url=running.base_url, timeout=30) as c:
        bearer = wechat_headers(c, fake_wechat.base_url, "openid-fa")
        one = _statements_for(c, statements, "/api/v1/me", bearer)
        make_family(engine, clock, retiree=world.retiree_b, openid="openid-fa")
        following = c.get("/api/v1/me", headers=bearer).json()["following"]
        assert [f["name"] for f in following] == ["王建国", "李秀兰"]
        two = _statements_for(c, statements, "/api/v1/me", bearer)
        assert one == two, statements


def _activities(engine, clock, world: World, n: int, prefix: str) -> None:
    """n activities for the retiree's institute; every third one only for people living alone
    (the retiree is), so the care-flag rule is read too."""
    with transaction(engine) as db:
        unit = db.get(Unit, world.unit1.id)
        staff = db.get(StaffAccount, world.staff1.id)
        assert unit is not None and staff is not None
        for i in range(n):
            rules = Eligibility(care_flags=[CareFlag.living_alone]) if i % 3 == 0 else Eligibility()
            activities.create(
                db,
                clock=clock,
                staff=staff,
                scope=unit,
                data=ActivityIn(
                    category=list(ActivityCategory)[0],
                    title=f"{prefix}活动{i}",
                    place="活动室",
                    starts_at=clock.now() + timedelta(days=2, hours=i),
                    capacity=10,
                    eligibility=rules,
                ),
            )


def test_the_activity_list_costs_the_same_for_5_and_50(
    counted, world: World, engine, clock, fake_wechat
) -> None:
    """Each item's sign-up check needs the retiree's unit and care flags: read once per list,
    not once per activity (a fresh session per request keeps no unit row between items)."""
    running, statements = counted
    with httpx.Client(verify=TLS, base_url=running.base_url, timeout=30) as c:
        token = c.post(
            "/api/v1/auth/wechat", json={"code": login_code(fake_wechat.base_url, "openid-a")}
        ).json()["token"]
        bearer = {"Authorization": f"Bearer {token}"}
        path = f"/api/v1/activities?retiree_id={world.retiree_a.id}"
        _activities(engine, clock, world, 5, "a")
        assert len(c.get(path, headers=bearer).json()["data"]) == 5
        small = _statements_for(c, statements, path, bearer)
        _activities(engine, clock, world, 45, "b")
        page = c.get(path, headers=bearer).json()
        assert len(page["data"]) == 50
        assert all(a["can_sign_up"] for a in page["data"]), page
        large = _statements_for(c, statements, path, bearer)
        assert small == large, statements
        # the session, the person, the list (the unit, the bookings and places in line read
        # inside it), the care flags (some items' rule needs them)
        assert large <= 4, statements


def test_a_read_keeps_one_connection_and_transaction_on_postgresql(
    counted, world: World, fake_wechat
) -> None:
    """On PostgreSQL the identity read and the route share one transaction when the identity
    read wrote nothing: one pool check-out per request (no COMMIT, pre-ping and BEGIN again).
    SQLite ends the dependency's transaction (its write lock is not held across threads)."""
    running, _statements = counted
    engine = running.app.state.ctx.engine
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite ends the dependency's transaction on purpose")
    checkouts: list[object] = []

    def checked_out(*_args: object) -> None:
        checkouts.append(1)

    with httpx.Client(verify=TLS, base_url=running.base_url, timeout=30) as c:
        bearer = wechat_headers(c, fake_wechat.base_url, "openid-a")
        assert c.get("/api/v1/me", headers=bearer).status_code == 200
        event.listen(engine.pool, "checkout", checked_out)
        try:
            for path in ("/api/v1/me", "/api/v1/inbox"):
                checkouts.clear()
                assert c.get(path, headers=bearer).status_code == 200
                assert len(checkouts) == 1, path
        finally:
            event.remove(engine.pool, "checkout", checked_out)
