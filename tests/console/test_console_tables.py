"""The 约车 and 助餐 tables at 1366×768 (a common office screen): no header is squeezed into a
column of single characters, and the two reason boxes on a ride row say which reason is which."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.console.conftest import login
from tests.factories import PASSWORD, World, make_retiree, staff_headers

pytestmark = pytest.mark.browser
LONG = "北京市朝阳区安贞街道安华里三区五号楼二单元一〇一室（东门进，电梯坏了走楼梯）"
SHOTS = os.environ.get("CONSOLE_SHOTS")  # a folder: keep screenshots to look at

# Lines of text in every visible header cell, and in every short value cell (a time, a name,
# a status) without buttons or boxes: the tops of the text's line boxes.
LINES = """
(selector) => [...document.querySelectorAll(selector)]
  .filter(c => c.textContent.trim() && c.offsetParent !== null)
  .filter(c => !c.querySelector('input, button, select, textarea, div'))
  .map(c => {
    const range = document.createRange();
    range.selectNodeContents(c);
    const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    return [c.textContent.trim(), tops.size];
  })
"""


def _post(client: httpx.Client, headers: dict, path: str, **body) -> dict:
    response = client.post(path, json=body, headers=headers)
    assert response.status_code in (200, 201), response.text
    return response.json()


def _seed(client: httpx.Client, world: World, engine, clock, cipher) -> int:
    staff = staff_headers(client, "staff1")
    base = "/api/v1/staff/rides"
    van = _post(
        client, staff, f"{base}/vehicles", plate="京A10001", description="白色面包车", seats=7
    )
    zhao = _post(client, staff, f"{base}/drivers", name="赵师傅", phone="13911110001")
    ids = []
    for i, name in enumerate(["欧阳秀英", "司马建国", "李淑珍"]):
        person = make_retiree(
            engine, clock, cipher, unit=world.station1, name=name, phone=f"1380013800{i}"
        )
        ride = _post(
            client,
            staff,
            base,
            retiree_id=person.id,
            pickup_address=LONG,
            destination_text="北京大学人民医院（西直门南大街11号）门诊楼",
            pickup_at=f"2026-03-03T{8 + i:02d}:00:00+08:00",
            return_at=f"2026-03-03T1{1 + i}:30:00+08:00",
            wheelchair=i == 1,
            companion_needed=True,
            notes="走路慢，请扶一下",
        )
        ids.append(ride["id"])
    _post(
        client,
        staff,
        f"{base}/dispatch",
        request_ids=ids[:1],
        vehicle_id=van["id"],
        driver_id=zhao["id"],
    )
    option = {
        "name": "套餐A（软烂）",
        "dishes": ["清蒸鲈鱼", "西红柿炒鸡蛋", "炒青菜", "小米粥"],
        "tags": ["低盐", "低糖", "软烂"],
        "price": "15.00",
        "subsidised_price": "8.50",
        "portions": 30,
    }
    menu = _post(
        client,
        staff,
        "/api/v1/staff/meals/menus",
        date="2026-03-03",
        meal="午餐",
        options=[option, {**option, "name": "套餐B（清淡）"}],
    )
    for person_id in [world.retiree_a.id]:
        _post(
            client,
            staff,
            "/api/v1/staff/meals/orders",
            retiree_id=person_id,
            option_id=menu["options"][0]["id"],
            mode="送餐",
            address=LONG,
            diet_notes="不吃辣，少油少盐",
        )
    return int(menu["id"])


def _check(page: Page, url: str, name: str) -> None:
    page.goto(url)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)
    headers = page.evaluate(LINES, "main table th")
    assert headers, f"{url}: no table headers"
    tall = [(text, lines) for text, lines in headers if lines > 2]
    assert not tall, f"{url}: headers taller than two lines at 1366 px: {tall}"
    # The reported symptom: 状态 as 状/态. A short header or value is never broken.
    broken = [
        (text, lines)
        for text, lines in headers + page.evaluate(LINES, "main table td")
        if len(text) <= 5 and lines > 1
    ]
    assert not broken, f"{url}: short headers or values broken over lines: {broken}"
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 1366, f"{url}: the page scrolls sideways ({width} px)"


def test_ride_and_meal_tables_fit_a_1366_screen(
    page: Page, world: World, client: httpx.Client, engine, clock, cipher
) -> None:
    menu_id = _seed(client, world, engine, clock, cipher)
    login(page, "staff1", PASSWORD)
    _check(page, "/console/rides?day=2026-03-03", "rides")
    _check(page, "/console/rides/run-sheet?day=2026-03-03", "run_sheet")
    _check(page, "/console/meals", "meals")
    _check(page, f"/console/meals/menus/{menu_id}", "meal_menu")
    _check(page, "/console/meals/kitchen?date=2026-03-03&meal=午餐", "kitchen")


def test_each_reason_box_on_a_ride_row_says_what_it_is_for(
    page: Page, world: World, client: httpx.Client, engine, clock, cipher
) -> None:
    _seed(client, world, engine, clock, cipher)
    login(page, "staff1", PASSWORD)
    page.goto("/console/rides?day=2026-03-03")
    row = page.locator("#queue tr", has_text="司马建国")
    boxes = row.locator("input[name=reason]")
    expect(boxes).to_have_count(1)
    expect(row.get_by_label("取消或无法安排的原因")).to_be_visible()
