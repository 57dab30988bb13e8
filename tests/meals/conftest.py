"""Helpers for the meals tests. The clock starts on Monday 2026-03-02 10:00 Shanghai."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.factories import World, make_retiree, staff_headers, wechat_headers

TUESDAY = "2026-03-03"


@pytest.fixture
def staff1(client: httpx.Client, world: World) -> dict[str, str]:
    return staff_headers(client, "staff1")


@pytest.fixture
def retiree_a(client: httpx.Client, world: World, fake_wechat) -> dict[str, str]:
    return wechat_headers(client, fake_wechat.base_url, "openid-a")


def option(name: str = "套餐A", portions: int = 10, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "dishes": ["清蒸鲈鱼", "炒青菜", "米饭"],
        "tags": ["低盐"],
        "price": "15.00",
        "subsidised_price": "8.50",
        "portions": portions,
        **extra,
    }


def publish(
    client: httpx.Client,
    headers: dict[str, str],
    *,
    day: str = TUESDAY,
    meal: str = "午餐",
    options: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    body = {"date": day, "meal": meal, "options": options or [option()], **extra}
    response = client.post("/api/v1/staff/meals/menus", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def order(
    client: httpx.Client, headers: dict[str, str], retiree_id: int, option_id: int, **extra: Any
) -> httpx.Response:
    return client.post(
        "/api/v1/meals/orders",
        json={"retiree_id": retiree_id, "option_id": option_id, **extra},
        headers=headers,
    )


def people(
    engine, clock, cipher, world: World, fake_wechat, client: httpx.Client, n: int
) -> list[tuple[int, dict[str, str]]]:
    result = []
    for i in range(n):
        retiree = make_retiree(
            engine,
            clock,
            cipher,
            unit=world.unit1,
            name=f"食客{i}",
            wechat_openid=f"openid-m{i}",
        )
        result.append((retiree.id, wechat_headers(client, fake_wechat.base_url, f"openid-m{i}")))
    return result


def inbox_titles(client: httpx.Client, headers: dict[str, str]) -> list[str]:
    return [item["title"] for item in client.get("/api/v1/inbox", headers=headers).json()["data"]]
