"""Issue 12, messages staff can read: errors look like errors on every page, a wrong address
gets the console's own page (never JSON), and 操作记录 reads as Chinese in 北京时间."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.activities.conftest import create_activity
from tests.console.conftest import ARTIFACTS, login
from tests.factories import PASSWORD, TLS, World, staff_headers

pytestmark = pytest.mark.browser


@contextmanager
def _console(base_url: str, username: str = "staff1") -> Iterator[httpx.Client]:
    with httpx.Client(verify=TLS, base_url=base_url, timeout=30) as client:
        response = client.post("/console/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 303, response.text
        yield client


def test_activity_page_shows_an_error_as_an_error(
    page: Page, world: World, client: httpx.Client
) -> None:
    activity = create_activity(client, staff_headers(client, "staff1"))
    login(page, "staff1", PASSWORD)
    page.goto(f"/console/activities/{activity['id']}")
    page.fill("form[action$='/capacity'] input[name=capacity]", "很多")
    page.click("form[action$='/capacity'] button[type=submit]")
    expect(page.get_by_role("alert")).to_contain_text("名额请填一个大于0的数字")
    expect(page.locator(".notice.error")).to_contain_text("名额请填")
    expect(page.locator(".notice.ok")).to_have_count(0)


CONSOLE_PAGES = [
    "/console",
    "/console/retirees",
    "/console/notices",
    "/console/notices/new",
    "/console/activities",
    "/console/meals",
    "/console/rides",
    "/console/rides/fleet",
    "/console/checkin",
    "/console/contacts",
    "/console/safecheck",
    "/console/funerals",
    "/console/visits",
    "/console/visits/record",
    "/console/visits/follow-ups",
    "/console/visits/campaigns",
    "/console/visits/settings",
    "/console/sos",
    "/console/matters",
    "/console/duty",
    "/console/lost",
    "/console/lost/reports",
    "/console/reports/monthly",
    "/console/questions",
    "/console/import",
]


def test_every_console_page_shows_an_outcome_in_its_kind(app_server, world: World) -> None:
    with _console(app_server.base_url) as client:
        for url in CONSOLE_PAGES:
            bad = client.get(url, params={"err": "没有保存成功"}).text
            assert re.search(r'class="notice error"[^>]*>没有保存成功<', bad), url
            assert not re.search(r'class="notice ok"[^>]*>没有保存成功<', bad), url
            good = client.get(url, params={"msg": "已保存。"}).text
            assert re.search(r'class="notice ok"[^>]*>已保存。<', good), url


class _EmptyCards(HTMLParser):
    """The boxes (class "card") of a page that would show nothing: no text, no form field, no
    picture — only what is not shown (a script, a sound)."""

    VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"})
    SHOWN = frozenset({"img", "input", "select", "textarea", "button", "canvas", "svg", "iframe"})
    UNSHOWN = frozenset({"script", "style", "audio", "template"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[list[Any]] = []  # [tag, is a card, shows something, unshown depth]
        self.empty: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SHOWN:
            self._shows()
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        hidden = tag in self.UNSHOWN or "hidden" in dict(attrs)
        self.stack.append([tag, "card" in classes, False, hidden, self.get_starttag_text()])

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            open_tag, card, shown, _hidden, start = self.stack.pop()
            if card and not shown:
                self.empty.append(start or open_tag)
            if open_tag == tag:
                return

    def handle_data(self, data: str) -> None:
        if data.strip() and not any(entry[3] for entry in self.stack):
            self._shows()

    def _shows(self) -> None:
        for entry in self.stack:
            entry[2] = True


def _menu(html: str) -> set[str]:
    """The console pages the side menu links to."""
    menu = html.split('<nav class="sidenav"', 1)[1].split("</nav>", 1)[0]
    return set(re.findall(r'href="(/console[^"?#]*)"', menu))


@pytest.mark.parametrize("username", ["staff1", "admin1"])
def test_no_console_page_shows_an_empty_box(app_server, world: World, username: str) -> None:
    """An empty card is a red or grey frame with nothing in it (首页 and 紧急求助 drew the
    emergency box with no emergency open). Every page of the menu, and the list above."""
    with _console(app_server.base_url, username) as client:
        pages = _menu(client.get("/console").text)
        assert len(pages) > 20
        for url in sorted(pages | set(CONSOLE_PAGES)):
            response = client.get(url)
            assert response.status_code == 200, url
            parser = _EmptyCards()
            parser.feed(response.text)
            assert parser.empty == [], (url, parser.empty)


@pytest.mark.parametrize("username", ["staff1", "admin1"])
def test_no_console_page_sends_staff_to_the_api(app_server, world: World, username: str) -> None:
    """The console's login is a cookie; the staff API wants a token. A link or form of a
    console page that goes to /api/ answers a signed-in staff member with JSON 「请先登录」
    (下载样表 did)."""
    with _console(app_server.base_url, username) as client:
        for url in sorted(_menu(client.get("/console").text) | set(CONSOLE_PAGES)):
            html = client.get(url).text
            assert not re.findall(r'(?:href|action|src)="/api/', html), url


@pytest.mark.parametrize(
    "url",
    [
        "/console/checkin/submissions/abc",
        "/console/checkin/submissions/999999",
        "/console/notices/abc",
        "/console/notices/999999",
        "/console/retirees/abc",
        "/console/retirees/999999",
        "/console/activities/abc",
        "/console/activities/999999",
        "/console/meals/menus/abc",
        "/console/matters/abc",
        "/console/matters/999999",
        "/console/funerals/abc",
        "/console/funerals/999999",
        "/console/checkin/abc/queue",
        "/console/no-such-page",
    ],
)
def test_wrong_console_address_gets_the_consoles_own_page(
    app_server, world: World, url: str
) -> None:
    with _console(app_server.base_url) as client:
        response = client.get(url)
    assert response.status_code == 404, url
    assert response.headers["content-type"].startswith("text/html")
    assert "没有找到" in response.text
    assert 'href="/console"' in response.text  # a way home
    assert '"code"' not in response.text and '"detail"' not in response.text


def test_audit_log_reads_as_chinese_in_beijing_time(
    page: Page, world: World, client: httpx.Client
) -> None:
    staff = staff_headers(client, "staff1")
    created = client.post(
        "/api/v1/staff/notices",
        json={
            "title": "体检通知",
            "body": "请空腹。",
            "audience": {"retiree_ids": [world.retiree_a.id]},
            "send_at": "2026-03-09T00:30:00Z",
        },
        headers=staff,
    ).json()
    client.put(
        f"/api/v1/staff/notices/{created['id']}",
        json={
            "title": "体检通知（改时间）",
            "body": "请空腹。",
            "audience": {"everyone": True},
            "send_at": "2026-03-10T01:00:00Z",
        },
        headers=staff,
    )
    client.post(
        f"/api/v1/staff/retirees/{world.retiree_a.id}/status",
        json={"status": "暂停", "note": "住院"},
        headers=staff,
    )
    login(page, "admin1", PASSWORD)
    page.goto("/console/audit")
    table = page.locator("#audit tbody")
    expect(table.locator("tr")).to_have_count(3)
    text = table.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "audit-1366.png"), full_page=True)
    assert not re.search(r"[A-Za-z{}\"\\]", text), text
    update = table.locator("tr", has_text="修改通知")
    expect(update).to_contain_text("标题：体检通知 → 体检通知（改时间）")
    expect(update).to_contain_text("定时发送：2026-03-09 08:30 → 2026-03-10 09:00")
    expect(update).to_contain_text("发给谁：指定的老同志：王建国 → 本单位全部老同志")
    expect(update).to_contain_text("工作人员")  # who: the staff member's name
    created_row = table.locator("tr", has_text="写通知")
    expect(created_row).to_contain_text("家属收副本：是")
    expect(created_row).to_contain_text("状态：草稿")
    status = table.locator("tr", has_text="修改状态")
    expect(status).to_contain_text("老同志：王建国")
    expect(status).to_contain_text("状态：在册 → 暂停")
    expect(status).to_contain_text("状态说明：— → 住院")
