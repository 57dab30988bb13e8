"""Staff compose, preview, send, schedule, edit and withdraw announcements; retirees and family
see them in their inboxes; the delivery report follows up."""

from __future__ import annotations

from datetime import timedelta

import httpx
from openpyxl import load_workbook

from backend.accounts.enums import CareFlag
from backend.core.clock import FrozenClock
from backend.core.context import AppContext
from backend.notices import scheduled
from tests.factories import World, make_family, make_retiree, staff_headers, wechat_headers

ANNOUNCEMENT = {
    "title": "重阳节慰问活动",
    "body": "10月11日上午9点，在所里活动室。",
    "category": "活动",
    "audience": {"everyone": True},
}


def _create(client: httpx.Client, headers: dict, **overrides: object) -> dict:
    response = client.post(
        "/api/v1/staff/notices", json={**ANNOUNCEMENT, **overrides}, headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()


def _send(client: httpx.Client, headers: dict, notice_id: int) -> dict:
    response = client.post(f"/api/v1/staff/notices/{notice_id}/send", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_send_reaches_retirees_and_family_copies(
    client: httpx.Client, world: World, fake_wechat
) -> None:
    staff = staff_headers(client, "staff1")
    notice = _create(client, staff)
    preview = client.post(
        "/api/v1/staff/notices/preview", json={"everyone": True}, headers=staff
    ).json()
    assert preview["retirees"] == 1 and preview["family_copies"] == 1
    assert [p["name"] for p in preview["people"]] == ["王建国"]
    sent = _send(client, staff, notice["id"])
    assert sent["status"] == "sent" and sent["recipients_total"] == 2
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    inbox = client.get("/api/v1/inbox", headers=retiree).json()
    assert inbox["unread"] == 1
    assert inbox["data"][0]["title"] == "重阳节慰问活动"
    assert inbox["data"][0]["is_copy"] is False
    family = wechat_headers(client, fake_wechat.base_url, "openid-fa")
    copy = client.get("/api/v1/inbox", headers=family).json()["data"][0]
    assert copy["is_copy"] is True and copy["for_retiree_name"] == "王建国"
    # Retiree B in the other unit sees nothing.
    other = wechat_headers(client, fake_wechat.base_url, "openid-b")
    assert client.get("/api/v1/inbox", headers=other).json()["data"] == []
    # Mark read
    item_id = inbox["data"][0]["id"]
    read = client.post(f"/api/v1/inbox/{item_id}/read", headers=retiree)
    assert read.json()["read_at"] is not None
    assert client.get("/api/v1/inbox", headers=retiree).json()["unread"] == 0
    # Family cannot read the retiree's own row by id.
    assert client.post(f"/api/v1/inbox/{item_id}/read", headers=family).status_code == 404


def test_audience_by_care_flag_category_units_and_people(
    client: httpx.Client, world: World, engine, clock, cipher
) -> None:
    lonely = make_retiree(
        engine,
        clock,
        cipher,
        unit=world.unit1,
        name="周素芳",
        care_flags=(CareFlag.living_alone, CareFlag.advanced_age),
    )
    make_retiree(engine, clock, cipher, unit=world.unit1, name="吴保国")
    staff = staff_headers(client, "staff1")

    def names(audience: dict) -> set[str]:
        body = client.post("/api/v1/staff/notices/preview", json=audience, headers=staff).json()
        return {p["name"] for p in body["people"]}

    assert names({"everyone": True}) == {"王建国", "周素芳", "吴保国"}
    assert names({"care_flags": ["独居"]}) == {"王建国", "周素芳"}
    assert names({"care_flags": ["高龄"]}) == {"周素芳"}
    assert names({"unit_ids": [world.station1.id]}) == {"王建国"}
    assert names({"categories": ["离休"]}) == set()
    assert names({"retiree_ids": [lonely.id]}) == {"周素芳"}
    bad = client.post(
        "/api/v1/staff/notices/preview", json={"unit_ids": [world.unit2.id]}, headers=staff
    )
    assert bad.status_code == 400


def test_withdraw_leaves_a_short_mark(client: httpx.Client, world: World, fake_wechat) -> None:
    staff = staff_headers(client, "staff1")
    notice = _create(client, staff)
    _send(client, staff, notice["id"])
    withdrawn = client.post(f"/api/v1/staff/notices/{notice['id']}/withdraw", headers=staff)
    assert withdrawn.json()["status"] == "withdrawn"
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    inbox = client.get("/api/v1/inbox", headers=retiree).json()
    assert inbox["unread"] == 0
    entry = inbox["data"][0]
    assert entry["withdrawn"] is True and entry["title"] == "此通知已撤回" and entry["body"] == ""
    again = client.post(f"/api/v1/staff/notices/{notice['id']}/withdraw", headers=staff)
    assert again.status_code == 409


def test_edit_only_before_sending_and_with_the_right_version(
    client: httpx.Client, world: World
) -> None:
    staff = staff_headers(client, "staff1")
    notice = _create(client, staff)
    body = {**ANNOUNCEMENT, "title": "重阳节慰问（改期）", "version": notice["version"]}
    edited = client.put(f"/api/v1/staff/notices/{notice['id']}", json=body, headers=staff)
    assert edited.status_code == 200 and edited.json()["title"] == "重阳节慰问（改期）"
    stale = client.put(f"/api/v1/staff/notices/{notice['id']}", json=body, headers=staff)
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    _send(client, staff, notice["id"])
    late = client.put(
        f"/api/v1/staff/notices/{notice['id']}", json={**ANNOUNCEMENT, "title": "x"}, headers=staff
    )
    assert late.status_code == 409 and late.json()["code"] == "notice_locked"


def test_scheduled_notice_goes_out_at_its_time(
    client: httpx.Client, world: World, clock: FrozenClock, fake_wechat, app_server
) -> None:
    ctx: AppContext = app_server.app.state.ctx
    staff = staff_headers(client, "staff1")
    at = (clock.now() + timedelta(hours=2)).isoformat()
    notice = _create(client, staff, send_at=at)
    assert _send(client, staff, notice["id"])["status"] == "scheduled"
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    scheduled.send_due_notices(ctx)
    assert client.get("/api/v1/inbox", headers=retiree).json()["data"] == []
    clock.advance(timedelta(hours=2))
    scheduled.send_due_notices(ctx)
    inbox = client.get("/api/v1/inbox", headers=retiree).json()
    assert [e["title"] for e in inbox["data"]] == ["重阳节慰问活动"]
    got = client.get(f"/api/v1/staff/notices/{notice['id']}", headers=staff).json()
    assert got["status"] == "sent"


def test_a_send_time_in_the_past_is_refused_not_sent_at_once(
    client: httpx.Client, world: World, clock: FrozenClock, fake_wechat
) -> None:
    staff = staff_headers(client, "staff1")
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    past = (clock.now() - timedelta(hours=1)).isoformat()
    refused = client.post(
        "/api/v1/staff/notices", json={**ANNOUNCEMENT, "send_at": past}, headers=staff
    )
    assert refused.status_code == 400
    assert "已经过了" in refused.json()["message"] and "09:00" in refused.json()["message"]
    # A draft for two hours from now, sent three hours later: refused too, nothing delivered.
    draft = _create(client, staff, send_at=(clock.now() + timedelta(hours=2)).isoformat())
    clock.advance(timedelta(hours=3))
    staff = staff_headers(client, "staff1")
    late = client.post(f"/api/v1/staff/notices/{draft['id']}/send", headers=staff)
    assert late.status_code == 400 and "已经过了" in late.json()["message"]
    assert client.get("/api/v1/inbox", headers=retiree).json()["data"] == []
    got = client.get(f"/api/v1/staff/notices/{draft['id']}", headers=staff).json()
    assert got["status"] == "draft"
    # Within the minute just passed: sent now, and the reply says when.
    just = _create(client, staff, send_at=(clock.now() - timedelta(seconds=30)).isoformat())
    sent = _send(client, staff, just["id"])
    assert sent["status"] == "sent" and sent["sent_at"] is not None


def test_urgent_unread_on_top_and_category_filter(
    client: httpx.Client, world: World, fake_wechat
) -> None:
    staff = staff_headers(client, "staff1")
    urgent = _create(client, staff, title="停水通知", category="通知", urgent=True)
    _send(client, staff, urgent["id"])
    later = _create(client, staff, title="健康讲座", category="温馨提示")
    _send(client, staff, later["id"])
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    titles = [e["title"] for e in client.get("/api/v1/inbox", headers=retiree).json()["data"]]
    assert titles == ["停水通知", "健康讲座"]
    tips = client.get("/api/v1/inbox", params={"category": "温馨提示"}, headers=retiree).json()
    assert [e["title"] for e in tips["data"]] == ["健康讲座"]


def test_the_unread_count_is_the_whole_inbox_on_any_page(
    client: httpx.Client, world: World, fake_wechat
) -> None:
    """The count comes with the page's rows; a page with no rows (another category, past the
    last message) still tells it."""
    staff = staff_headers(client, "staff1")
    for title in ("停水通知", "健康讲座"):
        _send(client, staff, _create(client, staff, title=title, category="通知")["id"])
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    full = client.get("/api/v1/inbox", headers=retiree).json()
    assert full["unread"] == 2
    oldest = min(e["id"] for e in full["data"])
    for params in ({"limit": 1}, {"category": "政策"}, {"before_id": oldest}):
        page = client.get("/api/v1/inbox", params=params, headers=retiree).json()
        assert page["unread"] == 2, params
    assert (
        client.get("/api/v1/inbox", params={"before_id": oldest}, headers=retiree).json()["data"]
        == []
    )


def test_delivery_report_and_unread_after_three_days(
    client: httpx.Client, world: World, clock: FrozenClock, fake_wechat, engine
) -> None:
    make_family(engine, clock, retiree=world.retiree_a, openid="openid-fa2")
    staff = staff_headers(client, "staff1")
    notice = _create(client, staff)
    _send(client, staff, notice["id"])
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    item = client.get("/api/v1/inbox", headers=retiree).json()["data"][0]
    client.post(f"/api/v1/inbox/{item['id']}/read", headers=retiree)
    report = client.get(f"/api/v1/staff/notices/{notice['id']}/report", headers=staff).json()
    assert report["recipients"] == 3 and report["family_copies"] == 2 and report["read"] == 1
    assert report["wechat_waiting"] == 3
    clock.advance(timedelta(days=3, minutes=1))
    staff = staff_headers(client, "staff1")  # the 12-hour console session has ended
    unread = client.get(
        f"/api/v1/staff/notices/{notice['id']}/report",
        params={"unread_after_days": 3},
        headers=staff,
    ).json()
    assert {r["recipient"] for r in unread["rows"]} == {"家属"}
    assert len(unread["rows"]) == 2
    xlsx = client.get(f"/api/v1/staff/notices/{notice['id']}/report.xlsx", headers=staff)
    assert xlsx.status_code == 200
    import io

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(row=3, column=1).value == "姓名"
    assert sheet.max_row == 3 + 3


def test_staff_of_another_unit_cannot_see_or_touch(client: httpx.Client, world: World) -> None:
    notice = _create(client, staff_headers(client, "staff1"))
    other = staff_headers(client, "staff2")
    assert client.get(f"/api/v1/staff/notices/{notice['id']}", headers=other).status_code == 404
    assert (
        client.post(f"/api/v1/staff/notices/{notice['id']}/send", headers=other).status_code == 404
    )
    assert client.get("/api/v1/staff/notices", headers=other).json()["count"] == 0


def test_report_row_of_a_family_copy_never_shows_the_retirees_phone(
    client: httpx.Client, world: World, fake_wechat
) -> None:
    import io

    staff = staff_headers(client, "staff1")
    notice = _create(client, staff)
    _send(client, staff, notice["id"])
    report = client.get(f"/api/v1/staff/notices/{notice['id']}/report", headers=staff).json()
    own = next(r for r in report["rows"] if not r["is_copy"])
    copy = next(r for r in report["rows"] if r["is_copy"])
    assert own["phone"] == "13800138000"
    assert copy["phone"] is None
    xlsx = client.get(f"/api/v1/staff/notices/{notice['id']}/report.xlsx", headers=staff)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    phones = {sheet.cell(row=r, column=3).value: sheet.cell(row=r, column=4).value for r in (4, 5)}
    assert phones == {"本人": "13800138000", "家属": "家属电话未登记"}


class TestAudienceIsExplicit:
    """Nobody chosen never means everyone; people outside the sender's units are refused, not
    dropped; an audience that reaches nobody is refused; the preview's count is what is sent."""

    def test_nothing_chosen_is_refused_not_everyone(self, client: httpx.Client, world: World):
        staff = staff_headers(client, "staff1")
        for audience in ({}, {"retiree_ids": []}, {"unit_ids": [], "care_flags": []}):
            response = client.post(
                "/api/v1/staff/notices", json={**ANNOUNCEMENT, "audience": audience}, headers=staff
            )
            assert response.status_code == 422, response.text
            assert "请选择发给谁" in response.json()["message"]
        assert client.get("/api/v1/staff/notices", headers=staff).json()["count"] == 0

    def test_picked_people_outside_the_units_are_refused(
        self, client: httpx.Client, world: World
    ) -> None:
        staff = staff_headers(client, "staff1")
        for ids in ([world.retiree_a.id, world.retiree_b.id], [999999]):
            audience = {"retiree_ids": ids}
            for url in ("/api/v1/staff/notices/preview", "/api/v1/staff/notices"):
                body = (
                    audience if url.endswith("preview") else {**ANNOUNCEMENT, "audience": audience}
                )
                response = client.post(url, json=body, headers=staff)
                assert response.status_code == 422, response.text
                assert "不在您管理的单位里" in response.json()["message"]

    def test_an_audience_reaching_nobody_is_refused(
        self, client: httpx.Client, world: World
    ) -> None:
        staff = staff_headers(client, "staff1")
        audience = {"categories": ["离休"]}
        preview = client.post("/api/v1/staff/notices/preview", json=audience, headers=staff)
        assert preview.json()["retirees"] == 0
        response = client.post(
            "/api/v1/staff/notices", json={**ANNOUNCEMENT, "audience": audience}, headers=staff
        )
        assert response.status_code == 422
        assert "一个人也发不到" in response.json()["message"]

    def test_preview_count_is_what_is_sent(
        self, client: httpx.Client, world: World, engine, clock, cipher
    ) -> None:
        other = make_retiree(engine, clock, cipher, unit=world.unit1, name="李淑珍")
        make_retiree(engine, clock, cipher, unit=world.unit1, name="赵大海")
        make_family(engine, clock, retiree=other, openid="openid-lsz-daughter")
        staff = staff_headers(client, "staff1")
        audience = {"retiree_ids": [other.id, world.retiree_a.id]}
        preview = client.post("/api/v1/staff/notices/preview", json=audience, headers=staff)
        preview = preview.json()
        notice = _create(client, staff, audience=audience)
        sent = _send(client, staff, notice["id"])
        assert preview["retirees"] == 2 and preview["family_copies"] == 2
        assert sent["recipients_total"] == preview["retirees"] + preview["family_copies"]
        # Without family copies the preview counts none, and none are sent.
        alone = client.post(
            "/api/v1/staff/notices/preview",
            params={"include_family": "false"},
            json=audience,
            headers=staff,
        ).json()
        notice = _create(client, staff, audience=audience, include_family=False)
        sent = _send(client, staff, notice["id"])
        assert alone["family_copies"] == 0
        assert sent["recipients_total"] == alone["retirees"] + alone["family_copies"] == 2

    def test_same_idempotency_key_writes_one_notice(
        self, client: httpx.Client, world: World
    ) -> None:
        staff = staff_headers(client, "staff1")
        headers = {**staff, "Idempotency-Key": "compose-7f3a9c01"}
        first = client.post("/api/v1/staff/notices", json=ANNOUNCEMENT, headers=headers)
        again = client.post("/api/v1/staff/notices", json=ANNOUNCEMENT, headers=headers)
        assert first.status_code == again.status_code == 201
        assert first.json()["id"] == again.json()["id"]
        assert client.get("/api/v1/staff/notices", headers=staff).json()["count"] == 1
