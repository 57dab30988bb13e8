"""The 报平安 contract over HTTP: the mini-program's state, the one tap, who may change what;
the staff board and its audit."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel import Session, select

from backend.accounts.models import AuditLog
from tests.factories import World, make_family, staff_headers, wechat_headers
from tests.safecheck.conftest import shanghai


@pytest.fixture
def retiree_a(client: httpx.Client, world: World, fake_wechat) -> dict[str, str]:
    return wechat_headers(client, fake_wechat.base_url, "openid-a")


@pytest.fixture
def family_a(client: httpx.Client, world: World, fake_wechat) -> dict[str, str]:
    return wechat_headers(client, fake_wechat.base_url, "openid-fa")


def test_retiree_turns_it_on_and_taps_once_a_day(
    client: httpx.Client, world: World, clock, retiree_a
) -> None:
    a = world.retiree_a.id
    clock.set(shanghai(2026, 3, 2, 8, 0))
    state = client.get("/api/v1/safecheck", params={"retiree_id": a}, headers=retiree_a).json()
    assert (state["eligible"], state["enabled"], state["can_check_in"]) == (True, False, False)
    res = client.put(
        "/api/v1/safecheck/plan",
        json={"retiree_id": a, "enabled": True, "due_time": "０９:３０"},
        headers=retiree_a,
    )
    assert res.status_code == 200, res.text
    assert (res.json()["due_time"], res.json()["can_check_in"]) == ("09:30", True)
    first = client.post("/api/v1/safecheck/checkin", json={"retiree_id": a}, headers=retiree_a)
    clock.set(shanghai(2026, 3, 2, 8, 5))
    second = client.post("/api/v1/safecheck/checkin", json={"retiree_id": a}, headers=retiree_a)
    assert first.status_code == second.status_code == 200
    assert first.json()["checked_in_at"] == second.json()["checked_in_at"]
    assert second.json()["checked_in_by"] == "本人"
    assert "今天已经报过平安" in second.json()["next_step"]


def test_bad_times_are_a_chinese_422(client: httpx.Client, world: World, retiree_a) -> None:
    res = client.put(
        "/api/v1/safecheck/plan",
        json={"retiree_id": world.retiree_a.id, "due_time": "25:00"},
        headers=retiree_a,
    )
    assert res.status_code == 422
    assert "每天报平安的时间" in res.json()["message"]


def test_family_without_the_right_sees_but_does_not_change_or_tap(
    client: httpx.Client, world: World, family_a
) -> None:
    a = world.retiree_a.id
    state = client.get("/api/v1/safecheck", params={"retiree_id": a}, headers=family_a)
    assert state.status_code == 200 and state.json()["can_change"] is False
    res = client.put("/api/v1/safecheck/plan", json={"retiree_id": a}, headers=family_a)
    assert res.status_code == 403 and "工作人员帮忙" in res.json()["message"]
    tap = client.post("/api/v1/safecheck/checkin", json={"retiree_id": a}, headers=family_a)
    assert tap.status_code == 403 and "老人自己点" in tap.json()["message"]


def test_family_with_the_right_sets_a_pause(
    client: httpx.Client, world: World, engine, clock, fake_wechat
) -> None:
    make_family(
        engine, clock, retiree=world.retiree_a, openid="openid-son", can_submit_checkin=True
    )
    son = wechat_headers(client, fake_wechat.base_url, "openid-son")
    a = world.retiree_a.id
    res = client.post(
        "/api/v1/safecheck/pauses",
        json={"retiree_id": a, "kind": "住院", "starts_on": "2026-03-02"},
        headers=son,
    )
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["paused_today"] is True and body["can_change"] is True
    pause_id = body["pauses"][0]["id"]
    other = client.delete(
        f"/api/v1/safecheck/pauses/{pause_id}",
        params={"retiree_id": world.retiree_b.id},
        headers=son,
    )
    assert other.status_code == 404
    ended = client.delete(
        f"/api/v1/safecheck/pauses/{pause_id}", params={"retiree_id": a}, headers=son
    )
    assert ended.status_code == 200 and ended.json()["paused_today"] is True  # ends today


def test_staff_turn_it_on_see_the_board_and_confirm_audited(
    client: httpx.Client, world: World, engine, clock
) -> None:
    staff = staff_headers(client, "staff1")
    a = world.retiree_a.id
    clock.set(shanghai(2026, 3, 2, 11, 0))
    board = client.get("/api/v1/staff/safecheck/today", headers=staff).json()
    assert [r["retiree_id"] for r in board["not_enabled"]] == [a]
    res = client.put(f"/api/v1/staff/safecheck/{a}/plan", json={"due_time": "08:00"}, headers=staff)
    assert res.status_code == 200, res.text
    row = res.json()["data"][0]
    assert (row["retiree_name"], row["status_code"]) == ("王建国", "not_started")
    res = client.post(f"/api/v1/staff/safecheck/{a}/confirm", headers=staff)
    row = res.json()["data"][0]
    assert (row["status_code"], row["checked_in_by"]) == ("checked_in", "工作人员")
    with Session(engine) as db:
        actions = db.exec(select(AuditLog.action).where(AuditLog.entity_id == str(a))).all()
    assert {"safecheck.plan", "safecheck.confirm"} <= set(actions)
    other = client.put(
        f"/api/v1/staff/safecheck/{a}/plan",
        json={"enabled": False},
        headers=staff_headers(client, "staff2"),
    )
    assert other.status_code == 404
