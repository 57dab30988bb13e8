"""信访 in the console, in real Chromium: a phone call recorded for a retiree, handed to a staff
member, a note and a scanned letter added to its file, the reply sent — the retiree then reads
it — and the file printed; admins set the working days per kind."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from backend.cases.models import Case
from backend.core.db import transaction
from tests.console.conftest import login
from tests.factories import PASSWORD, World
from tests.health_record.matrix_seed import PDF

pytestmark = pytest.mark.browser


def test_a_phone_call_recorded_handled_and_answered(
    page: Page, world: World, engine, tmp_path: Path
) -> None:
    login(page, "staff1", PASSWORD)
    page.click("nav >> text=信访和意见")
    expect(page.locator("#cases")).to_contain_text("没有")
    page.fill("#retiree-q", "王建国")
    page.click("#retiree .picker-results button >> nth=0")
    page.select_option("#record select[name=kind]", "求助")
    page.select_option("#record select[name=channel]", "电话")
    page.fill("#record textarea[name=body]", "家里水管漏水，想请所里帮忙找人修。")
    page.click("#record button[type=submit]")
    expect(page.locator(".notice.ok")).to_contain_text("已登记，编号信2026-")
    expect(page.locator("#status")).to_have_text("正在办理")

    page.click("#handler button")
    expect(page.locator(".notice.ok")).to_contain_text("已指定承办人")
    page.fill("#note textarea", "联系了物业，明天上午来修。")
    page.click("#note button")
    expect(page.locator("#events")).to_contain_text("联系了物业")
    letter = tmp_path / "来信.pdf"
    letter.write_bytes(PDF)
    page.set_input_files("#attach input[type=file]", str(letter))
    page.click("#attach button")
    expect(page.locator("#events")).to_contain_text("来信")
    expect(page.locator("#events a", has_text="看附件")).to_be_visible()

    page.fill("#reply-form textarea", "物业明天上午九点上门修水管，请家里留人。")
    page.click("#reply-form button")
    expect(page.locator(".notice.ok")).to_contain_text("已答复")
    expect(page.locator("#status")).to_have_text("已答复，请您评价")
    expect(page.locator("#reply-form")).to_have_count(0)
    with transaction(engine) as db:
        case = db.exec(select(Case)).one()
        assert case.handler_staff_id == world.staff1.id and case.channel == "电话"
    pdf = page.request.get(page.url.split("/console")[0] + f"/console/cases/{case.id}/file.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"


def test_admins_set_the_working_days_and_others_only_read_them(page: Page, world: World) -> None:
    login(page, "staff1", PASSWORD)
    page.click("nav >> text=信访和意见")
    expect(page.locator("#settings")).to_contain_text("投诉 13 个")
    page.context.clear_cookies()
    login(page, "admin1", PASSWORD)
    page.click("nav >> text=信访和意见")
    page.fill("#set-complaint", "0")
    page.click("#settings button")
    expect(page.locator("#error")).to_be_visible()
    page.fill("#set-complaint", "10")
    page.click("#settings button")
    expect(page.locator(".notice.ok")).to_contain_text("答复期限已保存")
    expect(page.locator("#set-complaint")).to_have_value("10")
