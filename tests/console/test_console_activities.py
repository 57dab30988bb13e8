"""Activities in the console, in real Chromium: create → sign up → attendance, and raising
capacity moves the waiting list."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.console.conftest import login
from tests.factories import PASSWORD, World, make_retiree, wechat_headers

pytestmark = pytest.mark.browser


def test_create_sign_up_attendance_and_capacity(
    page: Page, world: World, client: httpx.Client, fake_wechat, engine, clock, cipher
) -> None:
    other = make_retiree(engine, clock, cipher, unit=world.unit1, name="孙电话")
    login(page, "staff1", PASSWORD)
    page.click("text=活动报名")
    page.fill("#title", "书法课")
    page.fill("#place", "活动室")
    page.fill("#starts_at", "2026-03-10T09:00")
    page.fill("#capacity", "1")
    page.click("button:has-text('发布')")
    expect(page.locator(".notice.ok")).to_contain_text("已发布")
    activity_id = int(page.url.rstrip("/").split("/")[-1].split("?")[0])

    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    signed = client.post(
        f"/api/v1/activities/{activity_id}/signup",
        json={"retiree_id": world.retiree_a.id},
        headers=retiree,
    )
    assert signed.json()["status"] == "已报名"
    page.fill("#retiree_id", str(other.id))
    page.click("form[action$='/signup'] button")
    expect(page.locator(".notice.ok")).to_contain_text("已排候补")
    expect(page.locator("#waitlisted")).to_have_text("1")

    page.fill("#new_capacity", "2")
    page.click("form[action$='/capacity'] button")
    expect(page.locator("#confirmed")).to_have_text("2")
    expect(page.locator("#roster")).to_contain_text("孙电话")

    row = page.locator("#roster tr", has_text="王建国")
    row.locator("button:has-text('到了')").click()
    expect(
        page.locator("#roster tr", has_text="王建国").locator("button", has_text="✓ 到了")
    ).to_be_visible()
    mine = client.get(f"/api/v1/bookings?retiree_id={world.retiree_a.id}", headers=retiree).json()
    assert mine[0]["attended"] is True
