"""An approved address change (check-in) or a staff edit reaches the open orders: rides not yet
made pick up at the new home, meal deliveries not yet cut off go there, and the staff are told
about dispatched trips and deliveries already cut off."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, col, select

from backend.meals.models import MealOrder
from backend.notices.models import StaffAlert
from backend.rides.models import RideRequest
from tests.checkin.conftest import FULL_ANSWERS, open_campaign, queue, submit
from tests.factories import World, staff_headers

OLD = "北京市东城区和平里北街1号"
NEW = "北京市朝阳区安贞里3区5号楼2单元101"


def _post(client, headers, path: str, **body) -> dict:
    response = client.post(path, json=body, headers=headers)
    assert response.status_code in (200, 201), response.text
    return response.json()


def _ride(client, staff, retiree_id: int, at: str, **extra) -> dict:
    body = {"retiree_id": retiree_id, "destination_text": "北京医院", "pickup_at": at, **extra}
    return _post(client, staff, "/api/v1/staff/rides", confirm_duplicate=True, **body)


def _meal(client, staff, retiree_id: int, day: str) -> dict:
    menu = _post(
        client,
        staff,
        "/api/v1/staff/meals/menus",
        date=day,
        meal="午餐",
        options=[
            {
                "name": "套餐A",
                "dishes": ["清蒸鲈鱼", "米饭"],
                "tags": [],
                "price": "15.00",
                "subsidised_price": "8.50",
                "portions": 10,
            }
        ],
    )
    return _post(
        client,
        staff,
        "/api/v1/staff/meals/orders",
        retiree_id=retiree_id,
        option_id=menu["options"][0]["id"],
        mode="送餐",
    )


def test_approved_address_change_reaches_rides_meals_and_run_sheet(
    client, world: World, engine, clock, staff1, retiree_a
) -> None:
    rid = world.retiree_a.id
    van = _post(
        client,
        staff1,
        "/api/v1/staff/rides/vehicles",
        plate="京A10001",
        seats=7,
        description="白色面包车",
    )
    zhao = _post(client, staff1, "/api/v1/staff/rides/drivers", name="赵师傅", phone="13911110001")
    waiting = _ride(client, staff1, rid, "2026-03-05T10:00:00+08:00")
    dispatched = _ride(client, staff1, rid, "2026-03-04T09:00:00+08:00")
    _post(
        client,
        staff1,
        "/api/v1/staff/rides/dispatch",
        request_ids=[dispatched["id"]],
        vehicle_id=van["id"],
        driver_id=zhao["id"],
    )
    from_daughter = _ride(
        client, staff1, rid, "2026-03-06T10:00:00+08:00", pickup_address="女儿家：安定门外大街8号"
    )
    going_home = _ride(
        client,
        staff1,
        rid,
        "2026-03-05T15:00:00+08:00",
        pickup_address="北京医院",
        destination_text=OLD,
    )
    tuesday = _meal(client, staff1, rid, "2026-03-03")
    wednesday = _meal(client, staff1, rid, "2026-03-04")
    assert tuesday["address"] == OLD

    campaign = open_campaign(client, staff1)
    answers = {**FULL_ANSWERS, "same_address": False, "new_address": NEW}
    assert submit(client, retiree_a, rid, answers).status_code == 200
    # Approved on Tuesday at 10:00: Tuesday's lunch is past its cutoff, Wednesday's is not.
    clock.set(datetime(2026, 3, 3, 2, 0, tzinfo=UTC))
    staff = staff_headers(client, "staff1")
    row = queue(client, staff, campaign["id"], status="submitted")[0]
    detail = client.get(f"/api/v1/staff/checkin/submissions/{row['id']}", headers=staff).json()
    approved = client.post(
        f"/api/v1/staff/checkin/submissions/{row['id']}/approve",
        json={"version": detail["version"]},
        headers=staff,
    )
    assert approved.status_code == 200, approved.text

    with Session(engine) as db:
        rides = {r.id: r for r in db.exec(select(RideRequest)).all()}
        meals = {m.id: m for m in db.exec(select(MealOrder)).all()}
        alerts = db.exec(select(StaffAlert).order_by(col(StaffAlert.id))).all()
    assert rides[waiting["id"]].pickup_address == NEW
    assert rides[dispatched["id"]].pickup_address == NEW
    assert rides[from_daughter["id"]].pickup_address == "女儿家：安定门外大街8号"
    assert rides[going_home["id"]].destination == NEW
    assert meals[wednesday["id"]].address == NEW
    assert meals[tuesday["id"]].address == OLD  # cut off: the kitchen's list is not rewritten
    titles = [a.title for a in alerts]
    assert "王建国换了住址，已派车的接送地址已改" in titles
    assert "王建国换了住址，已截止的送餐还是旧地址" in titles
    ride_alert = next(a for a in alerts if "已派车" in a.title)
    assert "03月04日 09:00去北京医院" in ride_alert.body
    sheet = client.get("/api/v1/staff/rides/run-sheet?date=2026-03-04", headers=staff).json()
    assert sheet["trips"][0]["stops"][0]["pickup_address"] == NEW

    # A staff edit of the record is the same door: the open ride follows again.
    moved = client.patch(
        f"/api/v1/staff/retirees/{rid}", json={"address": "北京市西城区三里河路9号"}, headers=staff
    )
    assert moved.status_code == 200, moved.text
    with Session(engine) as db:
        again = db.get(RideRequest, waiting["id"])
        assert again is not None and again.pickup_address == "北京市西城区三里河路9号"
