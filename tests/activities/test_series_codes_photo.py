"""Weekly classes with term enrolment and attendance per session; the sign-in code a retiree
shows and staff scan; the activity photo."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import httpx
from sqlmodel import Session, select

from backend.accounts.models import AuditLog
from backend.activities import codes, scheduled
from backend.activities.models import SessionAttendance
from backend.notices.models import Notice
from tests.activities.conftest import create_activity, sign_up
from tests.factories import World, make_retiree, staff_headers, wechat_headers

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WEEKLY = {
    "category": "老年大学",
    "title": "书法班（春季）",
    "place": "活动中心二楼",
    "starts_at": "2026-03-03T09:00:00+08:00",
    "ends_at": "2026-03-03T11:00:00+08:00",
    "weekly": {"weekdays": [4, 2], "until": "2026-03-31"},
}


def _code(client: httpx.Client, headers: dict[str, str], booking_id: int) -> str:
    response = client.get(f"/api/v1/bookings/{booking_id}/code", headers=headers)
    assert response.status_code == 200, response.text
    return str(response.json()["code"])


def _scan(
    client: httpx.Client, headers: dict[str, str], activity_id: int, code: str, **extra: object
) -> httpx.Response:
    return client.post(
        f"/api/v1/staff/activities/{activity_id}/scan",
        json={"code": code, **extra},
        headers=headers,
    )


class TestWeeklyClass:
    def test_term_has_sessions_and_one_enrolment(
        self, client, world: World, staff1, retiree_a
    ) -> None:
        activity = create_activity(client, staff1, capacity=20, **WEEKLY)
        starts = [s["starts_at"] for s in activity["sessions"]]
        # Tuesdays and Thursdays from 3 March to 31 March: 9 sessions, all at 09:00 Shanghai.
        assert len(starts) == 9
        assert starts[0] == "2026-03-03T01:00:00Z" and starts[-1] == "2026-03-31T01:00:00Z"
        assert activity["schedule"] == "每周二、四 09:00，3月3日至3月31日，共9次"
        assert activity["starts_at"] == starts[0]
        assert activity["ends_at"] == "2026-03-31T03:00:00Z"

        booking = sign_up(client, retiree_a, activity["id"], world.retiree_a.id).json()
        assert booking["status_code"] == "confirmed"
        again = sign_up(client, retiree_a, activity["id"], world.retiree_a.id)
        assert again.status_code == 409  # one enrolment covers the whole term

    def test_no_session_fits_is_refused(self, client, staff1) -> None:
        body = {**WEEKLY, "weekly": {"weekdays": [1], "until": "2026-03-04"}, "capacity": 5}
        response = client.post("/api/v1/staff/activities", json=body, headers=staff1)
        assert response.status_code == 400
        assert "一次课也排不出来" in response.json()["message"]
        bad_day = {**WEEKLY, "weekly": {"weekdays": [8], "until": "2026-03-31"}, "capacity": 5}
        response = client.post("/api/v1/staff/activities", json=bad_day, headers=staff1)
        assert response.status_code == 422

    def test_attendance_is_kept_per_session(
        self, client, world: World, engine, clock, staff1, retiree_a
    ) -> None:
        activity = create_activity(client, staff1, capacity=20, **WEEKLY)
        booking = sign_up(client, retiree_a, activity["id"], world.retiree_a.id).json()
        first, second = activity["sessions"][0]["id"], activity["sessions"][1]["id"]
        url = f"/api/v1/staff/bookings/{booking['id']}/attendance"

        no_session = client.post(url, json={"attended": True}, headers=staff1)
        assert no_session.status_code == 400 and "哪一次课" in no_session.json()["message"]

        assert (
            client.post(
                url, json={"attended": True, "session_id": first}, headers=staff1
            ).status_code
            == 200
        )
        assert (
            client.post(
                url, json={"attended": False, "session_id": second}, headers=staff1
            ).status_code
            == 200
        )
        base = f"/api/v1/staff/activities/{activity['id']}/sessions"
        one = client.get(f"{base}/{first}/roster", headers=staff1).json()
        two = client.get(f"{base}/{second}/roster", headers=staff1).json()
        assert one["data"][0]["attended"] is True and two["data"][0]["attended"] is False
        assert one["session"]["id"] == first
        third = activity["sessions"][2]["id"]
        assert (
            client.get(f"{base}/{third}/roster", headers=staff1).json()["data"][0]["attended"]
            is None
        )
        # Coming once is enough to rate the class (once it has begun).
        clock.set(datetime(2026, 3, 3, 3, 0, tzinfo=UTC))  # Tuesday 11:00, after the first class
        rated = client.post(
            f"/api/v1/bookings/{booking['id']}/rating", json={"rating": "满意"}, headers=retiree_a
        )
        assert rated.status_code == 200, rated.text
        with Session(engine) as db:
            marks = db.exec(select(SessionAttendance)).all()
            audits = db.exec(
                select(AuditLog).where(AuditLog.action == "booking.session_attendance")
            ).all()
        assert sorted((m.session_id, m.attended) for m in marks) == [(first, True), (second, False)]
        assert len(audits) == 2

    def test_session_of_another_activity_is_not_found(
        self, client, world: World, staff1, retiree_a
    ) -> None:
        weekly = create_activity(client, staff1, capacity=20, **WEEKLY)
        other = create_activity(client, staff1, capacity=20, **{**WEEKLY, "title": "太极班"})
        response = client.get(
            f"/api/v1/staff/activities/{weekly['id']}/sessions/{other['sessions'][0]['id']}/roster",
            headers=staff1,
        )
        assert response.status_code == 404

    def test_reminder_before_each_later_session_once(
        self, client, app_server, world: World, engine, clock, staff1, retiree_a
    ) -> None:
        activity = create_activity(client, staff1, capacity=20, **WEEKLY)
        sign_up(client, retiree_a, activity["id"], world.retiree_a.id)
        ctx = app_server.app.state.ctx
        clock.set(datetime(2026, 3, 4, 2, 0, tzinfo=UTC))  # Wed 10:00, the day before Thursday
        assert scheduled.send_reminders(ctx) == 1
        assert scheduled.send_reminders(ctx) == 0
        clock.set(datetime(2026, 3, 6, 2, 0, tzinfo=UTC))  # Friday: no class on Saturday
        assert scheduled.send_reminders(ctx) == 0
        with Session(engine) as db:
            titles = [n.title for n in db.exec(select(Notice)).all()]
        assert titles.count("明天有课") == 1  # one notice; its inbox rows go to retiree and family


class TestSignInCode:
    def test_scan_marks_attended_once(self, client, world: World, clock, staff1, retiree_a) -> None:
        activity = create_activity(client, staff1, capacity=5)
        booking = sign_up(client, retiree_a, activity["id"], world.retiree_a.id).json()
        response = client.get(f"/api/v1/bookings/{booking['id']}/code", headers=retiree_a)
        body = response.json()
        assert body["code"].startswith(f"JX{booking['id']}") and len(body["code"]) >= 9
        svg = base64.b64decode(body["qr_svg"].removeprefix("data:image/svg+xml;base64,"))
        assert svg.startswith(b"<?xml") and b"<svg" in svg

        clock.set(datetime(2026, 3, 10, 0, 30, tzinfo=UTC))  # 08:30 on the day
        staff1 = staff_headers(client, "staff1")
        first = _scan(client, staff1, activity["id"], body["code"].lower())
        assert first.status_code == 200, first.text
        assert first.json()["already"] is False and "签到成功" in first.json()["message"]
        second = _scan(client, staff1, activity["id"], body["code"])
        assert second.json()["already"] is True and "已经签过到了" in second.json()["message"]
        roster = client.get(f"/api/v1/staff/activities/{activity['id']}/roster", headers=staff1)
        assert roster.json()["data"][0]["attended"] is True

    def test_forged_or_foreign_codes_are_refused(
        self, client, world: World, engine, clock, cipher, fake_wechat, staff1, retiree_a
    ) -> None:
        activity = create_activity(client, staff1, capacity=1)
        other = create_activity(client, staff1, capacity=5, title="重阳登山")
        mine = sign_up(client, retiree_a, activity["id"], world.retiree_a.id).json()
        code = _code(client, retiree_a, mine["id"])
        forged = code[:-1] + ("A" if code[-1] != "A" else "B")
        assert _scan(client, staff1, activity["id"], forged).status_code == 400
        assert _scan(client, staff1, activity["id"], "hello").status_code == 400
        wrong = _scan(client, staff1, other["id"], code)
        assert wrong.status_code == 400 and "不是这个活动" in wrong.json()["message"]

        late = make_retiree(
            engine, clock, cipher, unit=world.unit1, name="赵大山", wechat_openid="o-w"
        )
        waiting_headers = wechat_headers(client, fake_wechat.base_url, "o-w")
        waiting_id = late.id
        waiting = sign_up(client, waiting_headers, activity["id"], waiting_id).json()
        assert waiting["status_code"] == "waitlisted"
        no_code = client.get(f"/api/v1/bookings/{waiting['id']}/code", headers=waiting_headers)
        assert no_code.status_code == 400 and "报上以后" in no_code.json()["message"]
        # A waitlisted booking cannot be signed in with a code made for it either.
        made_up = codes.code_for("test-secret-key-test-secret-key-0123456789", int(waiting["id"]))
        refused = _scan(client, staff1, activity["id"], made_up)
        assert refused.status_code == 400 and "没有报上" in refused.json()["message"]

    def test_code_is_private_and_scan_is_staff_of_the_unit(
        self, client, world: World, fake_wechat, staff1, retiree_a
    ) -> None:
        activity = create_activity(client, staff1, capacity=5)
        booking = sign_up(client, retiree_a, activity["id"], world.retiree_a.id).json()
        other = wechat_headers(client, fake_wechat.base_url, "openid-b")
        assert (
            client.get(f"/api/v1/bookings/{booking['id']}/code", headers=other).status_code == 404
        )
        code = _code(client, retiree_a, booking["id"])
        staff2 = staff_headers(client, "staff2")
        assert _scan(client, staff2, activity["id"], code).status_code == 404

    def test_weekly_class_scan_uses_todays_session(
        self, client, world: World, clock, staff1, retiree_a
    ) -> None:
        activity = create_activity(client, staff1, capacity=5, **WEEKLY)
        booking = sign_up(client, retiree_a, activity["id"], world.retiree_a.id).json()
        code = _code(client, retiree_a, booking["id"])
        refused = _scan(client, staff1, activity["id"], code)  # Monday: no class today
        assert refused.status_code == 400 and "今天没有这门课" in refused.json()["message"]
        clock.set(datetime(2026, 3, 5, 0, 50, tzinfo=UTC))  # Thursday 08:50
        staff1 = staff_headers(client, "staff1")  # a console session lasts 12 hours
        assert _scan(client, staff1, activity["id"], code).status_code == 200
        thursday = activity["sessions"][1]["id"]
        roster = client.get(
            f"/api/v1/staff/activities/{activity['id']}/sessions/{thursday}/roster",
            headers=staff1,
        ).json()
        assert roster["data"][0]["attended"] is True


class TestWhenSignInAndRatingOpen:
    """The code works from two hours before the start to the end; rating opens at the start."""

    def test_code_works_only_around_the_activity(
        self, client, world: World, clock, staff1, retiree_a
    ) -> None:
        activity = create_activity(client, staff1, capacity=5)  # 3月10日 09:00, no end time
        booking = sign_up(client, retiree_a, activity["id"], world.retiree_a.id).json()
        code = _code(client, retiree_a, booking["id"])
        weeks_early = _scan(client, staff1, activity["id"], code)
        assert weeks_early.status_code == 400
        assert "签到从3月10日 07:00开始" in weeks_early.json()["message"]

        clock.set(datetime(2026, 3, 9, 22, 59, tzinfo=UTC))  # 06:59 on the day
        staff1 = staff_headers(client, "staff1")
        assert _scan(client, staff1, activity["id"], code).status_code == 400
        clock.set(datetime(2026, 3, 10, 16, 1, tzinfo=UTC))  # 00:01 the next day
        staff1 = staff_headers(client, "staff1")
        ended = _scan(client, staff1, activity["id"], code)
        assert ended.status_code == 400 and "已经结束" in ended.json()["message"]
        clock.set(datetime(2026, 3, 9, 23, 0, tzinfo=UTC))  # 07:00 on the day
        staff1 = staff_headers(client, "staff1")
        assert _scan(client, staff1, activity["id"], code).status_code == 200

    def test_weekly_class_code_works_per_session(
        self, client, world: World, clock, staff1, retiree_a
    ) -> None:
        activity = create_activity(client, staff1, capacity=5, **WEEKLY)
        booking = sign_up(client, retiree_a, activity["id"], world.retiree_a.id).json()
        code = _code(client, retiree_a, booking["id"])
        thursday = activity["sessions"][1]["id"]  # 3月5日 09:00–11:00
        clock.set(datetime(2026, 3, 3, 2, 0, tzinfo=UTC))  # Tuesday 10:00, during Tuesday's
        staff1 = staff_headers(client, "staff1")
        early = _scan(client, staff1, activity["id"], code, session_id=thursday)
        assert early.status_code == 400
        assert "这次课3月5日 09:00开始" in early.json()["message"]
        clock.set(datetime(2026, 3, 5, 3, 30, tzinfo=UTC))  # Thursday 11:30
        staff1 = staff_headers(client, "staff1")
        late = _scan(client, staff1, activity["id"], code)
        assert late.status_code == 400 and "这次课已经结束" in late.json()["message"]

    def test_rating_opens_at_the_start(
        self, client, world: World, clock, staff1, retiree_a
    ) -> None:
        activity = create_activity(client, staff1, capacity=5)  # 3月10日 09:00
        booking = sign_up(client, retiree_a, activity["id"], world.retiree_a.id).json()
        marked = client.post(
            f"/api/v1/staff/bookings/{booking['id']}/attendance",
            json={"attended": True},
            headers=staff1,
        )
        assert marked.status_code == 200
        url = f"/api/v1/bookings/{booking['id']}/rating"
        early = client.post(url, json={"rating": "满意"}, headers=retiree_a)
        assert early.status_code == 400 and "还没开始" in early.json()["message"]
        clock.set(datetime(2026, 3, 10, 1, 1, tzinfo=UTC))  # 09:01 on the day
        rated = client.post(url, json={"rating": "满意"}, headers=retiree_a)
        assert rated.status_code == 200 and rated.json()["rating"] == "满意"


class TestPhoto:
    def test_upload_and_view(self, client, world: World, fake_wechat, staff1, retiree_a) -> None:
        activity = create_activity(client, staff1, capacity=5)
        url = f"/api/v1/staff/activities/{activity['id']}/photo"
        seen = client.get(
            f"/api/v1/activities/{activity['id']}/photo",
            params={"retiree_id": world.retiree_a.id},
            headers=retiree_a,
        )
        assert seen.status_code == 404 and "还没有照片" in seen.json()["message"]
        bad = client.post(
            url, files={"file": ("a.gif", b"GIF89a....", "image/gif")}, headers=staff1
        )
        assert bad.status_code == 415
        ok = client.post(url, files={"file": ("a.png", PNG, "image/png")}, headers=staff1)
        assert ok.status_code == 200 and ok.json()["has_photo"] is True
        seen = client.get(
            f"/api/v1/activities/{activity['id']}/photo",
            params={"retiree_id": world.retiree_a.id},
            headers=retiree_a,
        )
        assert seen.status_code == 200 and seen.content == PNG
        assert seen.headers["content-type"] == "image/png"
        # Retiree B's unit does not see this activity at all.
        other = wechat_headers(client, fake_wechat.base_url, "openid-b")
        hidden = client.get(
            f"/api/v1/activities/{activity['id']}/photo",
            params={"retiree_id": world.retiree_b.id},
            headers=other,
        )
        assert hidden.status_code == 404
