"""Dispatch: overlapping vehicle or driver refused by the database (also under a race), the
wheelchair rule, seats through the shared bookings mechanism, adding to a trip, freeing a trip,
complete / 无法安排, the 2-hour reminder, the run sheet, and staff scope."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import httpx
from sqlmodel import Session, select

from backend.bookings.models import Bookable, Booking
from backend.core.db import transaction
from backend.rides import scheduled
from backend.rides.models import RideSlot, RideTrip
from tests.factories import TLS, World, make_retiree, staff_headers
from tests.rides.conftest import Fleet, ask_by_staff, dispatch, inbox_titles

AT_8 = "2026-03-03T08:00:00+08:00"
AT_9 = "2026-03-03T09:00:00+08:00"
AT_10 = "2026-03-03T10:00:00+08:00"


def _counts(engine) -> tuple[int, int, int]:
    with Session(engine) as db:
        return (
            len(db.exec(select(RideTrip)).all()),
            len(db.exec(select(RideSlot)).all()),
            len(db.exec(select(Booking)).all()),
        )


def test_overlapping_vehicle_or_driver_is_refused(
    client, world: World, engine, staff1, retiree_a, fleet: Fleet
) -> None:
    a = ask_by_staff(client, staff1, world.retiree_a.id, pickup_at=AT_8)
    b = ask_by_staff(client, staff1, world.retiree_a.id, pickup_at=AT_9)
    first = dispatch(
        client, staff1, [a["id"]], fleet.van, fleet.zhao, ends_at="2026-03-03T09:30:00+08:00"
    )
    assert first.status_code == 201, first.text
    trip = first.json()["trips"][0]
    assert trip["vehicle"]["plate"] == "京A10001" and trip["seats_taken"] == 1
    before = _counts(engine)
    assert before == (1, 12, 1)  # 08:00–09:30: 6 slots for the van, 6 for the driver

    same_van = dispatch(client, staff1, [b["id"]], fleet.van, fleet.qian)
    assert same_van.status_code == 409
    assert "这辆车（京A10001）在这段时间已经派出去了" in same_van.json()["message"]
    same_driver = dispatch(client, staff1, [b["id"]], fleet.car, fleet.zhao)
    assert same_driver.status_code == 409 and "赵师傅" in same_driver.json()["message"]
    assert _counts(engine) == before  # nothing half-written
    queue = client.get("/api/v1/staff/rides?date=2026-03-03", headers=staff1).json()["data"]
    assert [r["status"] for r in queue] == ["已派车", "已申请"]

    # Back to back is fine: a trip from 09:30 does not touch 08:00–09:30.
    later = dispatch(
        client, staff1, [b["id"]], fleet.van, fleet.zhao, starts_at="2026-03-03T09:30:00+08:00"
    )
    assert later.status_code == 400  # the 09:00 pickup is outside 09:30–…
    ok = dispatch(client, staff1, [b["id"]], fleet.car, fleet.qian)
    assert ok.status_code == 201, ok.text
    mine = client.get(f"/api/v1/rides?retiree_id={world.retiree_a.id}", headers=retiree_a).json()
    assert mine["data"][0]["vehicle"] == {"plate": "京A10001", "description": "白色面包车"}
    assert mine["data"][0]["driver"] == {"name": "赵师傅", "phone": "13911110001"}
    assert inbox_titles(client, retiree_a)[:2] == ["已派车", "已派车"]


def test_two_dispatches_racing_for_one_van(
    client, app_server, world: World, engine, staff1, fleet: Fleet
) -> None:
    rides = [
        ask_by_staff(client, staff1, world.retiree_a.id, pickup_at=AT_9)["id"] for _ in range(4)
    ]
    drivers = [fleet.zhao, fleet.qian]
    extra = [
        client.post(
            "/api/v1/staff/rides/drivers",
            json={"name": f"孙师傅{i}", "phone": f"1390000000{i}"},
            headers=staff1,
        ).json()
        for i in range(2)
    ]
    drivers += extra
    codes: list[int] = []
    barrier = threading.Barrier(4)

    def go(ride_id: int, driver: dict) -> None:
        with httpx.Client(verify=TLS, base_url=app_server.base_url, timeout=60) as c:
            barrier.wait()
            codes.append(dispatch(c, staff1, [ride_id], fleet.van, driver).status_code)

    threads = [
        threading.Thread(target=go, args=(r, d)) for r, d in zip(rides, drivers, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [201, 409, 409, 409]
    with Session(engine) as db:
        trips = db.exec(select(RideTrip)).all()
        van_slots = db.exec(select(RideSlot).where(RideSlot.resource_kind == "vehicle")).all()
    assert len(trips) == 1 and len(van_slots) == 4


def test_one_request_dispatched_twice_at_once(
    client, app_server, world: World, engine, staff1, fleet: Fleet
) -> None:
    ride = ask_by_staff(client, staff1, world.retiree_a.id, pickup_at=AT_9)
    pairs = [(fleet.van, fleet.zhao), (fleet.car, fleet.qian)]
    codes: list[int] = []
    barrier = threading.Barrier(2)

    def go(vehicle: dict, driver: dict) -> None:
        with httpx.Client(verify=TLS, base_url=app_server.base_url, timeout=60) as c:
            barrier.wait()
            codes.append(dispatch(c, staff1, [ride["id"]], vehicle, driver).status_code)

    threads = [threading.Thread(target=go, args=p) for p in pairs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [201, 400]
    with Session(engine) as db:
        assert len(db.exec(select(RideTrip)).all()) == 1
        assert len(db.exec(select(Booking)).all()) == 1


def test_wheelchair_and_seats(
    client, world: World, engine, cipher, clock, staff1, fleet: Fleet
) -> None:
    chair = ask_by_staff(client, staff1, world.retiree_a.id, pickup_at=AT_9, wheelchair=True)
    refused = dispatch(client, staff1, [chair["id"]], fleet.car, fleet.zhao)
    assert refused.status_code == 400 and "轮椅" in refused.json()["message"]
    # Three passengers and a companion fill the 4-seat wheelchair car.
    full = ask_by_staff(
        client, staff1, world.retiree_a.id, pickup_at=AT_9, passengers=2, companion_needed=True
    )
    trip = dispatch(client, staff1, [chair["id"], full["id"]], fleet.lift, fleet.zhao)
    assert trip.status_code == 201, trip.text
    sheet = trip.json()["trips"][0]
    assert sheet["seats"] == 4 and sheet["seats_taken"] == 4
    other = make_retiree(engine, clock, cipher, unit=world.unit1, name="周一位")
    one_more = ask_by_staff(client, staff1, other.id, pickup_at=AT_9)
    added = client.post(
        f"/api/v1/staff/rides/trips/{sheet['id']}/requests",
        json={"request_ids": [one_more["id"]]},
        headers=staff1,
    )
    assert added.status_code == 409 and "坐不下" in added.json()["message"]
    with Session(engine) as db:
        bookable = db.exec(select(Bookable).where(Bookable.kind == "ride")).one()
        assert bookable.confirmed_count == 4 and bookable.capacity == 4


def test_add_to_trip_grows_the_window_and_cancel_frees_it(
    client, world: World, engine, staff1, retiree_a, fleet: Fleet
) -> None:
    a = ask_by_staff(client, staff1, world.retiree_a.id, pickup_at=AT_8)
    b = ask_by_staff(client, staff1, world.retiree_a.id, pickup_at=AT_10)
    c = ask_by_staff(client, staff1, world.retiree_a.id, pickup_at=AT_10)
    trip = dispatch(client, staff1, [a["id"]], fleet.van, fleet.zhao).json()["trips"][0]
    blocker = dispatch(
        client, staff1, [c["id"]], fleet.car, fleet.qian, ends_at="2026-03-03T10:30:00+08:00"
    )
    assert blocker.status_code == 201
    # Adding the 10:00 pickup grows the van's trip to 08:00–11:00 (more slots).
    grown = client.post(
        f"/api/v1/staff/rides/trips/{trip['id']}/requests",
        json={"request_ids": [b["id"]]},
        headers=staff1,
    )
    assert grown.status_code == 200, grown.text
    sheet = grown.json()["trips"][0]
    assert [s["ride_id"] for s in sheet["stops"]] == [a["id"], b["id"]]
    assert datetime.fromisoformat(sheet["ends_at"]) == datetime(2026, 3, 3, 3, 0, tzinfo=UTC)
    # The car is busy until 10:30: it cannot be dispatched at 10:00 for anyone else.
    d = ask_by_staff(client, staff1, world.retiree_a.id, pickup_at=AT_10)
    assert dispatch(client, staff1, [d["id"]], fleet.car, fleet.zhao).status_code == 409
    # Cancelling the only ride on the car's trip frees the car at once.
    freed = client.post(
        f"/api/v1/staff/rides/{c['id']}/cancel", json={"reason": "家人送"}, headers=staff1
    )
    assert freed.status_code == 200 and freed.json()["trip_id"] is None
    again = dispatch(client, staff1, [d["id"]], fleet.car, fleet.qian)
    assert again.status_code == 201, again.text
    # A retiree cancelling a dispatched ride gives the seat back; the trip keeps the other.
    gone = client.post(f"/api/v1/rides/{b['id']}/cancel", headers=retiree_a)
    assert gone.status_code == 200
    with Session(engine) as db:
        van_trip = db.get(RideTrip, trip["id"])
        bookable = db.get(Bookable, van_trip.bookable_id)
        assert van_trip.status == "active" and bookable.confirmed_count == 1


def test_complete_cannot_arrange_reminder_and_run_sheet(
    client, world: World, engine, clock, staff1, retiree_a, fleet: Fleet
) -> None:
    a = ask_by_staff(client, staff1, world.retiree_a.id, pickup_at=AT_9, notes="走路慢")
    b = ask_by_staff(client, staff1, world.retiree_a.id, pickup_at=AT_8, companion_needed=True)
    c = ask_by_staff(client, staff1, world.retiree_a.id, pickup_at=AT_10)
    assert dispatch(client, staff1, [a["id"]], fleet.van, fleet.zhao).status_code == 201
    assert dispatch(client, staff1, [b["id"]], fleet.car, fleet.qian).status_code == 201
    unarranged = client.post(
        f"/api/v1/staff/rides/{c['id']}/cannot-arrange",
        json={"reason": "车都派出去了"},
        headers=staff1,
    )
    assert unarranged.json()["status"] == "无法安排"
    assert unarranged.json()["status_reason"] == "车都派出去了"
    assert inbox_titles(client, retiree_a)[0] == "这次用车没能安排"

    sheet = client.get("/api/v1/staff/rides/run-sheet?date=2026-03-03", headers=staff1).json()
    assert [t["driver"]["name"] for t in sheet["trips"]] == ["钱师傅", "赵师傅"]  # time order
    stop = sheet["trips"][1]["stops"][0]
    assert stop["retiree_phone"] == "13800138000" and stop["notes"] == "走路慢"
    only = client.get(
        f"/api/v1/staff/rides/run-sheet?date=2026-03-03&driver_id={fleet.zhao['id']}",
        headers=staff1,
    ).json()
    assert len(only["trips"]) == 1 and only["trips"][0]["stops"][0]["ride_id"] == a["id"]

    # Reminder: nothing at 2h01m before, once inside two hours, never twice.
    pickup = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)
    clock.set(pickup - timedelta(hours=3, minutes=1))  # 2h01m before the 08:00 one
    assert _remind(engine, clock) == 0
    clock.set(pickup - timedelta(hours=2, minutes=59))  # 08:00 one is within two hours
    assert _remind(engine, clock) == 1
    assert _remind(engine, clock) == 0
    clock.set(pickup - timedelta(hours=1))
    assert _remind(engine, clock) == 1  # now the 09:00 one
    assert inbox_titles(client, retiree_a)[0] == "快出发了"

    # Complete: not before the pickup; then 已完成 and the trip is done.
    staff1 = staff_headers(client, "staff1")
    early = client.post(f"/api/v1/staff/rides/{a['id']}/complete", headers=staff1)
    assert early.status_code == 400
    clock.set(pickup + timedelta(hours=1))
    staff1 = staff_headers(client, "staff1")
    done = client.post(f"/api/v1/staff/rides/{a['id']}/complete", headers=staff1)
    assert done.status_code == 200 and done.json()["status"] == "已完成"
    with Session(engine) as db:
        assert db.get(RideTrip, done.json()["trip_id"]).status == "done"
    assert client.post(f"/api/v1/staff/rides/{a['id']}/complete", headers=staff1).status_code == 400


def _remind(engine, clock) -> int:
    """What the rides.reminders job does on one run."""
    with transaction(engine) as db:
        return scheduled.remind_soon(db, clock=clock)


def test_scope_and_bookings_list(
    client, world: World, fake_wechat, staff1, retiree_a, fleet: Fleet
) -> None:
    a = ask_by_staff(client, staff1, world.retiree_a.id, pickup_at=AT_9)
    assert dispatch(client, staff1, [a["id"]], fleet.van, fleet.zhao).status_code == 201
    staff2 = staff_headers(client, "staff2")
    assert client.get("/api/v1/staff/rides?date=2026-03-03", headers=staff2).json()["count"] == 0
    assert (
        client.post(
            f"/api/v1/staff/rides/{a['id']}/cancel", json={"reason": "x"}, headers=staff2
        ).status_code
        == 404
    )
    assert dispatch(client, staff2, [a["id"]], fleet.car, fleet.qian).status_code == 404
    assert client.get("/api/v1/staff/rides/vehicles", headers=staff2).json()["count"] == 0
    # Ride bookings are not activity bookings: /api/v1/bookings stays about activities.
    assert (
        client.get(f"/api/v1/bookings?retiree_id={world.retiree_a.id}", headers=retiree_a).json()
        == []
    )
    # Staff deactivate a vehicle: it can no longer be dispatched.
    off = client.patch(
        f"/api/v1/staff/rides/vehicles/{fleet.car['id']}", json={"active": False}, headers=staff1
    )
    assert off.status_code == 200 and off.json()["active"] is False
    b = ask_by_staff(client, staff1, world.retiree_a.id, pickup_at=AT_10)
    assert dispatch(client, staff1, [b["id"]], fleet.car, fleet.qian).status_code == 400
    dup = client.post(
        "/api/v1/staff/rides/vehicles", json={"plate": "京a 10001", "seats": 5}, headers=staff1
    )
    assert dup.status_code == 409


def test_a_trip_is_in_progress_only_inside_its_window(
    client, world: World, clock, staff1, fleet: Fleet
) -> None:
    """Dispatched on Monday for Tuesday 09:00: 待出发 until it starts, 进行中 while it runs."""
    ride = ask_by_staff(client, staff1, world.retiree_a.id, pickup_at=AT_9)
    trip = dispatch(client, staff1, [ride["id"]], fleet.van, fleet.zhao)
    assert trip.status_code == 201, trip.text
    assert trip.json()["trips"][0]["status"] == "待出发"

    def status_at(moment: datetime) -> str:
        clock.set(moment)
        staff = staff_headers(client, "staff1")
        sheet = client.get("/api/v1/staff/rides/run-sheet?date=2026-03-03", headers=staff).json()
        return str(sheet["trips"][0]["status"])

    starts = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)  # 09:00 Shanghai
    assert status_at(starts - timedelta(minutes=1)) == "待出发"
    assert status_at(starts + timedelta(minutes=1)) == "进行中"
    assert status_at(starts + timedelta(hours=12)) == "待确认完成"
    staff = staff_headers(client, "staff1")
    client.post(f"/api/v1/staff/rides/{ride['id']}/complete", headers=staff)
    assert status_at(starts + timedelta(hours=12)) == "已完成"
