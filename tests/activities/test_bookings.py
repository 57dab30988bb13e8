"""Signing up for activities: capacity never exceeded under concurrency, FIFO waiting list,
promotion with notices, idempotency, windows and deadlines, eligibility, staff actions."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import httpx
from sqlmodel import Session, select

from backend.accounts.models import AuditLog
from backend.activities import scheduled
from backend.bookings.models import Bookable, Booking
from tests.activities.conftest import create_activity, sign_up
from tests.factories import TLS, World, make_retiree, staff_headers, wechat_headers


def _people(
    engine, clock, cipher, world: World, fake_wechat, client, n: int
) -> list[tuple[int, dict]]:
    people = []
    for i in range(n):
        retiree = make_retiree(
            engine, clock, cipher, unit=world.unit1, name=f"老同志{i}", wechat_openid=f"openid-p{i}"
        )
        people.append((retiree.id, wechat_headers(client, fake_wechat.base_url, f"openid-p{i}")))
    return people


def test_capacity_holds_under_concurrent_signups(
    client, app_server, world: World, engine, clock, cipher, fake_wechat, staff1
) -> None:
    activity = create_activity(client, staff1, capacity=5)
    people = _people(engine, clock, cipher, world, fake_wechat, client, 16)
    results: list[int] = []
    barrier = threading.Barrier(len(people))

    def go(retiree_id: int, headers: dict) -> None:
        with httpx.Client(verify=TLS, base_url=app_server.base_url, timeout=60) as c:
            barrier.wait()
            response = sign_up(c, headers, activity["id"], retiree_id)
            results.append(response.status_code)
            assert response.status_code == 200, response.text

    threads = [threading.Thread(target=go, args=p) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200] * 16
    with Session(engine) as db:
        rows = db.exec(select(Booking)).all()
        bookable = db.exec(select(Bookable)).one()
    confirmed = [b for b in rows if b.status == "confirmed"]
    assert len(confirmed) == 5 and bookable.confirmed_count == 5
    assert len([b for b in rows if b.status == "waitlisted"]) == 11


def test_waitlist_moves_in_order_with_quantity_and_notices(
    client, world: World, engine, clock, cipher, fake_wechat, staff1
) -> None:
    activity = create_activity(client, staff1, capacity=2)
    (a, ha), (b, hb), (c, hc), (d, hd) = _people(
        engine, clock, cipher, world, fake_wechat, client, 4
    )
    first = sign_up(client, ha, activity["id"], a, quantity=2).json()
    assert first["status"] == "已报名"
    second = sign_up(client, hb, activity["id"], b, quantity=2).json()
    third = sign_up(client, hc, activity["id"], c).json()
    fourth = sign_up(client, hd, activity["id"], d).json()
    assert [
        second["waitlist_position"],
        third["waitlist_position"],
        fourth["waitlist_position"],
    ] == [1, 2, 3]
    assert client.get("/api/v1/inbox", headers=hb).json()["data"][0]["title"] == "已排上候补"
    # The first cancels two places: the second (2 people) fits and moves up.
    cancelled = client.post(f"/api/v1/bookings/{first['id']}/cancel", headers=ha)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "已取消"
    mine = client.get(f"/api/v1/bookings?retiree_id={b}", headers=hb).json()
    assert mine[0]["status"] == "已报名"
    assert client.get("/api/v1/inbox", headers=hb).json()["data"][0]["title"] == "候补成功"
    # The promoted one declines: both single places go to the next two in order.
    client.post(f"/api/v1/bookings/{second['id']}/cancel", headers=hb)
    assert (
        client.get(f"/api/v1/bookings?retiree_id={c}", headers=hc).json()[0]["status"] == "已报名"
    )
    assert (
        client.get(f"/api/v1/bookings?retiree_id={d}", headers=hd).json()[0]["status"] == "已报名"
    )


def test_idempotency_key_and_no_double_booking(client, world: World, staff1, retiree_a) -> None:
    activity = create_activity(client, staff1)
    key = "tap-000000001"
    one = sign_up(client, retiree_a, activity["id"], world.retiree_a.id, idempotency_key=key)
    two = sign_up(client, retiree_a, activity["id"], world.retiree_a.id, idempotency_key=key)
    assert one.status_code == two.status_code == 200
    assert one.json()["id"] == two.json()["id"]
    again = sign_up(
        client, retiree_a, activity["id"], world.retiree_a.id, idempotency_key="tap-000000002"
    )
    assert again.status_code == 409
    assert "已经报过" in again.json()["message"]
    detail = client.get(
        f"/api/v1/activities/{activity['id']}?retiree_id={world.retiree_a.id}", headers=retiree_a
    ).json()
    assert detail["confirmed"] == 1 and detail["my_booking"]["status"] == "已报名"


def test_windows_deadline_and_eligibility(
    client, world: World, clock, fake_wechat, staff1, retiree_a
) -> None:
    early = create_activity(
        client,
        staff1,
        title="讲座",
        opens_at="2026-03-05T08:00:00+08:00",
        eligibility={"min_age": 80},
    )
    not_yet = sign_up(client, retiree_a, early["id"], world.retiree_a.id)
    assert not_yet.status_code == 400
    assert "还没开始报名" in not_yet.json()["message"]
    clock.set(datetime(2026, 3, 5, 0, 0, tzinfo=UTC))  # 08:00 Shanghai
    retiree_a = wechat_headers(client, fake_wechat.base_url, "openid-a")
    booked = sign_up(client, retiree_a, early["id"], world.retiree_a.id)
    assert booked.status_code == 200, booked.text  # born 1936: 89 years old
    staff1 = staff_headers(client, "staff1")
    young = create_activity(client, staff1, title="登山", eligibility={"min_age": 95})
    refused = sign_up(client, retiree_a, young["id"], world.retiree_a.id)
    assert refused.status_code == 400 and "95岁以上" in refused.json()["message"]
    url = f"/api/v1/activities?retiree_id={world.retiree_a.id}"
    everything = client.get(url, headers=retiree_a).json()["data"]
    assert sorted(a["title"] for a in everything) == ["登山", "讲座"]
    assert client.get(url + "&can_join=true", headers=retiree_a).json()["data"] == []
    # Past the cancellation deadline (the day before, 09:00): the retiree is told to call.
    clock.set(datetime(2026, 3, 9, 2, 0, tzinfo=UTC))
    retiree_a = wechat_headers(client, fake_wechat.base_url, "openid-a")
    late = client.post(f"/api/v1/bookings/{booked.json()['id']}/cancel", headers=retiree_a)
    assert late.status_code == 400 and "请打电话" in late.json()["message"]
    # Other units' retirees do not even see it.
    other = wechat_headers(client, fake_wechat.base_url, "openid-b")
    assert sign_up(client, other, early["id"], world.retiree_b.id).status_code == 404


def test_family_needs_book_permission(client, world: World, fake_wechat, staff1) -> None:
    activity = create_activity(client, staff1)
    family = wechat_headers(client, fake_wechat.base_url, "openid-fa")
    denied = sign_up(client, family, activity["id"], world.retiree_a.id)
    assert denied.status_code == 403
    assert "预约" in denied.json()["message"]


def test_staff_capacity_cancel_signup_attendance_rating(
    client, world: World, engine, clock, cipher, fake_wechat, staff1, retiree_a
) -> None:
    activity = create_activity(client, staff1, capacity=1)
    other = make_retiree(engine, clock, cipher, unit=world.unit1, name="电话报名")
    by_phone = client.post(
        f"/api/v1/staff/activities/{activity['id']}/signups",
        json={"retiree_id": other.id, "channel": "电话"},
        headers=staff1,
    )
    assert by_phone.status_code == 201 and by_phone.json()["booked_by"] == "工作人员代报"
    waiting = sign_up(client, retiree_a, activity["id"], world.retiree_a.id).json()
    assert waiting["status"] == "候补中"
    too_small = client.patch(
        f"/api/v1/staff/activities/{activity['id']}/capacity", json={"capacity": 0}, headers=staff1
    )
    assert too_small.status_code == 422
    raised = client.patch(
        f"/api/v1/staff/activities/{activity['id']}/capacity", json={"capacity": 2}, headers=staff1
    )
    assert raised.json()["confirmed"] == 2
    roster = client.get(f"/api/v1/staff/activities/{activity['id']}/roster", headers=staff1).json()
    assert {r["retiree_name"]: r["status"] for r in roster["data"]} == {
        "王建国": "已报名",
        "电话报名": "已报名",
    }
    assert all("****" in r["phone_masked"] for r in roster["data"])
    rating = client.post(
        f"/api/v1/bookings/{waiting['id']}/rating", json={"rating": "满意"}, headers=retiree_a
    )
    assert rating.status_code == 400
    mark = client.post(
        f"/api/v1/staff/bookings/{waiting['id']}/attendance",
        json={"attended": True},
        headers=staff1,
    )
    assert mark.status_code == 200 and mark.json()["attended"] is True
    clock.set(datetime(2026, 3, 10, 4, 0, tzinfo=UTC))  # 12:00 on the day: it has happened
    staff1 = staff_headers(client, "staff1")
    rating = client.post(
        f"/api/v1/bookings/{waiting['id']}/rating",
        json={"rating": "满意", "note": "很好"},
        headers=retiree_a,
    )
    assert rating.json()["rating"] == "满意"
    export = client.get(f"/api/v1/staff/activities/{activity['id']}/roster.xlsx", headers=staff1)
    assert export.status_code == 200 and export.content[:2] == b"PK"
    off = client.post(
        f"/api/v1/staff/activities/{activity['id']}/cancel", json={"reason": "下雨"}, headers=staff1
    )
    assert off.json() == {"bookings_cancelled": 2}
    inbox = client.get("/api/v1/inbox", headers=retiree_a).json()["data"]
    assert inbox[0]["title"] == "活动取消" and "下雨" in inbox[0]["body"]
    with Session(engine) as db:
        actions = set(db.exec(select(AuditLog.action)).all())
    assert {
        "activity.create",
        "activity.capacity",
        "booking.create",
        "booking.attendance",
        "activity.cancel",
    } <= actions


def test_day_before_reminder_once(
    client, app_server, world: World, clock, staff1, retiree_a
) -> None:
    activity = create_activity(client, staff1)
    sign_up(client, retiree_a, activity["id"], world.retiree_a.id)
    ctx = app_server.app.state.ctx
    clock.set(datetime(2026, 3, 9, 2, 0, tzinfo=UTC))  # 10:00 the day before
    assert scheduled.send_reminders(ctx) == 1
    assert scheduled.send_reminders(ctx) == 0
    clock.set(datetime(2026, 3, 8, 2, 0, tzinfo=UTC))
    assert scheduled.send_reminders(ctx) == 0
