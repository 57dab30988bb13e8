"""Helpers for the activities and bookings tests."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.factories import World, staff_headers, wechat_headers


@pytest.fixture
def staff1(client: httpx.Client, world: World) -> dict[str, str]:
    return staff_headers(client, "staff1")


@pytest.fixture
def retiree_a(client: httpx.Client, world: World, fake_wechat) -> dict[str, str]:
    return wechat_headers(client, fake_wechat.base_url, "openid-a")


def create_activity(client: httpx.Client, headers: dict[str, str], **extra: Any) -> dict[str, Any]:
    body = {
        "category": "文体活动",
        "title": "春游颐和园",
        "place": "颐和园东门",
        "starts_at": "2026-03-10T09:00:00+08:00",
        "capacity": 2,
        **extra,
    }
    response = client.post("/api/v1/staff/activities", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def sign_up(
    client: httpx.Client, headers: dict[str, str], activity_id: int, retiree_id: int, **extra: Any
) -> httpx.Response:
    return client.post(
        f"/api/v1/activities/{activity_id}/signup",
        json={"retiree_id": retiree_id, **extra},
        headers=headers,
    )
