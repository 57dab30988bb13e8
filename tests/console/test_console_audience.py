"""Issue 12: nothing goes to the wrong people, nothing is done twice.

Staff pick retirees by name (never by an internal number), "everyone" is an explicit choice, the
preview's count is what is sent, and one console form posted twice at once acts once."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import func, select

from backend.checkin.models import ContactLog
from backend.core.db import transaction
from backend.notices.models import InboxItem, Notice
from tests.console.conftest import ARTIFACTS, login, pick
from tests.factories import PASSWORD, TLS, World, make_family, make_retiree

pytestmark = pytest.mark.browser


def _count(engine, model: type) -> int:
    with transaction(engine) as db:
        return int(db.exec(select(func.count()).select_from(model)).one())


def _compose(page: Page, title: str) -> None:
    page.goto("/console/notices/new")
    page.fill("#title", title)
    page.fill("#body", "请带好身份证。")


@pytest.fixture
def many(world: World, engine, clock, cipher) -> dict[str, int]:
    """李淑珍 (a daughter bound) among a few neighbours in the same unit."""
    li = make_retiree(engine, clock, cipher, unit=world.unit1, name="李淑珍", phone="13912345678")
    make_family(engine, clock, retiree=li, openid="openid-li-daughter")
    for name in ("赵大海", "钱玉兰", "孙国庆", "周桂英"):
        make_retiree(engine, clock, cipher, unit=world.unit1, name=name)
    return {"李淑珍": li.id or 0}


def test_notice_to_people_picked_by_name_reaches_exactly_them(
    page: Page, world: World, many: dict[str, int], engine
) -> None:
    login(page, "staff1", PASSWORD)
    _compose(page, "体检通知")
    page.check("input[name=audience_mode][value=people]")
    pick(page, "李淑", "李淑珍", picker="#people")
    pick(page, "王建", "王建国", picker="#people")
    pick(page, "孙国", "孙国庆", picker="#people")
    chips = page.locator("#people .chip")
    expect(chips).to_have_count(3)
    # Search by phone shows the unit and a masked number, never the whole number.
    page.fill("#people-q", "5678")
    option = page.locator("#people .picker-option", has_text="李淑珍")
    expect(option).to_contain_text("第一军休所")
    expect(option).to_contain_text("139****5678")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "picker-results-1366.png"))
    page.keyboard.press("Escape")
    page.fill("#people-q", "")
    page.locator("#people .chip", has_text="孙国庆").locator(".chip-remove").click()
    expect(chips).to_have_count(2)
    page.screenshot(path=str(ARTIFACTS / "picker-notice-1366.png"), full_page=True)
    page.click("button[value=preview]")
    expect(page.locator("#preview")).to_contain_text("将发给 2 位老同志，另有 2 份家属副本")
    expect(page.locator("#people .chip")).to_have_count(2)  # the picks survive the preview
    page.click("button[value=send]")
    expect(page.locator(".notice.ok")).to_contain_text("已发送")
    expect(page.locator("#recipients")).to_have_text("4")
    with transaction(engine) as db:
        reached = set(db.exec(select(InboxItem.retiree_id)).all())
    assert reached == {world.retiree_a.id, many["李淑珍"]}


def test_typed_name_not_picked_is_refused_and_nothing_is_sent(
    page: Page, world: World, many: dict[str, int], engine
) -> None:
    login(page, "staff1", PASSWORD)
    _compose(page, "只给两位")
    page.check("input[name=audience_mode][value=people]")
    page.fill("#people-q", "李淑珍，王建国")
    page.click("button[value=send]")
    expect(page.get_by_role("alert")).to_contain_text("还没有选中老同志")
    expect(page.locator("#title")).to_have_value("只给两位")  # what was typed is kept
    assert _count(engine, Notice) == 0 and _count(engine, InboxItem) == 0


def test_no_choice_of_audience_is_refused_not_everyone(
    page: Page, world: World, many: dict[str, int], engine
) -> None:
    login(page, "staff1", PASSWORD)
    _compose(page, "发给谁没选")
    page.click("button[value=send]")
    expect(page.get_by_role("alert")).to_contain_text("请选择发给谁")
    assert _count(engine, InboxItem) == 0
    # Everyone is one click, and then it is everyone.
    page.check("input[name=audience_mode][value=all]")
    page.click("button[value=preview]")
    expect(page.locator("#preview")).to_contain_text("将发给 6 位老同志")
    page.click("button[value=send]")
    expect(page.locator("#recipients")).to_have_text("8")


def test_picker_search_stays_in_the_staffs_units_and_masks_phones(page: Page, world: World) -> None:
    login(page, "staff1", PASSWORD)
    for query in ("王建", "8000", world_tail(world)):
        response = page.request.get(f"/console/pick/retirees?q={query}")
        assert response.ok
        people = response.json()["data"]
        assert [p["name"] for p in people] == ["王建国"], query
        assert people[0]["unit_name"] == "和平里服务站"
        assert people[0]["phone_masked"] == "138****8000"
        assert "13800138000" not in response.text()
    other_unit = page.request.get("/console/pick/retirees?q=李秀兰").json()["data"]
    assert other_unit == []  # staff1 never finds the other unit's retirees


def world_tail(world: World) -> str:
    return world.retiree_a.id_number_tail


@contextmanager
def _console_client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(verify=TLS, base_url=base_url, timeout=30) as client:
        response = client.post(
            "/console/login",
            data={"username": "staff1", "password": PASSWORD, "next": "/console"},
        )
        assert response.status_code == 303, response.text
        yield client


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, name
    return found.group(1)


def _twice_at_once(client: httpx.Client, url: str, data: dict[str, str]) -> list[httpx.Response]:
    barrier = threading.Barrier(2)
    results: list[httpx.Response] = []

    def post() -> None:
        barrier.wait()
        results.append(client.post(url, data=data))

    threads = [threading.Thread(target=post) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_same_notice_form_posted_twice_at_once_sends_once(app_server, world: World, engine) -> None:
    with _console_client(app_server.base_url) as client:
        html = client.get("/console/notices/new").text
        data = {
            "csrf": _hidden(html, "csrf"),
            "form_token": _hidden(html, "form_token"),
            "title": "停水通知",
            "body": "明天上午停水。",
            "include_family": "1",
            "audience_mode": "all",
            "action": "send",
        }
        first, second = _twice_at_once(client, "/console/notices/new", data)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"].split("?")[0] == second.headers["location"].split("?")[0]
    assert _count(engine, Notice) == 1
    assert _count(engine, InboxItem) == 2  # 王建国 and his family's copy, once each


def test_same_contact_form_posted_twice_at_once_logs_once(app_server, world: World, engine) -> None:
    with _console_client(app_server.base_url) as client:
        html = client.get("/console/contacts").text
        token = _hidden(html, "form_token")
        data = {
            "csrf": _hidden(html, "csrf"),
            "form_token": token,
            "retiree_id": str(world.retiree_a.id),
            "channel": "电话",
            "note": "身体还好",
        }
        first, second = _twice_at_once(client, "/console/contacts", data)
        assert first.headers["location"] == second.headers["location"]
        assert _count(engine, ContactLog) == 1
        # Another form (another token) logs another contact.
        client.post("/console/contacts", data={**data, "form_token": token + "-next"})
        assert _count(engine, ContactLog) == 2
