"""Ordering meals: the capacity invariant under concurrent orders, the waiting list in order,
idempotency keys, the cutoff edges on an injected clock, one order per meal, what is owed."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import httpx
from sqlmodel import Session, select

from backend.bookings.models import Bookable, Booking
from backend.meals import scheduled
from backend.meals.models import MealOrder
from tests.factories import TLS, World, staff_headers
from tests.meals.conftest import inbox_titles, option, order, people, publish

CUTOFF = datetime(2026, 3, 3, 1, 30, tzinfo=UTC)  # Tuesday 09:30 Shanghai


def test_portions_hold_under_concurrent_orders(
    client, app_server, world: World, engine, clock, cipher, fake_wechat, staff1
) -> None:
    menu = publish(client, staff1, options=[option(portions=4)])
    option_id = menu["options"][0]["id"]
    diners = people(engine, clock, cipher, world, fake_wechat, client, 12)
    results: list[int] = []
    barrier = threading.Barrier(len(diners))

    def go(retiree_id: int, headers: dict) -> None:
        with httpx.Client(verify=TLS, base_url=app_server.base_url, timeout=60) as c:
            barrier.wait()
            results.append(order(c, headers, retiree_id, option_id).status_code)

    threads = [threading.Thread(target=go, args=p) for p in diners]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200] * 12
    with Session(engine) as db:
        rows = db.exec(select(Booking)).all()
        bookable = db.exec(select(Bookable)).one()
        orders = db.exec(select(MealOrder)).all()
    assert bookable.kind == "meal" and bookable.confirmed_count == 4
    assert len([b for b in rows if b.status == "confirmed"]) == 4
    assert len([b for b in rows if b.status == "waitlisted"]) == 8
    assert len(orders) == 12  # one meal row per booking, none lost or doubled


def test_waitlist_promotion_order_and_notices(
    client, world: World, engine, clock, cipher, fake_wechat, staff1
) -> None:
    menu = publish(client, staff1, options=[option(portions=2)])
    option_id = menu["options"][0]["id"]
    (a, ha), (b, hb), (c, hc), (d, hd) = people(
        engine, clock, cipher, world, fake_wechat, client, 4
    )
    first = order(client, ha, a, option_id, quantity=2).json()
    assert first["status"] == "confirmed" and first["status_label"] == "已订"
    second = order(client, hb, b, option_id, quantity=2).json()
    third = order(client, hc, c, option_id).json()
    fourth = order(client, hd, d, option_id).json()
    assert [x["waitlist_position"] for x in (second, third, fourth)] == [1, 2, 3]
    assert second["status_label"] == "候补中"
    assert inbox_titles(client, hb)[0] == "已排上候补"
    cancelled = client.post(f"/api/v1/meals/orders/{first['id']}/cancel", headers=ha)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    mine = client.get(f"/api/v1/meals/orders?retiree_id={b}", headers=hb).json()
    assert mine["data"][0]["status"] == "confirmed"
    assert inbox_titles(client, hb)[0] == "候补订上了"
    # The promoted one declines: the next two (one portion each) move up, in order.
    client.post(f"/api/v1/meals/orders/{second['id']}/cancel", headers=hb)
    for retiree_id, headers in ((c, hc), (d, hd)):
        mine = client.get(f"/api/v1/meals/orders?retiree_id={retiree_id}", headers=headers).json()
        assert mine["data"][0]["status"] == "confirmed"


def test_idempotency_key_and_one_order_per_meal(client, world: World, staff1, retiree_a) -> None:
    menu = publish(client, staff1, options=[option(), option("套餐B", tags=["素食"])])
    a_id, b_id = (o["id"] for o in menu["options"])
    rid = world.retiree_a.id
    one = order(client, retiree_a, rid, a_id, idempotency_key="meal-tap-0001")
    two = order(client, retiree_a, rid, a_id, idempotency_key="meal-tap-0001")
    assert one.status_code == two.status_code == 200
    assert one.json()["id"] == two.json()["id"]
    other = order(client, retiree_a, rid, b_id, idempotency_key="meal-tap-0002")
    assert other.status_code == 409 and "已经订了“套餐A”" in other.json()["message"]
    days = client.get(f"/api/v1/meals/menus?retiree_id={rid}", headers=retiree_a).json()
    assert days["count"] == 1
    day = days["data"][0]
    assert day["can_book"] is False and "已经订了" in day["why_not"]
    assert day["options"][0]["my_order_id"] == one.json()["id"]
    assert day["options"][0]["portions_left"] == 9
    assert day["options"][1]["my_order_id"] is None


def test_cutoff_edges_with_the_clock(client, world: World, clock, staff1, retiree_a) -> None:
    menu = publish(client, staff1, options=[option(portions=1)])
    option_id = menu["options"][0]["id"]
    rid = world.retiree_a.id
    assert menu["cutoff_at"].startswith("2026-03-03T01:30:00")
    clock.set(CUTOFF)  # exactly at the cutoff: still allowed
    placed = order(client, retiree_a, rid, option_id)
    assert placed.status_code == 200, placed.text
    clock.set(CUTOFF + timedelta(seconds=1))
    days = client.get(f"/api/v1/meals/menus?retiree_id={rid}", headers=retiree_a).json()
    assert days["data"][0]["can_book"] is False
    too_late = client.post(f"/api/v1/meals/orders/{placed.json()['id']}/cancel", headers=retiree_a)
    assert too_late.status_code == 400 and "打电话" in too_late.json()["message"]
    mine = client.get(f"/api/v1/meals/orders?retiree_id={rid}", headers=retiree_a).json()
    assert mine["data"][0]["can_cancel"] is False
    clock.set(CUTOFF - timedelta(minutes=1))
    assert (
        client.get(f"/api/v1/meals/orders?retiree_id={rid}", headers=retiree_a).json()["data"][0][
            "can_cancel"
        ]
        is True
    )


def test_after_cutoff_nobody_is_promoted_and_waiters_are_told(
    client, app_server, world: World, engine, clock, cipher, fake_wechat, staff1
) -> None:
    menu = publish(client, staff1, options=[option(portions=1)])
    option_id = menu["options"][0]["id"]
    (a, ha), (b, hb) = people(engine, clock, cipher, world, fake_wechat, client, 2)
    first = order(client, ha, a, option_id).json()
    waiting = order(client, hb, b, option_id).json()
    assert waiting["status"] == "waitlisted"
    clock.set(CUTOFF + timedelta(minutes=5))
    past = order(client, ha, a, option_id)
    assert past.status_code == 400 and "已过订餐时间" in past.json()["message"]
    # Staff cancel the confirmed one after the cutoff: the portion goes to nobody.
    cancelled = client.post(
        f"/api/v1/staff/meals/orders/{first['id']}/cancel",
        json={"reason": "住院了"},
        headers=staff_headers(client, "staff1"),  # a new day: a fresh staff login
    )
    assert cancelled.status_code == 200
    mine = client.get(f"/api/v1/meals/orders?retiree_id={b}", headers=hb).json()["data"][0]
    assert mine["status"] == "cancelled"
    assert "这次没订上" in inbox_titles(client, hb)
    assert "订餐已取消" in inbox_titles(client, ha)
    # The cutoff job finds nothing left to close, and tells the staff once.
    assert scheduled.close_cutoffs(app_server.app.state.ctx) == 0
    with Session(engine) as db:
        bookable = db.exec(select(Bookable)).one()
    assert bookable.confirmed_count == 0


def test_cutoff_job_closes_the_waiting_list(
    client, app_server, world: World, engine, clock, cipher, fake_wechat, staff1
) -> None:
    menu = publish(client, staff1, options=[option(portions=1)])
    option_id = menu["options"][0]["id"]
    (a, ha), (b, hb) = people(engine, clock, cipher, world, fake_wechat, client, 2)
    order(client, ha, a, option_id, mode="送餐")
    order(client, hb, b, option_id)
    ctx = app_server.app.state.ctx
    assert scheduled.close_cutoffs(ctx) == 0  # before the cutoff nothing happens
    clock.set(CUTOFF + timedelta(minutes=1))
    assert scheduled.close_cutoffs(ctx) == 1
    assert scheduled.close_cutoffs(ctx) == 0
    assert inbox_titles(client, hb)[0] == "这次没订上"
    home = client.get("/console/meals", follow_redirects=False)
    assert home.status_code in (302, 303)  # the console needs a login: the alert is for staff
    from backend.notices.models import StaffAlert

    with Session(engine) as db:
        alerts = db.exec(select(StaffAlert)).all()
    assert len(alerts) == 1 and "共1份，其中送餐1份" in alerts[0].body


def test_delivery_address_amount_and_family(
    client, world: World, fake_wechat, staff1, retiree_a
) -> None:
    menu = publish(client, staff1)
    option_id = menu["options"][0]["id"]
    rid = world.retiree_a.id
    placed = order(client, retiree_a, rid, option_id, mode="送餐", quantity=2, diet_notes="少盐")
    body = placed.json()
    assert placed.status_code == 200, placed.text
    assert body["address"] == "北京市东城区和平里北街1号"  # from the profile
    assert body["amount_due"] == "23.50"  # 8.50 for the retiree + 15.00 for the extra portion
    assert body["paid"] is False and body["dishes"] == ["清蒸鲈鱼", "炒青菜", "米饭"]
    too_many = order(client, retiree_a, rid, option_id, quantity=4)
    assert too_many.status_code == 400 and "最多订3份" in too_many.json()["message"]
    family = wechat_headers_for(client, fake_wechat, "openid-fa")
    denied = order(client, family, rid, option_id)
    assert denied.status_code == 403
    seen = client.get(f"/api/v1/meals/orders?retiree_id={rid}", headers=family)
    assert seen.status_code == 200 and seen.json()["count"] == 1
    stranger = wechat_headers_for(client, fake_wechat, "openid-b")
    assert client.get(f"/api/v1/meals/orders?retiree_id={rid}", headers=stranger).status_code == 404
    cancel = client.post(f"/api/v1/meals/orders/{body['id']}/cancel", headers=stranger)
    assert cancel.status_code == 404


def test_activity_bookings_list_leaves_meals_out(client, world: World, staff1, retiree_a) -> None:
    menu = publish(client, staff1)
    order(client, retiree_a, world.retiree_a.id, menu["options"][0]["id"])
    listed = client.get(f"/api/v1/bookings?retiree_id={world.retiree_a.id}", headers=retiree_a)
    assert listed.status_code == 200 and listed.json() == []


def wechat_headers_for(client: httpx.Client, fake_wechat, openid: str) -> dict[str, str]:
    from tests.factories import wechat_headers

    return wechat_headers(client, fake_wechat.base_url, openid)
