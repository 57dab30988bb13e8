"""Each kind's flow: 团级及以下 travel is 报备, acknowledged by staff; a move of home acknowledged
changes the roster address through the check-in's path and the open ride follows; 户口迁移 moves
the home only when it says so; the wrong signer, a decision before the signature and a repeat are
refused in Chinese; family act only with the 代办 right; the person can take a report back."""

from __future__ import annotations

import httpx
from sqlmodel import Session, col, select

from backend.accounts.models import AuditLog, Retiree
from backend.rides.models import RideRequest
from tests.factories import World, make_family, staff_headers, wechat_headers
from tests.matters.conftest import TRIP, make_division

NEW = "北京市朝阳区安贞里3区5号楼2单元101"


def _me(client: httpx.Client, fake_wechat, openid: str = "openid-a") -> dict[str, str]:
    return wechat_headers(client, fake_wechat.base_url, openid)


def test_a_regiment_level_trip_is_reported_and_acknowledged(
    client: httpx.Client, world: World, engine, fake_wechat
) -> None:
    me = _me(client, fake_wechat)
    a = world.retiree_a.id
    made = client.post("/api/v1/matters", json={"retiree_id": a, **TRIP}, headers=me).json()
    assert (made["flow"], made["headline"]) == ("报备", "已提交，等所里处理")
    assert made["due_at"].startswith("2026-03-05T16:00:00")  # 3 working days
    staff = staff_headers(client, "staff1")
    sign = client.post(f"/api/v1/staff/matters/{made['id']}/sign", json={}, headers=staff)
    assert sign.status_code == 409 and "报备" in sign.json()["message"]
    ok = client.post(
        f"/api/v1/staff/matters/{made['id']}/acknowledge", json={"note": "已登记"}, headers=staff
    )
    assert ok.status_code == 200 and ok.json()["status_label"] == "已阅知"
    again = client.post(f"/api/v1/staff/matters/{made['id']}/acknowledge", json={}, headers=staff)
    assert again.status_code == 409 and "已经办完" in again.json()["message"]
    mine = client.get("/api/v1/matters", params={"retiree_id": a}, headers=me).json()["data"][0]
    assert mine["headline"] == "所里已收到并登记" and "我回来了" in mine["next_step"]


def test_an_acknowledged_move_changes_the_address_and_the_open_ride_follows(
    client: httpx.Client, world: World, engine, fake_wechat
) -> None:
    a = world.retiree_a.id
    staff = staff_headers(client, "staff1")
    ride = client.post(
        "/api/v1/staff/rides",
        json={
            "retiree_id": a,
            "destination_text": "北京医院",
            "pickup_at": "2026-03-20T09:00:00+08:00",
            "confirm_duplicate": True,
        },
        headers=staff,
    )
    assert ride.status_code in (200, 201), ride.text
    me = _me(client, fake_wechat)
    move = {"retiree_id": a, "kind": "居住地变更", "new_address": NEW, "on_date": "2026-03-01"}
    made = client.post("/api/v1/matters", json=move, headers=me).json()
    with Session(engine) as db:
        assert db.get(Retiree, a).address != NEW  # type: ignore[union-attr]
    done = client.post(f"/api/v1/staff/matters/{made['id']}/acknowledge", json={}, headers=staff)
    assert done.status_code == 200, done.text
    with Session(engine) as db:
        assert db.get(Retiree, a).address == NEW  # type: ignore[union-attr]
        assert db.get(RideRequest, ride.json()["id"]).pickup_address == NEW  # type: ignore[union-attr]
        actions = db.exec(
            select(AuditLog.action).where(AuditLog.entity == "retiree").order_by(col(AuditLog.id))
        ).all()
    assert actions == ["retiree.update_from_matter"]


def test_household_moves_the_home_only_when_it_says_so(
    client: httpx.Client, world: World, engine, fake_wechat
) -> None:
    a = world.retiree_a.id
    me = _me(client, fake_wechat)
    staff = staff_headers(client, "staff1")
    hukou = {"retiree_id": a, "kind": "户口迁移", "new_address": NEW, "on_date": "2026-03-01"}
    only = client.post("/api/v1/matters", json=hukou, headers=me).json()
    client.post(f"/api/v1/staff/matters/{only['id']}/acknowledge", json={}, headers=staff)
    with Session(engine) as db:
        assert db.get(Retiree, a).address != NEW  # type: ignore[union-attr]
    both = client.post("/api/v1/matters", json={**hukou, "also_residence": True}, headers=me).json()
    client.post(
        f"/api/v1/staff/matters/{both['id']}/acknowledge", json={"to_province": True}, headers=staff
    )
    with Session(engine) as db:
        assert db.get(Retiree, a).address == NEW  # type: ignore[union-attr]
    card = client.get(f"/api/v1/staff/matters/{both['id']}", headers=staff).json()
    assert card["to_province"] is True


def test_only_the_unit_head_signs_and_only_a_unit_above_approves(
    client: httpx.Client, world: World, engine, fake_wechat, head1
) -> None:
    make_division(engine, world.retiree_a)
    me = _me(client, fake_wechat)
    made = client.post(
        "/api/v1/matters",
        json={
            "retiree_id": world.retiree_a.id,
            "kind": "社会团体任职",
            "organisation": "老年书画协会",
            "post": "副会长",
        },
        headers=me,
    ).json()
    assert made["flow"] == "审批" and made["due_at"].startswith("2026-03-16T16:00")
    staff1, admin, head = (staff_headers(client, u) for u in ("staff1", "admin1", "head1"))
    url = f"/api/v1/staff/matters/{made['id']}"
    for who in (staff1, admin):
        refused = client.post(f"{url}/sign", json={"agree": True}, headers=who)
        assert refused.status_code == 403 and "军休所的负责人" in refused.json()["message"]
    early = client.post(f"{url}/decide", json={"agree": True}, headers=admin)
    assert early.status_code == 409 and "先由军休所负责人签署" in early.json()["message"]
    assert client.post(f"{url}/sign", json={"agree": True}, headers=head).status_code == 200
    own = client.post(f"{url}/decide", json={"agree": True}, headers=head)
    assert own.status_code == 403 and "上级主管部门" in own.json()["message"]
    other = client.post(
        f"{url}/decide", json={"agree": True}, headers=staff_headers(client, "staff2")
    )
    assert other.status_code == 404
    no = client.post(f"{url}/decide", json={"agree": False, "note": "手续不全"}, headers=admin)
    assert no.status_code == 200 and no.json()["status_label"] == "未批准"
    mine = client.get(
        "/api/v1/matters", params={"retiree_id": world.retiree_a.id}, headers=me
    ).json()["data"][0]
    assert mine["headline"] == "没有批准" and mine["decision_note"] == "手续不全"


def test_family_report_only_with_the_right_and_the_person_can_take_it_back(
    client: httpx.Client, world: World, engine, clock, fake_wechat
) -> None:
    a = world.retiree_a.id
    award = {"retiree_id": a, "kind": "表彰奖励", "award": "优秀党员", "awarded_by": "市委组织部"}
    plain = _me(client, fake_wechat, "openid-fa")
    refused = client.post("/api/v1/matters", json=award, headers=plain)
    assert refused.status_code == 403
    assert client.get("/api/v1/matters", params={"retiree_id": a}, headers=plain).status_code == 200
    make_family(
        engine, clock, retiree=world.retiree_a, openid="openid-son", can_submit_checkin=True
    )
    son = _me(client, fake_wechat, "openid-son")
    made = client.post("/api/v1/matters", json=award, headers=son)
    assert made.status_code == 201, made.text
    matter_id = made.json()["id"]
    back = client.post(f"/api/v1/matters/{matter_id}/withdraw", json={"retiree_id": a}, headers=son)
    assert back.status_code == 200 and back.json()["headline"] == "已撤回"
    again = client.post(
        f"/api/v1/matters/{matter_id}/withdraw", json={"retiree_id": a}, headers=son
    )
    assert again.status_code == 409
    steps = back.json()["steps"]
    assert steps[0]["by"].startswith("家属") and steps[-1]["what"] == "撤回"


def test_each_form_asks_for_its_own_fields_in_chinese(
    client: httpx.Client, world: World, fake_wechat
) -> None:
    me = _me(client, fake_wechat)
    a = world.retiree_a.id
    cases = [
        ({"kind": "出国(境)", "destination": "日本"}, "出发的日子"),
        ({**TRIP, "return_on": "2026-04-01"}, "不能早于出发"),
        ({**TRIP, "passport_no": "护照"}, "护照号码不对"),
        ({"kind": "再婚", "spouse_name": "张兰"}, "登记的日子"),
        ({"kind": "居住地变更", "on_date": "2026-03-01"}, "新的住址"),
        ({"kind": "开会"}, "事项"),
    ]
    for body, words in cases:
        res = client.post("/api/v1/matters", json={"retiree_id": a, **body}, headers=me)
        assert res.status_code == 422, res.text
        assert words in res.json()["message"], res.json()["message"]
