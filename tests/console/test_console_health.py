"""The health record in the console, in real Chromium: the medical staff open a person's record
from the check-up roster, enter the results, upload the report, mark a discharge; the page lists
who read it. Staff who are not medical see no menu entry and are refused the page; the admin
makes someone medical on the staff page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from backend.core.db import transaction
from backend.health_record.models import HealthEntry, HealthRead
from tests.console.conftest import login
from tests.factories import PASSWORD, World, make_staff
from tests.health_record.matrix_seed import PDF, seed_health

pytestmark = pytest.mark.browser


def test_results_entered_from_the_check_up_roster(
    page: Page, world: World, engine, tmp_path: Path
) -> None:
    with transaction(engine) as db:
        seeded = seed_health(db, retiree_id=world.retiree_a.id or 0, unit_id=world.unit1.id or 0)
        db.delete(db.get(HealthEntry, seeded["health_entry_id"]))  # results not in yet
    login(page, "staff1", PASSWORD)
    page.click("nav >> text=健康档案")
    expect(page.locator("#checkups")).to_contain_text("2026年度体检")
    page.click("#checkups >> text=录结果")
    row = page.locator(f"#roster tr[data-retiree='{world.retiree_a.id}']")
    expect(row).to_contain_text("还没录")
    row.locator("a").click()
    expect(page.locator("h1")).to_have_text("王建国的健康档案")
    expect(page.locator("#add-entry select[name=activity_id]")).to_have_value(
        str(seeded["checkup_id"])
    )
    page.fill("#add-entry input[name=happened_on]", "2026-03-01")
    page.fill("#add-entry input[name=place]", "解放军总医院")
    page.fill("#add-entry textarea[name=summary]", "血压偏高，三个月后复查。")
    page.click("#add-entry button")
    expect(page.locator(".notice.ok")).to_contain_text("已记入健康档案")
    card = page.locator("[data-entry]").first
    expect(card).to_contain_text("血压偏高，三个月后复查。")

    card.locator("summary").click()
    report = tmp_path / "体检报告.pdf"
    report.write_bytes(PDF)
    card.locator("input[type=file]").set_input_files(str(report))
    card.locator("button", has_text="上传").click()
    expect(page.locator(".notice.ok")).to_contain_text("报告已上传")
    expect(page.locator("[data-entry]").first.locator("a", has_text="看报告")).to_be_visible()
    # Opening the record, twice, is in the list of who read it.
    expect(page.locator("#reads")).to_contain_text("医务人员工作人员")

    page.goto(page.url.split("/console")[0] + "/console/health")
    page.click("#checkups >> text=录结果")
    expect(row).to_contain_text("已录")
    with transaction(engine) as db:
        assert len(db.exec(select(HealthRead)).all()) >= 2


def test_a_discharge_is_marked_and_the_stay_leaves_the_list(
    page: Page, world: World, engine
) -> None:
    login(page, "staff1", PASSWORD)
    page.goto(page.url.split("/console")[0] + f"/console/health/retirees/{world.retiree_a.id}")
    page.select_option("#add-entry select[name=kind]", "住院")
    page.fill("#add-entry input[name=happened_on]", "2026-02-27")
    page.fill("#add-entry input[name=place]", "北京医院")
    page.click("#add-entry button")
    expect(page.locator(".notice.ok")).to_contain_text("已记入健康档案")
    page.click("nav >> text=健康档案")
    expect(page.locator("#in-hospital")).to_contain_text("2026年2月27日住院，还没出院")
    page.click("#in-hospital >> text=打开档案")
    card = page.locator("[data-entry]").first
    card.locator("summary").click()
    card.locator("input[name=discharged_on]").fill("2026-02-20")
    card.locator("button", has_text="保存").click()
    expect(page.locator("#error")).to_contain_text("出院日期不能早于住院日期")
    card = page.locator("[data-entry]").first
    card.locator("summary").click()
    card.locator("input[name=discharged_on]").fill("2026-03-01")
    card.locator("button", has_text="保存").click()
    expect(page.locator("[data-entry]").first).to_contain_text("2026年2月27日住院，3月1日出院")
    page.click("nav >> text=健康档案")
    expect(page.locator("#in-hospital")).to_contain_text("现在没有人住院")


def test_not_medical_staff_are_refused_until_the_admin_says_so(
    page: Page, world: World, engine, clock
) -> None:
    make_staff(engine, clock, unit=world.unit1, username="clerk", display_name="李会计")
    login(page, "clerk", PASSWORD)
    expect(page.locator("nav")).not_to_contain_text("健康档案")
    base = page.url.split("/console")[0]
    response = page.goto(base + f"/console/health/retirees/{world.retiree_a.id}")
    assert response is not None and response.status == 403
    expect(page.locator("body")).to_contain_text("只有所里的医务人员可以看健康档案")
    page.context.clear_cookies()

    login(page, "admin1", PASSWORD)
    page.click("nav >> text=工作人员")
    page.click("button[aria-label='设为李会计医务人员']")
    expect(page.locator(".notice.ok")).to_contain_text("已更新")
    page.context.clear_cookies()

    login(page, "clerk", PASSWORD)
    page.click("nav >> text=健康档案")
    expect(page.locator("h1")).to_have_text("健康档案")
