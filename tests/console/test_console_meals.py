"""Meals in the console, in real Chromium: publish a menu → a retiree orders in the
mini-program, staff book one by phone → the kitchen counts and the delivery list, mark paid."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.console.conftest import login, pick
from tests.factories import PASSWORD, World, make_retiree, wechat_headers

pytestmark = pytest.mark.browser


def test_publish_menu_to_kitchen_counts(
    page: Page, world: World, client: httpx.Client, fake_wechat, engine, clock, cipher
) -> None:
    make_retiree(engine, clock, cipher, unit=world.unit1, name="孙电话")
    login(page, "staff1", PASSWORD)
    page.click("nav >> text=助餐")
    expect(page.locator("h1")).to_have_text("助餐")
    page.fill("#date", "2026-03-03")
    page.select_option("#meal", "午餐")
    page.fill("#name_1", "套餐A")
    page.fill("#dishes_1", "红烧鱼、炒青菜、米饭")
    page.fill("#price_1", "15")
    page.fill("#subsidised_1", "8.5")
    page.fill("#portions_1", "1")
    page.fill("#name_2", "套餐B")
    page.fill("#dishes_2", "豆腐，米饭")
    page.check("input[name=tags_2][value=素食]")
    page.fill("#price_2", "12")
    page.fill("#portions_2", "5")
    page.click("#publish button[type=submit]")
    expect(page.locator(".notice.ok")).to_contain_text("菜单已发布")
    menu_id = int(page.url.split("/menus/")[1].split("?")[0])

    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    days = client.get(f"/api/v1/meals/menus?retiree_id={world.retiree_a.id}", headers=retiree)
    option_a = days.json()["data"][0]["options"][0]
    assert option_a["name"] == "套餐A" and option_a["subsidised_price"] == "8.50"
    placed = client.post(
        "/api/v1/meals/orders",
        json={
            "retiree_id": world.retiree_a.id,
            "option_id": option_a["id"],
            "mode": "送餐",
            "diet_notes": "少盐",
        },
        headers=retiree,
    )
    assert placed.json()["status"] == "confirmed"

    page.reload()
    pick(page, "孙电", "孙电话")
    page.select_option("#option_id", label="套餐A（还剩0份）")
    page.click("#phone-order button[type=submit]")
    expect(page.locator(".notice.ok")).to_contain_text("已排候补")
    expect(page.locator("#orders")).to_contain_text("孙电话")
    # The phone caller takes 套餐B instead: cancel the waiting one, order B.
    row = page.locator("#orders tr", has_text="孙电话")
    row.locator("input[name=reason]").fill("改订B")
    row.locator("button:has-text('取消')").click()
    expect(page.locator(".notice.ok")).to_contain_text("已取消")
    pick(page, "孙电", "孙电话")
    page.select_option("#option_id", index=1)
    page.click("#phone-order button[type=submit]")
    expect(page.locator(".notice.ok")).to_contain_text("已订上")

    mine = page.locator("#orders tr", has_text="王建国")
    mine.locator("button:has-text('记为已付')").click()
    expect(page.locator("#orders tr", has_text="王建国")).to_contain_text("已付")

    page.click("text=厨房统计和送餐名单")
    section = page.locator(f"section[data-menu='{menu_id}']")
    expect(section.locator(".total")).to_have_text("2")
    expect(section.locator(".by-dish")).to_contain_text("米饭")
    expect(section.locator(".by-dish tr", has_text="米饭")).to_contain_text("2")
    expect(section.locator(".by-note tr", has_text="少盐")).to_contain_text("1")
    expect(section.locator(".by-mode tr", has_text="送餐")).to_contain_text("1")
    expect(page.locator("#delivery")).to_contain_text("和平里北街1号")
    expect(page.locator("#delivery")).to_contain_text("王建国")
    with page.expect_download() as download:
        page.click("text=导出 Excel")
    assert download.value.suggested_filename == "kitchen-2026-03-03.xlsx"
    # Printing hides the menus and buttons.
    page.emulate_media(media="print")
    expect(page.locator("nav.sidenav")).to_be_hidden()
    expect(section.locator(".total")).to_be_visible()
