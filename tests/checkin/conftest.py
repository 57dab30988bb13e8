"""Helpers for the check-in tests: open a campaign, log in as a retiree, fill the form."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from backend.core.context import AppContext
from tests.factories import World, staff_headers, wechat_headers

FULL_ANSWERS: dict[str, Any] = {
    "same_address": True,
    "phone": "13800138000",
    "party_life": True,
    "social_orgs": None,
    "trips_abroad": [],
    "care_needs": [],
}


@pytest.fixture
def ctx(app_server) -> AppContext:
    return app_server.app.state.ctx


@pytest.fixture
def staff1(client: httpx.Client, world: World) -> dict[str, str]:
    return staff_headers(client, "staff1")


@pytest.fixture
def retiree_a(client: httpx.Client, world: World, fake_wechat) -> dict[str, str]:
    return wechat_headers(client, fake_wechat.base_url, "openid-a")


def open_campaign(client: httpx.Client, headers: dict[str, str], **extra: Any) -> dict[str, Any]:
    response = client.post(
        "/api/v1/staff/checkin/campaigns", json={"year": 2026, **extra}, headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()


def submit(
    client: httpx.Client,
    headers: dict[str, str],
    retiree_id: int,
    answers: dict[str, Any] | None = None,
    request_id: str = "req-00000001",
) -> httpx.Response:
    return client.post(
        "/api/v1/checkin/submit",
        json={
            "retiree_id": retiree_id,
            "answers": FULL_ANSWERS if answers is None else answers,
            "declaration": True,
            "request_id": request_id,
        },
        headers=headers,
    )


def queue(
    client: httpx.Client, headers: dict[str, str], campaign_id: int, **params: Any
) -> list[dict[str, Any]]:
    response = client.get(
        f"/api/v1/staff/checkin/campaigns/{campaign_id}/submissions", params=params, headers=headers
    )
    assert response.status_code == 200, response.text
    return list(response.json()["data"])
