"""The retiree's (and family member's) side: banner, draft, submit once, photo, window."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from backend.accounts.enums import Relation
from tests.checkin.conftest import FULL_ANSWERS, open_campaign, queue, submit
from tests.factories import World, make_family, make_retiree, staff_headers, wechat_headers

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def test_no_campaign_means_nothing_to_do(client, world: World, retiree_a) -> None:
    state = client.get(f"/api/v1/checkin?retiree_id={world.retiree_a.id}", headers=retiree_a)
    assert state.status_code == 200
    assert state.json()["banner"] is None
    assert state.json()["next_step"] == "现在没有需要办理的年度登记。"
    response = submit(client, retiree_a, world.retiree_a.id)
    assert response.status_code == 400
    assert response.json()["code"] == "no_campaign"


def test_banner_draft_survives_and_submit_once(client, world: World, staff1, retiree_a) -> None:
    open_campaign(client, staff1)
    url = f"/api/v1/checkin?retiree_id={world.retiree_a.id}"
    state = client.get(url, headers=retiree_a).json()
    assert state["banner"] == "2026年的年度登记还没做"
    assert state["status"] == "未提交"
    assert "3月31日前" in state["next_step"]

    draft = client.put(
        "/api/v1/checkin/draft",
        json={"retiree_id": world.retiree_a.id, "answers": {"same_address": False}},
        headers=retiree_a,
    )
    assert draft.status_code == 200, draft.text
    # The app was closed; the half-filled form comes back.
    state = client.get(url, headers=retiree_a).json()
    assert state["answers"] == {"same_address": False}
    assert state["status"] == "未提交（有草稿）"

    incomplete = client.post(
        "/api/v1/checkin/submit",
        json={"retiree_id": world.retiree_a.id, "declaration": True},
        headers=retiree_a,
    )
    assert incomplete.status_code == 422
    assert "新地址" in incomplete.json()["message"] or "必须填写" in incomplete.json()["message"]

    no_declaration = client.post(
        "/api/v1/checkin/submit",
        json={"retiree_id": world.retiree_a.id, "answers": FULL_ANSWERS, "declaration": False},
        headers=retiree_a,
    )
    assert no_declaration.status_code == 400
    assert "属实" in no_declaration.json()["message"]

    first = submit(client, retiree_a, world.retiree_a.id)
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "已提交待审核"
    # A double tap, and a retry after a dropped network, give the same one submission.
    again = submit(client, retiree_a, world.retiree_a.id)
    assert again.status_code == 200
    assert again.json()["submitted_at"] == first.json()["submitted_at"]
    different = submit(
        client, retiree_a, world.retiree_a.id, {"phone": "010-1234567"}, "req-other-2"
    )
    assert different.status_code == 409
    assert different.json()["code"] == "already_submitted"
    rows = queue(client, staff1, state["campaign"]["id"], status="submitted")
    assert [r["retiree_name"] for r in rows] == ["王建国"]
    assert rows[0]["on_behalf"] is False


def test_family_submits_only_with_permission_and_is_recorded(
    client, world: World, engine, clock, fake_wechat, staff1
) -> None:
    campaign = open_campaign(client, staff1)
    family = wechat_headers(client, fake_wechat.base_url, "openid-fa")
    denied = submit(client, family, world.retiree_a.id)
    assert denied.status_code == 403
    assert "年度登记" in denied.json()["message"]
    make_family(
        engine,
        clock,
        retiree=world.retiree_a,
        openid="openid-son",
        relation=Relation.child,
        can_submit_checkin=True,
    )
    son = wechat_headers(client, fake_wechat.base_url, "openid-son")
    done = submit(client, son, world.retiree_a.id)
    assert done.status_code == 200, done.text
    assert done.json()["submitted_by"] == "家人代为提交"
    rows = queue(client, staff1, campaign["id"], on_behalf="true")
    assert [r["retiree_name"] for r in rows] == ["王建国"]
    # Someone else's retiree: not found, never a hint it exists.
    stranger = submit(client, son, world.retiree_b.id)
    assert stranger.status_code == 404


def test_photo_checked_by_content_not_name(client, world: World, staff1, retiree_a) -> None:
    open_campaign(client, staff1)
    url = f"/api/v1/checkin/photo?retiree_id={world.retiree_a.id}"
    fake = client.post(
        url, files={"file": ("photo.jpg", b"GIF89a" + b"\x00" * 20)}, headers=retiree_a
    )
    assert fake.status_code == 415
    assert "JPG" in fake.json()["message"]
    big = client.post(
        url, files={"file": ("a.png", PNG + b"\x00" * (5 * 1024 * 1024))}, headers=retiree_a
    )
    assert big.status_code == 413
    ok = client.post(url, files={"file": ("whatever.bin", JPEG)}, headers=retiree_a)
    assert ok.status_code == 200, ok.text
    assert ok.json()["has_photo"] is True
    shown = client.get(url, headers=retiree_a)
    assert shown.status_code == 200
    assert shown.headers["content-type"] == "image/jpeg"
    assert shown.content == JPEG


def test_window_edges_are_shanghai_midnight(client, world: World, clock, staff1, retiree_a) -> None:
    open_campaign(client, staff1)
    # 2026-03-31 23:59 Shanghai = 15:59 UTC: still open.
    clock.set(datetime(2026, 3, 31, 15, 59, tzinfo=UTC))
    state = client.get(f"/api/v1/checkin?retiree_id={world.retiree_a.id}", headers=retiree_a).json()
    assert state["can_submit"] is True
    # 2026-04-01 00:00 Shanghai = 16:00 UTC the day before: closed.
    clock.set(datetime(2026, 3, 31, 16, 0, tzinfo=UTC))
    state = client.get(f"/api/v1/checkin?retiree_id={world.retiree_a.id}", headers=retiree_a).json()
    assert state["can_submit"] is False
    assert "登记时间已过" in state["next_step"]
    late = submit(client, retiree_a, world.retiree_a.id)
    assert late.status_code == 400
    assert late.json()["code"] == "window_closed"


def test_extended_window_and_retiree_added_mid_campaign(
    client, world: World, engine, clock, cipher, fake_wechat, staff1
) -> None:
    campaign = open_campaign(client, staff1)
    clock.set(datetime(2026, 4, 2, 2, 0, tzinfo=UTC))
    staff1 = staff_headers(client, "staff1")  # a new day, a new staff login
    too_early = client.patch(
        f"/api/v1/staff/checkin/campaigns/{campaign['id']}",
        json={"closes_on": "2026-03-30"},
        headers=staff1,
    )
    assert too_early.status_code == 400
    extended = client.patch(
        f"/api/v1/staff/checkin/campaigns/{campaign['id']}",
        json={"closes_on": "2026-04-15"},
        headers=staff1,
    )
    assert extended.status_code == 200, extended.text
    assert extended.json()["is_open"] is True
    newcomer = make_retiree(
        engine, clock, cipher, unit=world.station1, name="赵新来", wechat_openid="openid-new"
    )
    headers = wechat_headers(client, fake_wechat.base_url, "openid-new")
    state = client.get(f"/api/v1/checkin?retiree_id={newcomer.id}", headers=headers).json()
    assert state["banner"] == "2026年的年度登记还没做"
    assert "4月15日前" in state["next_step"]
    assert submit(client, headers, newcomer.id).status_code == 200
    # Other units' staff do not see this campaign's retirees.
    names = [r["retiree_name"] for r in queue(client, staff1, campaign["id"])]
    assert "赵新来" in names and "李秀兰" not in names


def test_campaign_overlap_and_scope(client, world: World, staff1) -> None:
    open_campaign(client, staff1)
    again = client.post(
        "/api/v1/staff/checkin/campaigns",
        json={"year": 2026, "unit_id": world.station1.id},
        headers=staff1,
    )
    assert again.status_code == 409
    outside = client.post(
        "/api/v1/staff/checkin/campaigns",
        json={"year": 2027, "unit_id": world.unit2.id},
        headers=staff1,
    )
    assert outside.status_code == 404
    bad = client.post(
        "/api/v1/staff/checkin/campaigns",
        json={"year": 2027, "opens_on": "2027-03-01", "closes_on": "2027-01-01"},
        headers=staff1,
    )
    assert bad.status_code == 400
    assert "截止日期" in bad.json()["message"]


def test_bad_trip_dates_are_a_clear_422(
    client: httpx.Client, world: World, staff1, retiree_a
) -> None:
    open_campaign(client, staff1)
    response = client.put(
        "/api/v1/checkin/draft",
        json={
            "retiree_id": world.retiree_a.id,
            "answers": {
                "trips_abroad": [
                    {
                        "destination": "泰国",
                        "start_date": "2025-05-08",
                        "end_date": "2025-05-01",
                        "approved": True,
                    }
                ]
            },
        },
        headers=retiree_a,
    )
    assert response.status_code == 422
    assert "回来的日期不能早于出发的日期" in response.json()["message"]
