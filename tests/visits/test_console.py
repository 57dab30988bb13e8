"""The console's 走访 pages call the same services as the API: the week's list, the visit form
(with a follow-up), follow-ups closed, a campaign's coverage and export, the frequency setting."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import unquote

import httpx
import pytest

from backend.console.auth import csrf_for
from tests.accounts.test_access_matrix import SECRET
from tests.factories import PASSWORD, TLS, World, staff_headers


@pytest.fixture
def console(app_server, world: World) -> Iterator[httpx.Client]:
    with httpx.Client(verify=TLS, base_url=app_server.base_url, timeout=30) as client:
        response = client.post(
            "/console/login", data={"username": "staff1", "password": PASSWORD, "next": "/console"}
        )
        assert response.status_code == 303
        yield client


def _post(client: httpx.Client, path: str, data: dict[str, object]) -> str:
    body = {**data, "csrf": csrf_for(SECRET, client.cookies["junxiu_console"])}
    page = client.get("/console/visits")  # a fresh one-time form token
    assert page.status_code == 200
    token = page.text.split('name="form_token" value="')[1].split('"')[0]
    body.setdefault("form_token", token)
    response = client.post(path, data=body)
    assert response.status_code == 303, response.text[:300]
    return unquote(response.headers["location"])


def test_assign_record_and_close_through_the_console(
    console: httpx.Client, client: httpx.Client, world: World
) -> None:
    where = _post(
        console,
        "/console/visits/assign",
        {"retiree_ids": [world.retiree_a.id], "staff_id": world.staff1.id},
    )
    assert "改了1位" in where
    page = console.get("/console/visits")
    assert "王建国" in page.text and "例行走访" in page.text
    form = console.get(f"/console/visits/record?retiree_id={world.retiree_a.id}")
    assert "王建国" in form.text
    where = _post(
        console,
        "/console/visits/record",
        {
            "retiree_id": world.retiree_a.id,
            "kind": "上门",
            "visitors": "张干事",
            "met": "本人",
            "visited_at": "",
            "needs": "想装扶手",
            "follow_up": "联系装扶手",
            "follow_up_owner_id": world.staff1.id,
            "follow_up_due": "2026-03-06",
            "campaign_id": "",
        },
    )
    assert "已记下这次走访" in where
    assert "这周没有要走访的" in console.get("/console/visits").text
    page = console.get("/console/visits/follow-ups")
    assert "联系装扶手" in page.text
    api = client.get("/api/v1/staff/visits/follow-ups", headers=staff_headers(client, "staff1"))
    follow_up = api.json()["data"][0]
    where = _post(console, f"/console/visits/follow-ups/{follow_up['id']}/close", {"note": "好了"})
    assert "已办结" in where
    assert "都办完了" in console.get("/console/visits/follow-ups").text


def test_a_visit_form_without_a_person_says_so(console: httpx.Client) -> None:
    csrf = csrf_for(SECRET, console.cookies["junxiu_console"])
    response = console.post(
        "/console/visits/record",
        data={"retiree_id": "", "kind": "上门", "visitors": "张", "csrf": csrf},
    )
    assert response.status_code == 422
    assert "请先在「老同志」一栏输入姓名" in response.text


def test_campaign_and_settings_through_the_console(console: httpx.Client, world: World) -> None:
    page = console.get("/console/visits/campaigns")
    assert page.status_code == 200
    where = _post(
        console,
        "/console/visits/campaigns",
        {
            "festival": "八一",
            "unit_id": world.unit1.id,
            "starts_on": "2026-03-01",
            "ends_on": "2026-03-10",
            "title": "",
        },
    )
    assert "/console/visits/campaigns/" in where
    coverage = console.get(where.split("?")[0])
    assert "2026年八一走访慰问" in coverage.text and "还没走访" in coverage.text
    export = console.get(where.split("?")[0] + "/export.xlsx")
    assert export.headers["content-type"].startswith("application/vnd.openxmlformats")
    settings_page = console.get("/console/visits/settings")
    assert "失能" in settings_page.text
    csrf = csrf_for(SECRET, console.cookies["junxiu_console"])
    saved = console.post(
        f"/console/visits/settings/{world.unit1.id}",
        data={"flag": "空巢", "every_months": "2", "at_home": "true", "csrf": csrf},
    )
    assert "已保存" in unquote(saved.headers["location"])
    bad = console.post(
        f"/console/visits/settings/{world.unit1.id}",
        data={"flag": "空巢", "every_months": "20", "csrf": csrf},
    )
    assert bad.status_code == 422 and "几个月走访一次" in bad.text


def test_the_audit_log_words_visits_in_chinese(app_server, world: World, console) -> None:
    _post(
        console,
        "/console/visits/assign",
        {"retiree_ids": [world.retiree_a.id], "staff_id": world.staff1.id},
    )
    _post(
        console,
        "/console/visits/record",
        {"retiree_id": world.retiree_a.id, "kind": "电话", "visitors": "张干事", "met": "本人"},
    )
    with httpx.Client(verify=TLS, base_url=app_server.base_url, timeout=30) as admin:
        admin.post("/console/login", data={"username": "admin1", "password": PASSWORD})
        page = admin.get("/console/audit").text
    assert "定人包户" in page and "记录走访" in page and "包户人" in page
    assert "visit." not in page and "staff_name" not in page
