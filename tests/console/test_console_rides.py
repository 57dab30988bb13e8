"""Rides in the console, in real Chromium: a refused overlap is shown plainly, dispatch goes
through, the retiree sees the car; the run sheet prints; the fleet page adds and stops a car;
cancelling with a reason."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.console.conftest import login, pick
from tests.factories import PASSWORD, World, make_retiree, staff_headers, wechat_headers

pytestmark = pytest.mark.browser
BASE = "/api/v1/staff/rides"


def _post(client: httpx.Client, headers: dict, path: str, **body) -> dict:
    response = client.post(path, json=body, headers=headers)
    assert response.status_code in (200, 201), response.text
    return response.json()


def test_dispatch_a_ride(
    page: Page, world: World, client: httpx.Client, fake_wechat, engine, clock, cipher
) -> None:
    staff = staff_headers(client, "staff1")
    van = _post(client, staff, f"{BASE}/vehicles", plate="京A10001", description="面包车", seats=7)
    car = _post(client, staff, f"{BASE}/vehicles", plate="京A10002", description="轿车", seats=4)
    zhao = _post(client, staff, f"{BASE}/drivers", name="赵师傅", phone="13911110001")
    qian = _post(client, staff, f"{BASE}/drivers", name="钱师傅", phone="13911110002")
    other = make_retiree(
        engine, clock, cipher, unit=world.unit1, name="孙早班", phone="13700001111"
    )
    early = _post(
        client,
        staff,
        BASE,
        retiree_id=other.id,
        destination_text="北京医院",
        pickup_at="2026-03-03T08:30:00+08:00",
    )
    _post(
        client,
        staff,
        f"{BASE}/dispatch",
        request_ids=[early["id"]],
        vehicle_id=van["id"],
        driver_id=zhao["id"],
    )
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    mine = _post(
        client,
        retiree,
        "/api/v1/rides",
        retiree_id=world.retiree_a.id,
        destination_text="协和医院",
        pickup_at="2026-03-03T09:00:00+08:00",
        wheelchair=False,
        companion_needed=True,
        notes="腿脚不便",
    )

    login(page, "staff1", PASSWORD)
    page.click("nav >> text=约车")
    page.fill("#day", "2026-03-03")
    page.click("form[action='/console/rides'] button:has-text('查看')")
    row = page.locator(f"#queue tr[data-ride='{mine['id']}']")
    expect(row).to_contain_text("王建国")
    expect(row).to_contain_text("要陪同")

    # The van is out 08:30–09:30: dispatching it again is refused with a plain message.
    row.locator("input[type=checkbox]").check()
    page.select_option("#vehicle_id", str(van["id"]))
    page.select_option("#driver_id", str(qian["id"]))
    page.click("#dispatch-form button[value=new]")
    expect(page.locator("#error")).to_contain_text("这辆车（京A10001）在这段时间已经派出去了")
    expect(page.locator(f"#queue tr[data-ride='{mine['id']}']")).to_contain_text("已申请")

    page.locator(f"#queue tr[data-ride='{mine['id']}'] input[type=checkbox]").check()
    page.select_option("#vehicle_id", str(car["id"]))
    page.select_option("#driver_id", str(qian["id"]))
    page.click("#dispatch-form button[value=new]")
    expect(page.locator(".notice.ok")).to_contain_text("已派车")
    expect(page.locator(f"#queue tr[data-ride='{mine['id']}']")).to_contain_text("京A10002")
    expect(page.locator("#trips")).to_contain_text("钱师傅")
    seen = client.get(f"/api/v1/rides?retiree_id={world.retiree_a.id}", headers=retiree).json()
    assert seen["data"][0]["status"] == "已派车"
    assert seen["data"][0]["vehicle"]["plate"] == "京A10002"

    # The run sheet lists both trips in time order with pickups and phones.
    page.click("text=出车单（可打印）")
    trips = page.locator(".trip")
    expect(trips).to_have_count(2)
    expect(trips.nth(0)).to_contain_text("孙早班")
    expect(trips.nth(0)).to_contain_text("13700001111")
    expect(trips.nth(1)).to_contain_text("王建国")
    expect(trips.nth(1)).to_contain_text("要陪同")
    page.select_option("#driver_id", str(qian["id"]))
    page.click("button:has-text('查看')")
    expect(page.locator(".trip")).to_have_count(1)

    # Staff cancel with a reason: the retiree is told.
    page.goto("/console/rides?day=2026-03-03")
    cancel = page.locator(f"#queue tr[data-ride='{early['id']}'] form[action$='/cancel']")
    cancel.locator("input[name=reason]").fill("家人送")
    cancel.get_by_role("button", name="取消", exact=True).click()
    expect(page.locator(".notice.ok")).to_contain_text("已取消")
    expect(page.locator(f"#queue tr[data-ride='{early['id']}']")).to_contain_text("家人送")


def test_fleet_page_adds_and_stops_a_vehicle(page: Page, world: World) -> None:
    login(page, "staff1", PASSWORD)
    page.goto("/console/rides/fleet")
    page.fill("#plate", "京A20001")
    page.fill("#description", "无障碍车")
    page.fill("#seats", "4")
    page.check("input[name=wheelchair]")
    page.click("button:has-text('添加车辆')")
    expect(page.locator(".notice.ok")).to_contain_text("已添加")
    row = page.locator("#vehicles tr", has_text="京A20001")
    expect(row).to_contain_text("能")
    row.locator("button:has-text('停用')").click()
    expect(page.locator("#vehicles tr", has_text="京A20001")).to_contain_text("已停用")
    page.fill("#plate", "京A20001")
    page.fill("#seats", "4")
    page.click("button:has-text('添加车辆')")
    expect(page.locator("#error")).to_contain_text("已经登记过了")
    page.fill("#place_name", "301医院")
    page.fill("#place_address", "复兴路28号")
    page.click("button:has-text('添加地点')")
    expect(page.locator("#destinations")).to_contain_text("301医院")


def test_request_by_phone_and_cannot_arrange(
    page: Page, world: World, client: httpx.Client, fake_wechat
) -> None:
    login(page, "staff1", PASSWORD)
    page.goto("/console/rides?day=2026-03-04")
    pick(page, "王建", "王建国")
    page.fill("#pickup_at", "2026-03-04T14:00")
    page.fill("#destination_text", "社区医院")
    page.check("input[name=wheelchair]")
    page.click("form[action='/console/rides/request'] button[type=submit]")
    expect(page.locator(".notice.ok")).to_contain_text("已代为约车")
    row = page.locator("#queue tr", has_text="社区医院")
    expect(row).to_contain_text("轮椅")
    expect(row).to_contain_text("工作人员代约")
    # Without a reason nothing happens and staff are told why.
    row.get_by_role("button", name="无法安排").click()
    expect(page.locator("#error")).to_contain_text("请写原因")
    row = page.locator("#queue tr", has_text="社区医院")
    row.get_by_label("取消或无法安排的原因").fill("轮椅车在修")
    row.get_by_role("button", name="无法安排").click()
    expect(page.locator("#queue tr", has_text="社区医院")).to_contain_text("无法安排")
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    inbox = client.get("/api/v1/inbox", headers=retiree).json()["data"]
    assert inbox[0]["title"] == "这次用车没能安排"


def test_request_by_phone_asks_before_booking_the_same_trip_twice(
    page: Page, world: World, client: httpx.Client, fake_wechat
) -> None:
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    _post(
        client,
        retiree,
        "/api/v1/rides",
        retiree_id=world.retiree_a.id,
        destination_text="社区医院",
        pickup_at="2026-03-04T14:00:00+08:00",
    )
    login(page, "staff1", PASSWORD)
    page.goto("/console/rides?day=2026-03-04")
    pick(page, "王建", "王建国")
    page.fill("#pickup_at", "2026-03-04T14:30")
    page.fill("#destination_text", "社区医院")
    page.click("form[action='/console/rides/request'] button[type=submit]")
    warning = page.locator("#duplicate")
    expect(warning).to_contain_text("王建国3月4日 14:00已经约了去社区医院的车（本人约的）")
    expect(page.locator("#queue tr", has_text="社区医院")).to_have_count(1)
    warning.locator("button", has_text="仍然要约").click()
    expect(page.locator(".notice.ok")).to_contain_text("已代为约车")
    expect(page.locator("#queue tr", has_text="社区医院")).to_have_count(2)
