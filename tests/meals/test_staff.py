"""Staff side of meals: publishing rules, kitchen counts and delivery list (JSON and .xlsx),
book by phone, mark paid, changes and cancellations told to everyone affected, audit, scope,
the day-before reminder."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import load_workbook
from sqlmodel import Session, col, select

from backend.accounts.models import AuditLog
from backend.meals import scheduled
from backend.meals.models import MealOrder
from tests.factories import World, make_retiree, staff_headers
from tests.meals.conftest import TUESDAY, inbox_titles, option, order, people, publish


def test_publish_rules(client, world: World, staff1) -> None:
    publish(client, staff1)
    again = client.post(
        "/api/v1/staff/meals/menus",
        json={"date": TUESDAY, "meal": "午餐", "options": [option()]},
        headers=staff1,
    )
    assert again.status_code == 409 and "已经发布过" in again.json()["message"]
    past = client.post(
        "/api/v1/staff/meals/menus",
        json={"date": "2026-03-02", "meal": "午餐", "options": [option()]},
        headers=staff1,
    )
    assert past.status_code == 400 and "截止时间已经过了" in past.json()["message"]
    dear = client.post(
        "/api/v1/staff/meals/menus",
        json={
            "date": TUESDAY,
            "meal": "晚餐",
            "options": [option(price="5", subsidised_price="6")],
        },
        headers=staff1,
    )
    assert dear.status_code == 422
    dinner = publish(
        client, staff1, meal="晚餐", cutoff_at="2026-03-03T14:00:00", options=[option()]
    )
    assert dinner["cutoff_at"].startswith("2026-03-03T06:00:00")  # 14:00 Shanghai
    default = publish(client, staff1, day="2026-03-04", meal="晚餐")
    assert default["cutoff_at"].startswith("2026-03-04T07:00:00")  # 15:00 Shanghai
    listed = client.get("/api/v1/staff/meals/menus?start=2026-03-03&days=7", headers=staff1)
    assert listed.json()["count"] == 3
    other = staff_headers(client, "staff2")
    assert client.get(f"/api/v1/staff/meals/menus/{dinner['id']}", headers=other).status_code == 404
    assert client.get("/api/v1/staff/meals/menus", headers=other).json()["count"] == 0


def test_kitchen_counts_delivery_and_export(
    client, world: World, engine, clock, cipher, fake_wechat, staff1
) -> None:
    menu = publish(
        client,
        staff1,
        options=[
            option("套餐A", dishes=["红烧肉", "米饭"]),
            option("套餐B", dishes=["豆腐", "米饭"], tags=["素食"]),
        ],
    )
    a_id, b_id = (o["id"] for o in menu["options"])
    (p0, h0), (p1, h1), (p2, h2) = people(engine, clock, cipher, world, fake_wechat, client, 3)
    home = "北京市东城区和平里北街12号院3号楼201"
    order(client, h0, p0, a_id, quantity=2, mode="送餐", address=home)
    order(client, h1, p1, b_id, mode="送餐", address="和平里北街12号院3号楼502", diet_notes="少盐")
    order(client, h2, p2, a_id, mode="自取", diet_notes="少盐")
    sheet = client.get(
        f"/api/v1/staff/meals/kitchen?date={TUESDAY}&meal=午餐", headers=staff1
    ).json()
    k = sheet["menus"][0]
    assert k["total"] == 4 and k["closed"] is False
    assert {c["label"]: c["portions"] for c in k["by_option"]} == {"套餐A": 3, "套餐B": 1}
    assert {c["label"]: c["portions"] for c in k["by_dish"]} == {"红烧肉": 3, "米饭": 4, "豆腐": 1}
    assert {c["label"]: c["portions"] for c in k["by_diet_note"]} == {"少盐": 2, "无特殊要求": 2}
    assert {c["label"]: c["portions"] for c in k["by_mode"]} == {"堂食": 0, "自取": 1, "送餐": 3}
    route = client.get(
        f"/api/v1/staff/meals/delivery?date={TUESDAY}&meal=午餐", headers=staff1
    ).json()
    assert route["count"] == 2
    assert [(g["building"], g["portions"]) for g in route["groups"]] == [
        ("和平里北街12号院3号楼", 3)
    ]
    export = client.get(
        f"/api/v1/staff/meals/kitchen.xlsx?date={TUESDAY}&meal=午餐", headers=staff1
    )
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(export.content))
    counts = [tuple(r) for r in book["厨房统计"].iter_rows(values_only=True)]
    assert ("红烧肉", 3) in [r[:2] for r in counts]
    stops = list(book["送餐名单"].iter_rows(values_only=True))
    assert len(stops) == 3 and stops[1][0] == "和平里北街12号院3号楼"
    orders = client.get(f"/api/v1/staff/meals/menus/{menu['id']}/orders", headers=staff1).json()
    assert orders["count"] == 3 and {o["mode"] for o in orders["data"]} == {"送餐", "自取"}


def test_book_by_phone_mark_paid_and_cancel_with_reason(
    client, world: World, engine, clock, cipher, fake_wechat, staff1, retiree_a
) -> None:
    menu = publish(client, staff1, options=[option(portions=1)])
    option_id = menu["options"][0]["id"]
    caller = make_retiree(engine, clock, cipher, unit=world.unit1, name="赵电话")
    booked = client.post(
        "/api/v1/staff/meals/orders",
        json={"retiree_id": caller.id, "option_id": option_id, "channel": "电话", "mode": "堂食"},
        headers=staff1,
    )
    assert booked.status_code == 201, booked.text
    order_id = booked.json()["id"]
    waiting = order(client, retiree_a, world.retiree_a.id, option_id).json()
    assert waiting["status"] == "waitlisted"
    paid = client.post(f"/api/v1/staff/meals/orders/{order_id}/paid", headers=staff1)
    assert paid.status_code == 200 and paid.json()["paid"] is True
    not_yet = client.post(f"/api/v1/staff/meals/orders/{waiting['id']}/paid", headers=staff1)
    assert not_yet.status_code == 400
    other = staff_headers(client, "staff2")
    assert (
        client.post(f"/api/v1/staff/meals/orders/{order_id}/paid", headers=other).status_code == 404
    )
    cancelled = client.post(
        f"/api/v1/staff/meals/orders/{order_id}/cancel", json={"reason": "家里有事"}, headers=staff1
    )
    assert cancelled.json()["status"] == "cancelled"
    mine = client.get(
        f"/api/v1/meals/orders?retiree_id={world.retiree_a.id}", headers=retiree_a
    ).json()
    assert mine["data"][0]["status"] == "confirmed"  # promoted before the cutoff
    with Session(engine) as db:
        actions = [a.action for a in db.exec(select(AuditLog).order_by(col(AuditLog.id))).all()]
        row = db.get(MealOrder, order_id)
    assert actions == [
        "meal_menu.publish",
        "meal_order.create",
        "meal_order.paid",
        "meal_order.cancel",
    ]
    assert row is not None and row.paid_by_staff_id == world.staff1.id


def test_changes_and_cancellation_tell_everyone(
    client, world: World, engine, clock, cipher, fake_wechat, staff1
) -> None:
    menu = publish(client, staff1, options=[option(portions=1), option("套餐B")])
    a_id, b_id = (o["id"] for o in menu["options"])
    (p0, h0), (p1, h1), (p2, h2) = people(engine, clock, cipher, world, fake_wechat, client, 3)
    order(client, h0, p0, a_id)
    order(client, h1, p1, a_id)  # waiting
    order(client, h2, p2, b_id)
    no_reason = client.patch(
        f"/api/v1/staff/meals/options/{a_id}", json={"price": "16.00"}, headers=staff1
    )
    assert no_reason.status_code == 400 and "原因" in no_reason.json()["message"]
    repriced = client.patch(
        f"/api/v1/staff/meals/options/{a_id}",
        json={"price": "16.00", "subsidised_price": "9.00", "reason": "鱼涨价了"},
        headers=staff1,
    )
    assert repriced.status_code == 200 and repriced.json()["price"] == "16.00"
    assert inbox_titles(client, h0)[0] == "订餐有变动"
    mine = client.get(f"/api/v1/meals/orders?retiree_id={p0}", headers=h0).json()["data"][0]
    assert mine["amount_due"] == "9.00"
    more = client.patch(f"/api/v1/staff/meals/options/{a_id}", json={"portions": 2}, headers=staff1)
    assert more.json()["booked"] == 2 and more.json()["waitlisted"] == 0
    assert inbox_titles(client, h1)[0] == "候补订上了"
    moved = client.patch(
        f"/api/v1/staff/meals/menus/{menu['id']}",
        json={"cutoff_at": "2026-03-03T09:00:00+08:00", "reason": "厨房要早点备菜"},
        headers=staff1,
    )
    assert moved.status_code == 200 and moved.json()["cutoff_at"].startswith("2026-03-03T01:00")
    called_off = client.post(
        f"/api/v1/staff/meals/menus/{menu['id']}/cancel", json={"reason": "停水"}, headers=staff1
    )
    assert called_off.json() == {"orders_cancelled": 3}
    for headers in (h0, h1, h2):
        assert inbox_titles(client, headers)[0] == "这顿饭取消了"
    days = client.get(f"/api/v1/meals/menus?retiree_id={p0}", headers=h0).json()
    assert days["count"] == 0  # a cancelled meal's options are no longer offered
    relaunch = publish(client, staff1)
    assert relaunch["id"] != menu["id"]


def test_day_before_reminder(client, app_server, world: World, clock, staff1, retiree_a) -> None:
    menu = publish(client, staff1, day="2026-03-04")  # Wednesday
    order(client, retiree_a, world.retiree_a.id, menu["options"][0]["id"])
    ctx = app_server.app.state.ctx
    assert scheduled.send_reminders(ctx) == 0  # Monday: not the day before yet
    clock.set(datetime(2026, 3, 3, 13, 0, tzinfo=UTC))  # Tuesday 21:00: too late to disturb
    assert scheduled.send_reminders(ctx) == 0
    clock.set(datetime(2026, 3, 3, 2, 0, tzinfo=UTC))  # Tuesday 10:00
    assert scheduled.send_reminders(ctx) == 1
    assert scheduled.send_reminders(ctx) == 0
    assert inbox_titles(client, retiree_a)[0] == "明天的饭订好了"
