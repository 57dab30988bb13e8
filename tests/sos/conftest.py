"""Helpers for the emergency tests."""

from __future__ import annotations

import httpx
import pytest

from backend.core.context import AppContext
from tests.factories import World, staff_headers, wechat_headers


@pytest.fixture
def ctx(app_server) -> AppContext:
    return app_server.app.state.ctx


@pytest.fixture
def staff1(client: httpx.Client, world: World) -> dict[str, str]:
    return staff_headers(client, "staff1")


@pytest.fixture
def retiree_a(client: httpx.Client, world: World, fake_wechat) -> dict[str, str]:
    return wechat_headers(client, fake_wechat.base_url, "openid-a")


@pytest.fixture
def family_a(client: httpx.Client, world: World, fake_wechat) -> dict[str, str]:
    return wechat_headers(client, fake_wechat.base_url, "openid-fa")
