"""Helpers for the rides tests: staff and retiree headers, a small fleet through the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.factories import World, staff_headers, wechat_headers

# The test clock starts on Monday 2026-03-02 10:00 in Shanghai.
TUESDAY_9 = "2026-03-03T09:00:00+08:00"


@dataclass
class Fleet:
    van: dict[str, Any]  # 7 seats, no wheelchair
    car: dict[str, Any]  # 4 seats, no wheelchair
    lift: dict[str, Any]  # 4 seats, wheelchair
    zhao: dict[str, Any]
    qian: dict[str, Any]
    hospital: dict[str, Any]


@pytest.fixture
def staff1(client: httpx.Client, world: World) -> dict[str, str]:
    return staff_headers(client, "staff1")


@pytest.fixture
def retiree_a(client: httpx.Client, world: World, fake_wechat) -> dict[str, str]:
    return wechat_headers(client, fake_wechat.base_url, "openid-a")


def post(client: httpx.Client, headers: dict[str, str], path: str, **body: Any) -> dict[str, Any]:
    response = client.post(path, json=body, headers=headers)
    assert response.status_code in (200, 201), response.text
    return response.json()  # type: ignore[no-any-return]


@pytest.fixture
def fleet(client: httpx.Client, staff1: dict[str, str]) -> Fleet:
    base = "/api/v1/staff/rides"
    return Fleet(
        van=post(
            client, staff1, f"{base}/vehicles", plate="京A10001", description="白色面包车", seats=7
        ),
        car=post(
            client, staff1, f"{base}/vehicles", plate="京A10002", description="黑色轿车", seats=4
        ),
        lift=post(
            client,
            staff1,
            f"{base}/vehicles",
            plate="京A10003",
            description="无障碍车",
            seats=4,
            wheelchair=True,
        ),
        zhao=post(client, staff1, f"{base}/drivers", name="赵师傅", phone="13911110001"),
        qian=post(client, staff1, f"{base}/drivers", name="钱师傅", phone="13911110002"),
        hospital=post(client, staff1, f"{base}/destinations", name="301医院", address="复兴路28号"),
    )


def ask(
    client: httpx.Client, headers: dict[str, str], retiree_id: int, **extra: Any
) -> httpx.Response:
    body = {
        "retiree_id": retiree_id,
        "destination_text": "北京医院",
        "pickup_at": TUESDAY_9,
        **extra,
    }
    return client.post("/api/v1/rides", json=body, headers=headers)


def ask_by_staff(
    client: httpx.Client, headers: dict[str, str], retiree_id: int, **extra: Any
) -> dict[str, Any]:
    """Tests build several rides for one person on purpose, so this confirms the "可能重复"
    warning; test_requests.py::test_near_duplicate_ride_needs_confirming tests the warning."""
    body = {
        "retiree_id": retiree_id,
        "destination_text": "北京医院",
        "pickup_at": TUESDAY_9,
        "confirm_duplicate": True,
        **extra,
    }
    return post(client, headers, "/api/v1/staff/rides", **body)


def dispatch(
    client: httpx.Client, headers: dict[str, str], request_ids: list[int], vehicle, driver, **extra
) -> httpx.Response:
    body = {
        "request_ids": request_ids,
        "vehicle_id": vehicle["id"],
        "driver_id": driver["id"],
        **extra,
    }
    return client.post("/api/v1/staff/rides/dispatch", json=body, headers=headers)


def inbox_titles(client: httpx.Client, headers: dict[str, str]) -> list[str]:
    return [n["title"] for n in client.get("/api/v1/inbox", headers=headers).json()["data"]]
