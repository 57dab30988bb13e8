"""失联 in the console, in real Chromium: the home page notice when a case opens, the list (open
first), the case page's forms (investigator, findings, pause decision, close with resume), a
contact recorded meanwhile shown on the case, and the parent unit's report list."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from backend.checkin import scheduled
from tests.console.conftest import ARTIFACTS, login
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.browser


@pytest.fixture
def ctx_app(app_server):
    return app_server.app.state.ctx


def test_a_case_from_notice_to_closing(page: Page, world: World, clock, ctx_app) -> None:
    # Nobody contacted since the world was built (2026-03-02): six months on 9月2日.
    clock.set(datetime(2026, 9, 2, 2, 0, tzinfo=UTC))
    assert scheduled.open_lost_cases(ctx_app) == 2
    login(page, "staff1", PASSWORD)
    expect(page.locator("body")).to_contain_text("失联：王建国已6个月没有联系上")
    page.click("nav >> text=失联")
    row = page.locator("#cases tr", has_text="王建国")
    expect(row).to_contain_text("处理中")
    expect(row).to_contain_text("184 天")
    expect(page.locator("#cases")).not_to_contain_text("李秀兰")  # 第二军休所's
    row.locator("a").click()
    page.select_option("#investigator", label="工作人员")
    page.fill("#due_on", "2026-09-20")
    page.click("#assign-form button")
    expect(page.locator(".notice.ok")).to_contain_text("已定下调查人")
    page.fill("#note_text", "上门两次没人，邻居说去女儿家了")
    page.click("#note-form button")
    expect(page.locator("#timeline")).to_contain_text("邻居说去女儿家了")
    page.fill("#pause_reason", "按规定暂停，等查清")
    page.click("#pause-form button")
    expect(page.locator(".notice.ok")).to_contain_text("已暂停发放")
    expect(page.locator("#facts")).to_contain_text("现在：暂停")
    # Blank reason: said in Chinese on the same page, nothing recorded.
    page.fill("#pause_reason", "")
    page.click("#pause-form button")
    expect(page.locator(".notice.error")).to_contain_text("理由")
    # A contact recorded on the monthly page closes nothing, and the case shows it.
    page.click("nav >> text=每月联系")
    contact = page.locator("#due tr", has_text="王建国")
    expect(contact.locator("a", has_text="失联处理")).to_have_count(1)
    contact.locator("select[name=channel]").select_option("电话")
    contact.locator("button:has-text('记下')").click()
    page.click("nav >> text=失联")
    page.locator("#cases tr", has_text="王建国").locator("a").click()
    expect(page.locator("#contacted")).to_contain_text("立案以后已经联系上 1 次")
    expect(page.locator("#timeline")).to_contain_text("记了一次联系（电话）")
    page.screenshot(path=str(_artifact("lost_case.png")), full_page=True)
    page.select_option("#how", "电话联系上")
    page.click("#close-form button")
    expect(page.locator(".notice.ok")).to_contain_text("已结案，已恢复发放")
    expect(page.locator("#status")).to_have_text("已结案")
    expect(page.locator("#facts")).to_contain_text("现在：在册")
    expect(page.locator("#close-form")).to_have_count(0)
    # The centre receives the reports of its subtree.
    login(page, "admin1", PASSWORD)  # the parent's staff see the notice too
    expect(page.locator("body")).to_contain_text("失联：王建国已6个月没有联系上")
    page.goto("/console/lost/reports")
    expect(page.locator("#reports")).to_contain_text("王建国")
    expect(page.locator("#reports")).to_contain_text("李秀兰")
    with page.expect_download() as download:
        page.click("#export")
    assert download.value.suggested_filename == "lost-contact-report.xlsx"


def test_a_sibling_unit_gets_the_not_found_page(page: Page, world: World, clock, ctx_app) -> None:
    clock.set(datetime(2026, 9, 2, 2, 0, tzinfo=UTC))
    scheduled.open_lost_cases(ctx_app)
    login(page, "staff1", PASSWORD)
    # With a case open, the pause is decided on the case (and recorded there), not on 每月联系.
    page.click("nav >> text=每月联系")
    contact = page.locator("#due tr", has_text="王建国")
    expect(contact.locator("button:has-text('暂停发放')")).to_have_count(0)
    expect(contact.locator("a", has_text="去失联记录里决定")).to_have_count(1)
    page.click("nav >> text=失联")
    href = page.locator("#cases tr", has_text="王建国").locator("a").get_attribute("href")
    login(page, "staff2", PASSWORD)
    response = page.goto(str(href))
    assert response is not None and response.status == 404
    expect(page.locator("body")).to_contain_text("没有找到这个失联记录")
    page.goto("/console/lost/reports")
    expect(page.locator("#reports")).to_contain_text("下级单位没有报上来的失联情况")


def _artifact(name: str):
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name
