"""医疗费补助 in the console, in real Chromium: the year's claims of the unit, one claim's
receipts taken or sent back with a reason, then approved with a pay date — the subsidy computed
by the rule, the retiree told the amount and the date."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import col, select

from backend.core.db import transaction
from backend.notices.models import InboxItem, Notice
from tests.console.conftest import login
from tests.factories import PASSWORD, World
from tests.medical.matrix_seed import seed_medical

pytestmark = pytest.mark.browser


def test_receipts_checked_then_the_claim_approved(page: Page, world: World, engine) -> None:
    with transaction(engine) as db:
        seeded = seed_medical(db, retiree_id=world.retiree_a.id or 0, unit_id=world.unit1.id or 0)
    login(page, "staff1", PASSWORD)
    page.click("nav >> text=医疗费补助")
    row = page.locator(f"#claims tr[data-claim='{seeded['claim_id']}']")
    expect(row).to_contain_text("王建国")
    expect(row).to_contain_text("2张待看")
    row.locator("a").click()

    big = page.locator(f"tr[data-receipt='{seeded['receipt_id']}']")
    expect(big).to_contain_text("60000.00元")
    big.locator("button", has_text="收下").click()
    expect(page.locator(".notice.ok")).to_contain_text("已收下这张票据")

    small = page.locator(f"tr[data-receipt='{seeded['pending_receipt_id']}']")
    small.locator("input[name=reason]").fill("票据看不清，请重拍")
    small.locator("button", has_text="退回").click()
    expect(page.locator(".notice.ok")).to_contain_text("已退回这张票据")
    expect(small).to_contain_text("票据看不清，请重拍")

    # 60000.00元 accepted: 70% of the part above 5万 = 7000.00元.
    expect(page.locator("#subsidy")).to_have_text("7000.00元")
    page.fill("#approve input[name=pay_on]", "2026-04-10")
    page.click("#approve button")
    expect(page.locator(".notice.ok")).to_contain_text("已批准")
    expect(page.locator("#status")).to_contain_text("已批")
    expect(page.locator("#subsidy")).to_have_text("7000.00元")
    with transaction(engine) as db:
        told = db.exec(
            select(Notice.body)
            .join(InboxItem, col(InboxItem.notice_id) == Notice.id)
            .where(InboxItem.retiree_id == world.retiree_a.id, InboxItem.copy_binding_id == 0)
        ).all()
    assert any("7000.00" in body and "4月10日" in body for body in told), told


def test_another_units_claim_is_the_consoles_not_found_page(
    page: Page, world: World, engine
) -> None:
    with transaction(engine) as db:
        seeded = seed_medical(db, retiree_id=world.retiree_b.id or 0, unit_id=world.unit2.id or 0)
    login(page, "staff1", PASSWORD)
    page.goto(f"/console/medical/claims/{seeded['claim_id']}")
    expect(page.locator("body")).to_contain_text("没有找到")
    expect(page.locator("#approve")).to_have_count(0)
