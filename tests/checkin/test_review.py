"""The staff side: review, return → resubmit → approve, conflicts, bulk approval, in-person
records, progress and export."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlmodel import Session, select

from backend.accounts.models import AuditLog, Retiree
from backend.checkin.models import ContactLog
from tests.checkin.conftest import FULL_ANSWERS, open_campaign, queue, submit
from tests.factories import World, make_retiree, staff_headers, wechat_headers


def _inbox_titles(client, headers) -> list[str]:
    return [m["title"] for m in client.get("/api/v1/inbox", headers=headers).json()["data"]]


def test_return_resubmit_approve(
    client, world: World, engine, fake_wechat, staff1, retiree_a
) -> None:
    campaign = open_campaign(client, staff1)
    assert submit(client, retiree_a, world.retiree_a.id).status_code == 200
    row = queue(client, staff1, campaign["id"], status="submitted")[0]
    detail = client.get(f"/api/v1/staff/checkin/submissions/{row['id']}", headers=staff1).json()
    assert detail["submitted_by"] == "本人提交"
    assert (detail["retiree_id"], detail["retiree_name"]) == (world.retiree_a.id, "王建国")
    assert {f["field"]: f["current"] for f in detail["fields"]}["party_life"] == "是"

    empty = client.post(
        f"/api/v1/staff/checkin/submissions/{row['id']}/return",
        json={"version": detail["version"], "reasons": {"phone": "  "}},
        headers=staff1,
    )
    assert empty.status_code == 422
    returned = client.post(
        f"/api/v1/staff/checkin/submissions/{row['id']}/return",
        json={"version": detail["version"], "reasons": {"phone": "电话打不通，请核对"}},
        headers=staff1,
    )
    assert returned.status_code == 200, returned.text
    state = client.get(f"/api/v1/checkin?retiree_id={world.retiree_a.id}", headers=retiree_a).json()
    assert state["status"] == "退回需补正"
    assert state["return_reasons"] == {"phone": "电话打不通，请核对"}
    assert state["can_submit"] is True
    inbox = client.get("/api/v1/inbox", headers=retiree_a).json()["data"]
    assert inbox[0]["title"] == "年度登记需要改一下"
    assert "联系电话：电话打不通" in inbox[0]["body"]
    family = wechat_headers(client, fake_wechat.base_url, "openid-fa")
    assert "年度登记需要改一下" in _inbox_titles(client, family)

    fixed = submit(client, retiree_a, world.retiree_a.id, {"phone": "13900139000"}, "req-second-1")
    assert fixed.status_code == 200, fixed.text
    detail = client.get(f"/api/v1/staff/checkin/submissions/{row['id']}", headers=staff1).json()
    changed = [f["field"] for f in detail["fields"] if f["changed_since_return"]]
    assert changed == ["phone"]

    approved = client.post(
        f"/api/v1/staff/checkin/submissions/{row['id']}/approve",
        json={"version": detail["version"]},
        headers=staff1,
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "已通过"
    assert _inbox_titles(client, retiree_a)[0] == "年度登记已通过"
    with Session(engine) as db:
        retiree = db.get(Retiree, world.retiree_a.id)
        assert retiree is not None and retiree.phone == "13900139000"
        actions = db.exec(select(AuditLog.action).order_by(AuditLog.id)).all()
        contacts = db.exec(
            select(ContactLog).where(ContactLog.retiree_id == world.retiree_a.id)
        ).all()
    assert {"checkin.return", "checkin.approve", "retiree.update_from_checkin"} <= set(actions)
    assert [c.channel for c in contacts] == ["年度登记", "年度登记"]


def test_two_staff_review_the_same_submission(client, world: World, staff1, retiree_a) -> None:
    campaign = open_campaign(client, staff1)
    submit(client, retiree_a, world.retiree_a.id)
    other = staff_headers(client, "admin1")
    row = queue(client, staff1, campaign["id"])[0]
    version = client.get(f"/api/v1/staff/checkin/submissions/{row['id']}", headers=staff1).json()[
        "version"
    ]
    first = client.post(
        f"/api/v1/staff/checkin/submissions/{row['id']}/approve",
        json={"version": version},
        headers=staff1,
    )
    second = client.post(
        f"/api/v1/staff/checkin/submissions/{row['id']}/talk",
        json={"version": version, "note": "想当面问问出国的事"},
        headers=other,
    )
    assert first.status_code == 200
    assert second.status_code == 409
    assert "刚被别人处理过" in second.json()["message"]
    # Staff of another 军休所 cannot see it at all.
    outsider = staff_headers(client, "staff2")
    assert (
        client.get(f"/api/v1/staff/checkin/submissions/{row['id']}", headers=outsider).status_code
        == 404
    )


def test_talk_then_approve(client, world: World, staff1, retiree_a) -> None:
    campaign = open_campaign(client, staff1)
    submit(client, retiree_a, world.retiree_a.id)
    row = queue(client, staff1, campaign["id"])[0]
    talk = client.post(
        f"/api/v1/staff/checkin/submissions/{row['id']}/talk",
        json={"version": 3, "note": "请到所里谈一谈"},
        headers=staff1,
    )
    version = client.get(f"/api/v1/staff/checkin/submissions/{row['id']}", headers=staff1).json()[
        "version"
    ]
    if talk.status_code == 409:
        talk = client.post(
            f"/api/v1/staff/checkin/submissions/{row['id']}/talk",
            json={"version": version, "note": "请到所里谈一谈"},
            headers=staff1,
        )
    assert talk.status_code == 200, talk.text
    state = client.get(f"/api/v1/checkin?retiree_id={world.retiree_a.id}", headers=retiree_a).json()
    assert state["status"] == "需约谈"
    assert "留意电话" in state["next_step"]
    approve = client.post(
        f"/api/v1/staff/checkin/submissions/{row['id']}/approve",
        json={"version": talk.json()["version"]},
        headers=staff1,
    )
    assert approve.status_code == 200


def test_bulk_approve_only_unchanged(
    client, world: World, engine, clock, cipher, fake_wechat, staff1, retiree_a
) -> None:
    campaign = open_campaign(client, staff1)
    make_retiree(
        engine,
        clock,
        cipher,
        unit=world.unit1,
        name="钱出国",
        wechat_openid="openid-trip",
        phone="13700137000",
    )
    traveller = wechat_headers(client, fake_wechat.base_url, "openid-trip")
    trip = {
        **FULL_ANSWERS,
        "phone": "13700137000",
        "trips_abroad": [
            {
                "destination": "泰国",
                "start_date": "2025-05-01",
                "end_date": "2025-05-08",
                "approved": True,
            }
        ],
    }
    with Session(engine) as db:
        trip_id = db.exec(select(Retiree.id).where(Retiree.name == "钱出国")).one()
    assert submit(client, traveller, trip_id, trip).status_code == 200
    assert submit(client, retiree_a, world.retiree_a.id).status_code == 200
    rows = {r["retiree_name"]: r for r in queue(client, staff1, campaign["id"], status="submitted")}
    assert rows["王建国"]["unchanged"] is True
    assert rows["钱出国"]["unchanged"] is False
    done = client.post(
        f"/api/v1/staff/checkin/campaigns/{campaign['id']}/approve-unchanged", headers=staff1
    )
    assert done.json() == {"approved": 1}
    left = [r["retiree_name"] for r in queue(client, staff1, campaign["id"], status="submitted")]
    assert left == ["钱出国"]


def test_record_in_person_progress_and_export(
    client, world: World, engine, clock, cipher, staff1, retiree_a
) -> None:
    campaign = open_campaign(client, staff1)
    other = make_retiree(engine, clock, cipher, unit=world.unit1, name="孙现场")
    recorded = client.post(
        f"/api/v1/staff/checkin/campaigns/{campaign['id']}/records",
        json={"retiree_id": other.id, "channel": "上门", "answers": {"same_address": True}},
        headers=staff1,
    )
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["status"] == "已通过"
    assert recorded.json()["channel"] == "上门"
    again = client.post(
        f"/api/v1/staff/checkin/campaigns/{campaign['id']}/records",
        json={"retiree_id": other.id, "channel": "电话"},
        headers=staff1,
    )
    assert again.status_code == 409
    submit(client, retiree_a, world.retiree_a.id)
    progress = client.get(
        f"/api/v1/staff/checkin/campaigns/{campaign['id']}/progress", headers=staff1
    ).json()
    assert progress["total"]["eligible"] == 2
    assert progress["total"]["counts"]["已通过"] == 1
    assert progress["total"]["counts"]["已提交待审核"] == 1
    assert progress["total"]["done_percent"] == 50.0
    by_unit = {u["unit_name"]: u for u in progress["units"]}
    assert by_unit["和平里服务站"]["counts"]["已提交待审核"] == 1
    assert by_unit["第一军休所"]["counts"]["已通过"] == 1
    export = client.get(
        f"/api/v1/staff/checkin/campaigns/{campaign['id']}/export.xlsx", headers=staff1
    )
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [tuple(r) for r in sheet.iter_rows(min_row=2, max_row=3, values_only=True)]
    assert {(r[1], r[2], r[3]) for r in rows} == {
        ("孙现场", "已通过", "上门"),
        ("王建国", "已提交待审核", "小程序"),
    }
