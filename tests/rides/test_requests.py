"""Asking for a ride from the mini-program: idempotency keys, home address by default, common
destinations, recurring rides, the cancel deadline on an injected clock, notices."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import httpx
from sqlmodel import Session, select

from backend.accounts.models import AuditLog
from backend.notices.models import InboxItem, Notice
from backend.rides.models import RideRequest, RideSeries
from tests.factories import TLS, World, staff_headers, wechat_headers
from tests.rides.conftest import Fleet, ask, ask_by_staff, inbox_titles, post


def test_idempotency_key_makes_one_request(
    client, app_server, world: World, engine, retiree_a
) -> None:
    key = "tap-ride-0001"
    one = ask(client, retiree_a, world.retiree_a.id, idempotency_key=key)
    two = ask(client, retiree_a, world.retiree_a.id, idempotency_key=key)
    assert one.status_code == two.status_code == 200, one.text
    assert one.json()["id"] == two.json()["id"]
    assert one.json()["status"] == "已申请"

    # A double tap: the same key sent at the same moment from two connections.
    results: list[int] = []
    barrier = threading.Barrier(4)

    def tap() -> None:
        with httpx.Client(verify=TLS, base_url=app_server.base_url, timeout=60) as c:
            barrier.wait()
            response = ask(
                c,
                retiree_a,
                world.retiree_a.id,
                idempotency_key="tap-ride-0002",
                confirm_duplicate=True,  # a second ride at the same time, on purpose
            )
            assert response.status_code == 200, response.text
            results.append(response.json()["id"])

    threads = [threading.Thread(target=tap) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and len(set(results)) == 1
    with Session(engine) as db:
        assert len(db.exec(select(RideRequest)).all()) == 2
        keys = db.exec(select(Notice.dedupe_key).where(Notice.kind == "system")).all()
    assert sorted(keys) == sorted(f"ride:{i}:requested" for i in {one.json()["id"], results[0]})
    # Without a key every tap is a new request (once the duplicate warning is confirmed).
    ask(client, retiree_a, world.retiree_a.id, confirm_duplicate=True)
    assert (
        len(
            client.get(f"/api/v1/rides?retiree_id={world.retiree_a.id}", headers=retiree_a).json()[
                "data"
            ]
        )
        == 3
    )


def test_home_address_destinations_and_family(
    client, world: World, engine, fake_wechat, staff1, retiree_a, fleet: Fleet
) -> None:
    other = staff_headers(client, "staff2")
    post(client, other, "/api/v1/staff/rides/destinations", name="第二所医务室", address="万寿路")
    listed = client.get(
        f"/api/v1/rides/destinations?retiree_id={world.retiree_a.id}", headers=retiree_a
    ).json()
    assert [d["name"] for d in listed["data"]] == ["301医院"]  # not the other 所's
    ride = ask(
        client,
        retiree_a,
        world.retiree_a.id,
        destination_id=fleet.hospital["id"],
        destination_text=None,
        return_at="2026-03-03T11:30:00+08:00",
        wheelchair=True,
        companion_needed=True,
        passengers=2,
        notes="带着病历",
    ).json()
    assert ride["pickup_address"] == "北京市东城区和平里北街1号"
    assert ride["destination"] == "301医院（复兴路28号）"
    assert ride["vehicle"] is None and ride["can_cancel"] is True
    # The other 所's destination cannot be used by retiree A.
    foreign = client.get("/api/v1/staff/rides/destinations", headers=other).json()["data"][0]
    refused = ask(client, retiree_a, world.retiree_a.id, destination_id=foreign["id"])
    assert refused.status_code == 400 and "常去地点" in refused.json()["message"]
    # Family: copies of the notice; booking needs the permission.
    family = wechat_headers(client, fake_wechat.base_url, "openid-fa")
    assert "约车申请已收到" in inbox_titles(client, family)
    denied = ask(client, family, world.retiree_a.id)
    assert denied.status_code == 403
    mine = client.get(f"/api/v1/rides?retiree_id={world.retiree_a.id}", headers=family).json()
    assert mine["count"] == 1
    # Someone else's family sees nothing of retiree A.
    stranger = wechat_headers(client, fake_wechat.base_url, "openid-fb")
    hidden = client.get(f"/api/v1/rides?retiree_id={world.retiree_a.id}", headers=stranger)
    assert hidden.status_code == 404


def test_bad_requests_are_clear_4xx(client, world: World, clock, retiree_a, staff1) -> None:
    soon = (clock.now() + timedelta(hours=1)).isoformat()
    too_soon = ask(client, retiree_a, world.retiree_a.id, pickup_at=soon)
    assert too_soon.status_code == 400 and "提前2小时" in too_soon.json()["message"]
    # Staff taking a phone call may book a ride that leaves within the hour.
    by_phone = ask_by_staff(client, staff1, world.retiree_a.id, pickup_at=soon, channel="电话")
    assert by_phone["status"] == "已申请" and by_phone["requested_by"] == "工作人员代约"
    nowhere = ask(client, retiree_a, world.retiree_a.id, destination_text=" ")
    assert nowhere.status_code == 422
    backwards = ask(client, retiree_a, world.retiree_a.id, return_at="2026-03-03T08:00:00+08:00")
    assert backwards.status_code == 422
    crowd = ask(client, retiree_a, world.retiree_a.id, passengers=5)
    assert crowd.status_code == 422
    far = ask(client, retiree_a, world.retiree_a.id, pickup_at="2026-07-01T09:00:00+08:00")
    assert far.status_code == 400


def test_recurring_ride_is_requested_once(client, world: World, engine, clock, retiree_a) -> None:
    # Dialysis every Tuesday and Friday at 07:30 for four weeks.
    response = ask(
        client,
        retiree_a,
        world.retiree_a.id,
        pickup_at="2026-03-03T07:30:00+08:00",
        return_at="2026-03-03T12:00:00+08:00",
        idempotency_key="dialysis-0001",
        repeat={"weekdays": [2, 5], "until": "2026-03-27"},
    )
    assert response.status_code == 200, response.text
    first = response.json()
    assert first["series_id"] is not None
    again = ask(
        client,
        retiree_a,
        world.retiree_a.id,
        pickup_at="2026-03-03T07:30:00+08:00",
        idempotency_key="dialysis-0001",
        repeat={"weekdays": [2, 5], "until": "2026-03-27"},
    ).json()
    assert again["id"] == first["id"]
    rides = client.get(f"/api/v1/rides?retiree_id={world.retiree_a.id}", headers=retiree_a).json()
    assert rides["count"] == 8
    times = [datetime.fromisoformat(r["pickup_at"]) for r in rides["data"]]
    assert [t.astimezone(UTC).strftime("%d %H:%M") for t in times[:3]] == [
        "02 23:30",
        "05 23:30",
        "09 23:30",
    ]
    assert all(r["return_at"] for r in rides["data"])
    assert inbox_titles(client, retiree_a) == ["定期用车申请已收到"]  # one notice, not eight

    # Cancel one (the second), then the rest of the series.
    second = rides["data"][1]
    one = client.post(
        f"/api/v1/rides/{second['id']}/cancel", json={"reason": "住院"}, headers=retiree_a
    )
    assert one.status_code == 200 and one.json()["status"] == "已取消"
    # The first is less than 2 hours away now: it stays, the rest (6) are cancelled.
    clock.set(datetime(2026, 3, 2, 22, 0, tzinfo=UTC))  # 06:00 on Tuesday in Shanghai
    done = client.post(f"/api/v1/rides/series/{first['series_id']}/cancel", headers=retiree_a)
    assert done.status_code == 200 and done.json() == {"cancelled": 6}
    statuses = [
        r["status"]
        for r in client.get(
            f"/api/v1/rides?retiree_id={world.retiree_a.id}", headers=retiree_a
        ).json()["data"]
    ]
    assert statuses == ["已申请"] + ["已取消"] * 7
    with Session(engine) as db:
        assert db.exec(select(RideSeries)).one().cancelled_at is not None
    assert inbox_titles(client, retiree_a)[0] == "定期用车已取消"

    too_long = ask(
        client,
        retiree_a,
        world.retiree_a.id,
        pickup_at="2026-03-10T07:30:00+08:00",
        repeat={"weekdays": [1], "until": "2026-07-01"},
    )
    assert too_long.status_code == 400 and "3个月" in too_long.json()["message"]


def test_cancel_deadline_edges_with_the_clock(
    client, world: World, engine, clock, retiree_a, staff1
) -> None:
    ride = ask(client, retiree_a, world.retiree_a.id).json()  # Tuesday 09:00 Shanghai
    other = ask_by_staff(client, staff1, world.retiree_a.id, pickup_at="2026-03-03T09:30:00+08:00")
    pickup = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)
    clock.set(pickup - timedelta(hours=2, seconds=1))
    listed = client.get(f"/api/v1/rides?retiree_id={world.retiree_a.id}", headers=retiree_a)
    assert listed.json()["data"][0]["can_cancel"] is True
    clock.set(pickup - timedelta(hours=2) + timedelta(seconds=1))
    listed = client.get(f"/api/v1/rides?retiree_id={world.retiree_a.id}", headers=retiree_a)
    assert listed.json()["data"][0]["can_cancel"] is False
    late = client.post(f"/api/v1/rides/{ride['id']}/cancel", headers=retiree_a)
    assert late.status_code == 400
    assert "请打电话告诉工作人员" in late.json()["message"]
    # Exactly at the deadline it is still allowed.
    clock.set(pickup - timedelta(hours=2))
    on_time = client.post(f"/api/v1/rides/{ride['id']}/cancel", headers=retiree_a)
    assert on_time.status_code == 200 and on_time.json()["status"] == "已取消"
    assert inbox_titles(client, retiree_a)[0] == "约车已取消"
    # Staff cancel with a reason at any time, and the retiree is told why.
    clock.set(pickup + timedelta(minutes=20))
    staff1 = staff_headers(client, "staff1")  # a new login: the morning's session has expired
    no_reason = client.post(f"/api/v1/staff/rides/{other['id']}/cancel", json={}, headers=staff1)
    assert no_reason.status_code == 422
    cancelled = client.post(
        f"/api/v1/staff/rides/{other['id']}/cancel", json={"reason": "老人身体不适"}, headers=staff1
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "已取消"
    with Session(engine) as db:
        body = db.exec(select(Notice.body).order_by(Notice.id.desc())).first()  # type: ignore[union-attr]
        actions = db.exec(select(AuditLog.action)).all()
        copies = db.exec(select(InboxItem).where(InboxItem.copy_binding_id != 0)).all()
    assert "老人身体不适" in (body or "")
    assert {"ride.create", "ride.cancel"} <= set(actions)
    assert copies, "family with notice permission get copies"


def test_near_duplicate_ride_needs_confirming(client, world: World, fake_wechat, staff1) -> None:
    """李秀兰 books the hospital for Tuesday 09:00 and her daughter books it again for 09:30:
    the second is refused with what is already booked, until confirmed."""
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-b")
    daughter = wechat_headers(client, fake_wechat.base_url, "openid-fb")
    first = ask(client, retiree, world.retiree_b.id)
    assert first.status_code == 200, first.text
    again = ask(client, daughter, world.retiree_b.id, pickup_at="2026-03-03T09:30:00+08:00")
    assert again.status_code == 409 and again.json()["code"] == "possible_duplicate"
    message = again.json()["message"]
    assert "李秀兰3月3日 09:00已经约了去北京医院的车" in message and "重复" in message
    assert again.json()["detail"]["ride_id"] == first.json()["id"]
    # Same day and place, hours apart: still asked. Another place within the hour: asked too.
    afternoon = ask(client, daughter, world.retiree_b.id, pickup_at="2026-03-03T15:00:00+08:00")
    assert afternoon.status_code == 409
    elsewhere = ask(
        client,
        daughter,
        world.retiree_b.id,
        pickup_at="2026-03-03T09:45:00+08:00",
        destination_text="女儿家",
    )
    assert elsewhere.status_code == 409
    # Going home at noon from somewhere else is a different ride, no question asked.
    home = ask(
        client,
        daughter,
        world.retiree_b.id,
        pickup_at="2026-03-03T12:00:00+08:00",
        destination_text="家里",
        pickup_address="北京医院",
    )
    assert home.status_code == 200, home.text
    confirmed = ask(
        client,
        daughter,
        world.retiree_b.id,
        pickup_at="2026-03-03T09:30:00+08:00",
        confirm_duplicate=True,
    )
    assert confirmed.status_code == 200, confirmed.text
    # Staff on the phone get the same question; a cancelled ride no longer counts.
    staff2 = staff_headers(client, "staff2")
    body = {
        "retiree_id": world.retiree_b.id,
        "destination_text": "北京医院",
        "pickup_at": "2026-03-03T08:30:00+08:00",
    }
    by_phone = client.post("/api/v1/staff/rides", json=body, headers=staff2)
    assert by_phone.status_code == 409 and "重复" in by_phone.json()["message"]
    for ride_id in (first.json()["id"], confirmed.json()["id"]):
        cancelled = client.post(f"/api/v1/rides/{ride_id}/cancel", headers=retiree)
        assert cancelled.status_code == 200, cancelled.text
    home_ride = home.json()["id"]
    assert client.post(f"/api/v1/rides/{home_ride}/cancel", headers=retiree).status_code == 200
    assert client.post("/api/v1/staff/rides", json=body, headers=staff2).status_code == 201
