"""The mini-program's pages against the running backend: WeChat's simulator (jest +
miniprogram-simulate) drives the pages, their requests go over real HTTP to the app.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.activities.conftest import create_activity
from tests.factories import World, login_code, staff_headers
from tests.miniprogram.node import require_node

ROOT = Path(__file__).resolve().parents[2] / "miniprogram_stub"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # the server checks the signature only


def _jest() -> Path:
    require_node()
    jest = ROOT / "node_modules" / ".bin" / "jest"
    if not jest.exists():
        message = "miniprogram_stub/node_modules missing: run `make test-miniprogram` first"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return jest


def test_pages_work_against_the_running_backend(
    client: httpx.Client, world: World, fake_wechat, app_server
) -> None:
    jest = _jest()
    staff = staff_headers(client, "staff1")
    activity = create_activity(client, staff, capacity=5)
    photo = {"file": ("a.png", PNG, "image/png")}
    url = f"/api/v1/staff/activities/{activity['id']}/photo"
    response = client.post(url, files=photo, headers=staff)
    assert response.status_code == 200, response.text
    menu = {
        "date": "2026-03-03",
        "meal": "午餐",
        "options": [
            {
                "name": "红烧鱼套餐",
                "dishes": ["红烧鱼", "青菜"],
                "price": "15.00",
                "subsidised_price": "8.00",
                "portions": 30,
            }
        ],
    }
    response = client.post("/api/v1/staff/meals/menus", json=menu, headers=staff)
    assert response.status_code == 201, response.text
    place = {"name": "市第一人民医院", "address": "人民大街1号"}
    response = client.post("/api/v1/staff/rides/destinations", json=place, headers=staff)
    assert response.status_code == 201, response.text
    codes = [login_code(fake_wechat.base_url, "openid-a") for _ in range(3)]
    env = {
        **os.environ,
        "MP_LIVE_BASE": app_server.base_url,
        "MP_LOGIN_CODES": json.dumps(codes),
        "MP_ACTIVITY_ID": str(activity["id"]),
    }
    result = subprocess.run(
        [shutil.which("node") or "node", str(jest), "--ci", "tests/live.test.js"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "8 passed" in report, report
