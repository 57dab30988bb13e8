"""Helpers for the satisfaction tests. The test clock starts on Monday 2026-03-02 10:00
Shanghai."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy.engine import Engine

from backend.core.clock import FrozenClock
from backend.core.context import AppContext
from backend.core.db import transaction
from backend.satisfaction import service
from backend.satisfaction.schemas import Score, Source
from tests.factories import World, staff_headers, wechat_headers

SH = timedelta(hours=8)


def shanghai(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=UTC) - SH


@pytest.fixture
def staff1(client: httpx.Client, world: World) -> dict[str, str]:
    return staff_headers(client, "staff1")


@pytest.fixture
def retiree_a(client: httpx.Client, world: World, fake_wechat) -> dict[str, str]:
    return wechat_headers(client, fake_wechat.base_url, "openid-a")


def rate(
    engine: Engine,
    clock: FrozenClock,
    *,
    retiree_id: int,
    unit_id: int,
    score: Score,
    source: Source = Source.meal,
    source_id: int = 1,
) -> None:
    with transaction(engine) as db:
        service.record_rating(
            db,
            clock=clock,
            source=source,
            source_id=source_id,
            retiree_id=retiree_id,
            unit_id=unit_id,
            score=score,
            comment=None,
            by="self",
        )


@pytest.fixture
def ctx(engine: Engine, cache, clock: FrozenClock, cipher, settings) -> AppContext:
    return AppContext(settings=settings, engine=engine, cache=cache, clock=clock, cipher=cipher)
