"""Activities in the console, in real Chromium: create → sign up → attendance, and raising
capacity moves the waiting list."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.console.conftest import login, pick
from tests.factories import PASSWORD, World, make_retiree, wechat_headers

pytestmark = pytest.mark.browser


def test_create_sign_up_attendance_and_capacity(
    page: Page, world: World, client: httpx.Client, fake_wechat, engine, clock, cipher
) -> None:
    make_retiree(engine, clock, cipher, unit=world.unit1, name="孙电话")
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
    pick(page, "孙电", "孙电话")
    page.click("form[action$='/signup'] button[type=submit]")
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


def test_weekly_class_scan_and_photo(
    page: Page, world: World, client: httpx.Client, fake_wechat, clock, tmp_path
) -> None:
    """Publish a weekly class, a retiree enrols, staff scan the code she shows for the first
    session, and add a photo she then sees."""
    login(page, "staff1", PASSWORD)
    page.click("text=活动报名")
    page.select_option("#category", "老年大学")
    page.fill("#title", "太极拳班")
    page.fill("#place", "活动室")
    page.fill("#starts_at", "2026-03-03T09:00")
    page.fill("#ends_at", "2026-03-03T10:30")
    page.fill("#capacity", "10")
    page.check("#weekly input[value='2']")
    page.fill("#weekly_until", "2026-03-17")
    page.click("button:has-text('发布')")
    expect(page.locator(".notice.ok")).to_contain_text("已发布")
    expect(page.locator("#schedule")).to_contain_text("每周二 09:00，3月3日至3月17日，共3次")
    activity_id = int(page.url.rstrip("/").split("/")[-1].split("?")[0])

    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    booking = client.post(
        f"/api/v1/activities/{activity_id}/signup",
        json={"retiree_id": world.retiree_a.id},
        headers=retiree,
    ).json()
    code = client.get(f"/api/v1/bookings/{booking['id']}/code", headers=retiree).json()["code"]

    page.reload()
    expect(page.locator("#session option")).to_have_count(3)
    # Monday: the first class is tomorrow at 09:00, so the code does not work yet.
    page.fill("#scan_code", code)
    page.press("#scan_code", "Enter")
    expect(page.locator(".notice")).to_contain_text("签到从3月3日 07:00开始")
    clock.set(datetime(2026, 3, 3, 0, 50, tzinfo=UTC))  # Tuesday 08:50
    login(page, "staff1", PASSWORD)
    page.goto(f"/console/activities/{activity_id}")
    page.fill("#scan_code", code)
    page.press("#scan_code", "Enter")
    expect(page.locator(".notice")).to_contain_text("王建国签到成功")
    expect(
        page.locator("#roster tr", has_text="王建国").locator("button", has_text="✓ 到了")
    ).to_be_visible()
    # The second session has its own attendance, not yet taken.
    page.select_option("#session", index=1)
    expect(
        page.locator("#roster tr", has_text="王建国").locator("button", has_text="✓ 到了")
    ).to_have_count(0)

    photo = tmp_path / "class.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    page.set_input_files("#photo_file", str(photo))
    page.click("form[action$='/photo'] button")
    expect(page.locator(".notice.ok")).to_contain_text("照片已上传")
    seen = client.get(
        f"/api/v1/activities/{activity_id}/photo",
        params={"retiree_id": world.retiree_a.id},
        headers=retiree,
    )
    assert seen.status_code == 200 and seen.content == photo.read_bytes()
