"""Standing orders across a week: booked day by day once the menu exists, a day without a menu
skipped, never booked twice, a day the retiree cancelled never booked again, stopped on stop."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, select

from backend.bookings.models import Booking
from backend.meals import scheduled
from backend.meals.models import MealOrder
from tests.factories import World
from tests.meals.conftest import inbox_titles, option, publish


def _standing(client, headers, retiree_id: int, **extra) -> dict:
    body = {"retiree_id": retiree_id, "meal": "午餐", "weekdays": [1, 2, 3, 4, 5], **extra}
    response = client.post("/api/v1/meals/standing-orders", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def _my_days(client, headers, retiree_id: int) -> list[str]:
    data = client.get(f"/api/v1/meals/orders?retiree_id={retiree_id}", headers=headers).json()
    return sorted(o["date"] for o in data["data"] if o["status"] != "cancelled")


def test_a_week_with_a_missing_menu_day(
    client, app_server, world: World, engine, clock, staff1, retiree_a
) -> None:
    rid = world.retiree_a.id
    # Menus for Tue–Fri and next Monday; none for Wednesday; Saturday is not a chosen day.
    for day in ("2026-03-03", "2026-03-05"):
        publish(client, staff1, day=day)
    standing = _standing(client, retiree_a, rid, mode="堂食", diet_notes="少油")
    assert standing["active"] is True and standing["weekdays"] == [1, 2, 3, 4, 5]
    assert _my_days(client, retiree_a, rid) == ["2026-03-03", "2026-03-05"]
    for day in ("2026-03-06", "2026-03-07", "2026-03-09"):
        publish(client, staff1, day=day)  # publishing places the standing orders at once
    assert _my_days(client, retiree_a, rid) == [
        "2026-03-03",
        "2026-03-05",
        "2026-03-06",
        "2026-03-09",
    ]
    # The job, run again and again, books nothing twice.
    ctx = app_server.app.state.ctx
    assert scheduled.place_standing_orders(ctx) == 0
    assert scheduled.place_standing_orders(ctx) == 0
    with Session(engine) as db:
        keys = [b.idempotency_key for b in db.exec(select(Booking)).all()]
        orders = db.exec(select(MealOrder)).all()
    assert len(keys) == len(set(keys)) == 4
    assert "standing:" in (keys[0] or "") and all(o.standing_order_id for o in orders)
    assert all(o.diet_notes == "少油" for o in orders)
    # Wednesday's menu comes late: the job books it.
    publish(client, staff1, day="2026-03-04", options=[option(portions=5)])
    assert "2026-03-04" in _my_days(client, retiree_a, rid)


def test_cancelled_day_is_not_rebooked_and_stop_ends_it(
    client, app_server, world: World, clock, staff1, retiree_a
) -> None:
    rid = world.retiree_a.id
    publish(client, staff1, day="2026-03-03")
    standing = _standing(client, retiree_a, rid)
    mine = client.get(f"/api/v1/meals/orders?retiree_id={rid}", headers=retiree_a).json()
    cancelled = client.post(
        f"/api/v1/meals/orders/{mine['data'][0]['id']}/cancel", headers=retiree_a
    )
    assert cancelled.status_code == 200
    assert scheduled.place_standing_orders(app_server.app.state.ctx) == 0
    assert _my_days(client, retiree_a, rid) == []
    duplicate = client.post(
        "/api/v1/meals/standing-orders",
        json={"retiree_id": rid, "meal": "午餐", "weekdays": [1]},
        headers=retiree_a,
    )
    assert duplicate.status_code == 409
    stopped = client.post(f"/api/v1/meals/standing-orders/{standing['id']}/stop", headers=retiree_a)
    assert stopped.status_code == 200 and stopped.json()["active"] is False
    publish(client, staff1, day="2026-03-04")
    assert _my_days(client, retiree_a, rid) == []
    listed = client.get(f"/api/v1/meals/standing-orders?retiree_id={rid}", headers=retiree_a)
    assert listed.json()["count"] == 1 and listed.json()["data"][0]["active"] is False


def test_diet_tag_preference_and_gentle_notice(
    client, world: World, clock, staff1, retiree_a
) -> None:
    rid = world.retiree_a.id
    publish(client, staff1, day="2026-03-03", options=[option(), option("套餐B", tags=["清真"])])
    publish(client, staff1, day="2026-03-04", options=[option()])
    _standing(client, retiree_a, rid, tag="清真", weekdays=[2, 3])
    mine = client.get(f"/api/v1/meals/orders?retiree_id={rid}", headers=retiree_a).json()["data"]
    assert [(o["date"], o["name"]) for o in mine] == [("2026-03-03", "套餐B")]
    assert "这顿没有帮您订" in inbox_titles(client, retiree_a)


def test_standing_order_only_after_it_starts_and_before_cutoff(
    client, world: World, clock, staff1, retiree_a
) -> None:
    rid = world.retiree_a.id
    publish(client, staff1, day="2026-03-03")
    clock.set(datetime(2026, 3, 3, 2, 0, tzinfo=UTC))  # Tuesday 10:00: lunch cutoff passed
    _standing(client, retiree_a, rid, weekdays=[2])
    assert _my_days(client, retiree_a, rid) == []
