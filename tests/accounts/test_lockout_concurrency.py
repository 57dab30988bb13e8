"""The staff lockout holds when the wrong passwords arrive all at once: at most five are checked,
and the right password is refused once the account is locked, also inside a burst."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlmodel import func, select

from backend.accounts.models import StaffLoginFailure
from backend.core.db import transaction
from tests.factories import PASSWORD, TLS, World


def _burst(base_url: str, passwords: list[str]) -> list[httpx.Response]:
    """Every request sent at the same moment, each on its own connection."""
    gate = threading.Barrier(len(passwords))

    def attempt(password: str) -> httpx.Response:
        with httpx.Client(verify=TLS, base_url=base_url, timeout=60) as c:
            gate.wait()
            return c.post("/api/v1/staff/login", json={"username": "staff1", "password": password})

    with ThreadPoolExecutor(max_workers=len(passwords)) as pool:
        return list(pool.map(attempt, passwords))


def test_a_burst_of_wrong_passwords_checks_only_five(app_server, engine, world: World) -> None:
    # The login limit per address is 30 a minute: 20 + 6 stay under it, so only the lockout
    # can refuse these.
    first = _burst(app_server.base_url, [f"wrong-{i}" for i in range(20)])
    codes = sorted(r.json()["code"] for r in first)
    assert codes.count("bad_credentials") == 4, codes  # "还可以再试4/3/2/1次"
    assert codes.count("locked") == 16, codes  # the fifth failure locks, the rest are refused
    with transaction(engine) as db:
        failures = db.exec(select(func.count()).select_from(StaffLoginFailure)).one()
    assert failures == 5, "each checked password is recorded, and only five were checked"
    second = _burst(app_server.base_url, [PASSWORD] + [f"again-{i}" for i in range(5)])
    assert [r.status_code for r in second] == [403] * 6
    assert second[0].json()["code"] == "locked", "the right password waits out the lock"
