"""Marking a retiree deceased ends their open rides: a dispatched one gives its seats back
(through bookings) and the unit's staff are told to stop the driver."""

from __future__ import annotations

from sqlmodel import Session, select

from backend.bookings.models import Booking
from backend.notices.models import StaffAlert
from tests.factories import World
from tests.rides.conftest import Fleet, ask_by_staff, dispatch


def test_open_rides_end_and_the_staff_are_told(
    client, world: World, engine, staff1, retiree_a, fleet: Fleet
) -> None:
    sent = ask_by_staff(client, staff1, world.retiree_a.id, pickup_at="2026-03-03T08:00:00+08:00")
    asked = ask_by_staff(client, staff1, world.retiree_a.id, pickup_at="2026-03-04T08:00:00+08:00")
    assert dispatch(client, staff1, [sent["id"]], fleet.van, fleet.zhao).status_code == 201

    marked = client.post(
        f"/api/v1/staff/retirees/{world.retiree_a.id}/status",
        json={"status": "去世", "died_on": "2026-03-01"},
        headers=staff1,
    )
    assert marked.status_code == 200, marked.text

    queue = client.get("/api/v1/staff/rides?date=2026-03-03", headers=staff1).json()["data"]
    later = client.get("/api/v1/staff/rides?date=2026-03-04", headers=staff1).json()["data"]
    assert [(r["id"], r["status_code"]) for r in queue + later] == [
        (sent["id"], "cancelled"),
        (asked["id"], "cancelled"),
    ]
    with Session(engine) as db:
        assert [b.status for b in db.exec(select(Booking)).all()] == ["cancelled"]
        alerts = db.exec(
            select(StaffAlert).where(StaffAlert.dedupe_key.startswith("ride-deceased"))
        ).all()  # type: ignore[attr-defined]
        assert len(alerts) == 1 and "请告诉司机" in alerts[0].body
