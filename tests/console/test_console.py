"""The staff console in real headless Chromium."""

from __future__ import annotations

import io
import re
from datetime import date

import httpx
import pytest
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from backend.accounts.deps import CONSOLE_COOKIE
from tests.console.conftest import login
from tests.factories import PASSWORD, TLS, World, id_number_for

pytestmark = pytest.mark.browser


def test_login_wrong_password_then_success(page: Page, world: World) -> None:
    login(page, "staff1", "wrong-password")
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码不对")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/console$"))
    expect(page.locator(".topbar")).to_contain_text("第一军休所")


def test_pages_need_login(page: Page, world: World) -> None:
    page.goto("/console/retirees?q=王")
    expect(page).to_have_url(re.compile(r"/console/login\?next="))
    page.fill("#username", "staff1")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/console/retirees\?q="))


def test_search_finds_retiree_and_opens_detail(page: Page, world: World) -> None:
    login(page, "staff1", PASSWORD)
    page.fill("#q", "王建")
    page.click("form[role=search] button")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("独居")
    page.click("text=王建国")
    expect(page.locator("h1")).to_contain_text("王建国")
    expect(page.locator("main")).to_contain_text("110***********")
    # The other unit's retiree is never found.
    page.goto("/console/retirees?q=李秀兰")
    expect(page.locator("table tbody")).to_contain_text("没有找到")


def test_binding_code_is_shown_big(page: Page, world: World) -> None:
    login(page, "staff1", PASSWORD)
    page.goto(f"/console/retirees/{world.retiree_a.id}")
    page.click("text=生成绑定码")
    expect(page.locator("#binding-code")).to_have_text(re.compile(r"^\d{6}$"))
    expect(page.locator("main")).to_contain_text("身份证号后4位")


def _roster() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "姓名",
            "性别",
            "出生日期",
            "身份证号",
            "类别",
            "职级",
            "电话",
            "住址",
            "所属单位",
            "关注标记",
        ]
    )
    ws.append(
        [
            "陈志强",
            "男",
            "1935-05-01",
            id_number_for(date(1935, 5, 1), 701),
            "离休",
            "师级",
            "",
            "",
            "第一军休所",
            "高龄",
        ]
    )
    ws.append(
        [
            "",
            "女",
            "1940-01-01",
            id_number_for(date(1940, 1, 1), 702),
            "退休",
            "师级",
            "",
            "",
            "第一军休所",
            "",
        ]
    )
    ws.append(
        [
            "林卫东",
            "男",
            "1941-01-01",
            "110101194101010000",
            "退休",
            "师级",
            "",
            "",
            "第一军休所",
            "",
        ]
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_roster_import_report_then_confirm(page: Page, world: World, tmp_path) -> None:
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(_roster())
    login(page, "staff1", PASSWORD)
    page.goto("/console/import")
    page.set_input_files("#file", str(path))
    page.click("text=上传并检查")
    expect(page.locator("#valid-rows")).to_have_text("1")
    problems = page.locator("#problems tbody tr")
    expect(problems).to_have_count(2)
    expect(problems.nth(0)).to_contain_text("第 3 行")
    expect(problems.nth(0)).to_contain_text("缺少姓名")
    expect(problems.nth(1)).to_contain_text("第 4 行")
    page.click("text=确认导入 1 条有效行")
    expect(page.locator(".notice.ok").first).to_contain_text("新增 1 人")
    page.goto("/console/retirees?q=陈志强")
    expect(page.locator("table tbody tr")).to_have_count(1)


def test_the_sample_roster_downloads_from_the_console_and_goes_back_in(
    page: Page, world: World, tmp_path
) -> None:
    """下载样表 with the console's login (it once linked to the staff API, which wanted a token
    the console does not have: a JSON 「请先登录」), filled as it is, uploaded: no problems."""
    login(page, "staff1", PASSWORD)
    page.goto("/console/import")
    with page.expect_download() as download:
        page.click("text=下载样表")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.read_bytes()[:2] == b"PK"  # an .xlsx, not an error page
    page.set_input_files("#file", str(path))
    page.click("text=上传并检查")
    expect(page.locator("#valid-rows")).to_have_text("2")
    expect(page.locator("#problems tbody tr")).to_have_count(0)


def test_retiree_edit_and_new_with_validation(page: Page, world: World) -> None:
    login(page, "staff1", PASSWORD)
    page.goto("/console/retirees/new")
    page.fill("#id_number", "110101193001010000")
    page.fill("#name", "赵永福")
    page.fill("#birth_date", "1930-01-01")
    page.click("text=保存")
    expect(page.get_by_role("alert").first).to_contain_text("校验位")
    page.fill("#id_number", id_number_for(date(1930, 1, 1), 703))
    page.click("text=保存")
    expect(page.locator(".notice.ok")).to_contain_text("已新增")
    page.fill("#phone", "13512345678")
    page.click("text=保存修改")
    expect(page.locator(".notice.ok")).to_contain_text("已保存")
    expect(page.locator("main")).to_contain_text("13512345678")


def test_admin_pages_hidden_and_refused_for_plain_staff(page: Page, world: World) -> None:
    login(page, "staff1", PASSWORD)
    expect(page.locator(".sidenav")).not_to_contain_text("操作记录")
    response = page.goto("/console/audit")
    assert response is not None and response.status == 403
    expect(page.locator("main")).to_contain_text("只有管理员")


def test_admin_sees_audit_of_staff_writes(page: Page, world: World) -> None:
    login(page, "staff1", PASSWORD)
    page.goto(f"/console/retirees/{world.retiree_a.id}")
    page.click("text=生成绑定码")
    page.click("text=退出")
    login(page, "admin1", PASSWORD)
    page.click("text=操作记录")
    expect(page.locator("table tbody tr").first).to_contain_text("生成绑定码")


def test_post_without_csrf_token_is_refused(app_server, world: World) -> None:
    with httpx.Client(verify=TLS, base_url=app_server.base_url) as client:
        login_response = client.post(
            "/console/login", data={"username": "staff1", "password": PASSWORD}
        )
        assert login_response.status_code == 303
        assert CONSOLE_COOKIE in client.cookies
        forged = client.post(f"/console/retirees/{world.retiree_a.id}/binding-code", data={})
        assert forged.status_code == 403
        assert "过期" in forged.text
