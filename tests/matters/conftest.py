"""Helpers for the 事项报告 tests: a 师级 retiree, the heads who sign and approve, a console
client for any staff account, Shanghai wall-clock times."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine

from backend.accounts.enums import RetireeLevel, StaffRole
from backend.accounts.models import Retiree, StaffAccount
from backend.console.auth import csrf_for
from backend.core.db import transaction
from tests.accounts.test_access_matrix import SECRET
from tests.factories import PASSWORD, TLS, World, make_staff

SH = timedelta(hours=8)


def shanghai(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=UTC) - SH


def make_division(engine: Engine, retiree: Retiree) -> None:
    with transaction(engine) as db:
        db.execute(
            update(Retiree)
            .where(Retiree.id == retiree.id)  # type: ignore[arg-type]
            .values(level=RetireeLevel.division.value)
        )


@pytest.fixture
def head1(engine: Engine, clock, world: World) -> StaffAccount:
    """The head of 第一军休所 (an admin of that unit): signs applications."""
    return make_staff(
        engine,
        clock,
        unit=world.unit1,
        username="head1",
        role=StaffRole.admin,
        display_name="赵所长",
    )


@contextmanager
def console_as(base_url: str, username: str) -> Iterator[tuple[httpx.Client, str]]:
    with httpx.Client(verify=TLS, base_url=base_url, timeout=30, follow_redirects=False) as client:
        response = client.post("/console/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 303
        yield client, csrf_for(SECRET, client.cookies["junxiu_console"])


TRIP = {
    "kind": "出国(境)",
    "destination": "日本",
    "depart_on": "2026-04-10",
    "return_on": "2026-04-20",
    "purpose": "探亲",
    "passport_no": "E12345678",
}
