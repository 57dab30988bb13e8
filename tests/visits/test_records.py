"""Recording a visit: follow-ups stay on the owner's list until closed, the visit counts as the
month's contact, tasks from 住院 / 家庭变故 / 回电话, and what family see."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import httpx
import pytest
from sqlmodel import Session, select

from backend.checkin import contacts
from backend.core.errors import BadRequest
from backend.notices.models import StaffAlert
from backend.visits import campaigns, records
from backend.visits.schemas import CampaignIn, CloseIn, Festival, VisitKind
from tests.factories import World, staff_headers, wechat_headers
from tests.visits.conftest import assign, scope_of, visit


def _open(db: Session, clock, staff) -> list[str]:
    rows = records.follow_ups(db, clock=clock, scope=scope_of(db, staff), staff=staff).data
    return [r.text for r in rows]


def test_a_follow_up_stays_on_its_owners_list_until_closed(
    db: Session, world: World, clock
) -> None:
    v = visit(
        db,
        clock,
        world.staff1,
        world.retiree_a.id,
        health="腿脚不便",
        needs="想装扶手",
        follow_up="联系装扶手",
        follow_up_owner_id=world.staff1.id,
        follow_up_due=date(2026, 3, 5),
    )
    assert _open(db, clock, world.staff1) == ["联系装扶手"]
    assert _open(db, clock, world.admin) == []  # not the admin's to do
    clock.set(datetime(2026, 3, 6, 2, 0, tzinfo=UTC))
    row = records.follow_ups(db, clock=clock, scope=scope_of(db, world.staff1)).data[0]
    assert row.overdue and row.status == "待办"
    records.close_follow_up(
        db,
        clock=clock,
        staff=world.staff1,
        scope=scope_of(db, world.staff1),
        follow_up_id=row.id,
        data=CloseIn(note="已装好"),
    )
    db.commit()
    assert _open(db, clock, world.staff1) == []
    with pytest.raises(BadRequest, match="已经办结"):
        records.close_follow_up(
            db,
            clock=clock,
            staff=world.staff1,
            scope=scope_of(db, world.staff1),
            follow_up_id=row.id,
            data=CloseIn(),
        )
    assert (
        records.history(
            db, clock=clock, scope=scope_of(db, world.staff1), retiree_id=world.retiree_a.id
        )
        .data[0]
        .follow_ups[0]
        .close_note
        == "已装好"
    )
    assert v.id


def test_a_follow_up_needs_an_owner_and_a_date_not_in_the_past(
    db: Session, world: World, clock
) -> None:
    with pytest.raises(ValueError, match="谁来办"):
        visit(db, clock, world.staff1, world.retiree_a.id, follow_up="买药")
    with pytest.raises(BadRequest, match="不能早于今天"):
        visit(
            db,
            clock,
            world.staff1,
            world.retiree_a.id,
            follow_up="买药",
            follow_up_owner_id=world.staff1.id,
            follow_up_due=date(2026, 3, 1),
        )
    db.rollback()
    # Nothing half written: the refused visit left no record and no contact.
    assert records.last_visit(db, world.retiree_a.id) is None
    with pytest.raises(BadRequest, match="不能晚于现在"):
        visit(
            db,
            clock,
            world.staff1,
            world.retiree_a.id,
            visited_at=datetime(2026, 3, 3, 2, 0, tzinfo=UTC),
        )


def test_a_visit_is_the_months_contact(db: Session, world: World, clock) -> None:
    def uncontacted() -> set[int]:
        page = contacts.due(db, clock=clock, scope=scope_of(db, world.staff1))
        return {r.retiree_id for r in page.data}

    assert world.retiree_a.id in uncontacted()
    visit(db, clock, world.staff1, world.retiree_a.id, VisitKind.video)
    assert world.retiree_a.id not in uncontacted()
    last = contacts.history(db, retiree=world.retiree_a, limit=1)[0]
    assert last.channel == "微信"


def test_campaign_coverage_per_unit_and_export(db: Session, world: World, clock) -> None:
    campaign = campaigns.create(
        db,
        clock=clock,
        staff=world.admin,
        scope=scope_of(db, world.admin),
        data=CampaignIn(
            festival=Festival.spring,
            unit_id=world.centre.id,
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 3, 10),
        ),
    )
    db.commit()
    visit(db, clock, world.staff1, world.retiree_a.id)
    result = campaigns.coverage(db, scope=scope_of(db, world.admin), campaign_id=campaign.id)
    by_unit = {u.unit_name: (u.visited, u.total) for u in result.units}
    assert by_unit == {"和平里服务站": (1, 1), "第二军休所": (0, 1)}
    assert result.campaign.title == "2026年春节走访慰问"
    # A visit after the range does not count.
    clock.set(datetime(2026, 3, 10, 16, 0, tzinfo=UTC))  # 11 March 00:00 in Shanghai
    visit(db, clock, world.staff2, world.retiree_b.id)
    assert (
        campaigns.coverage(
            db, scope=scope_of(db, world.admin), campaign_id=campaign.id
        ).campaign.visited
        == 1
    )
    _, data = campaigns.export(db, scope=scope_of(db, world.admin), campaign_id=campaign.id)
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data)).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["和平里服务站", "王建国", "已走访", "2026-03-02", "上门"] in cells
    assert ["第二军休所", "李秀兰", "未走访", None, None] in cells or [
        "第二军休所",
        "李秀兰",
        "未走访",
        "",
        "",
    ] in cells
    # The first institute's staff cannot open the centre's campaign.
    from backend.core.errors import NotFound

    with pytest.raises(NotFound):
        campaigns.coverage(db, scope=scope_of(db, world.staff1), campaign_id=campaign.id)


def test_family_reports_a_hospital_stay_and_it_becomes_a_visit_task(
    client: httpx.Client, world: World, clock, engine, fake_wechat, db: Session
) -> None:
    assign(db, clock, world.staff1, world.staff1, world.retiree_a.id)
    family = wechat_headers(client, fake_wechat.base_url, "openid-fa")
    staff = staff_headers(client, "staff1")
    reply = client.post(
        "/api/v1/visits/events",
        json={"retiree_id": world.retiree_a.id, "kind": "住院", "detail": "在人民医院"},
        headers=family,
    )
    assert reply.status_code == 200, reply.text
    assert "3月5日前" in reply.json()["message"]
    due = client.get("/api/v1/staff/visits/due", headers=staff).json()["data"]
    task = next(r for r in due if r["task_id"])
    assert [r["reason"] for r in due] == ["住院"]  # one row: the task's visit is the routine one
    assert (task["reason"], task["due_on"]) == ("住院", "2026-03-05")
    alert = db.exec(select(StaffAlert).where(StaffAlert.unit_id == world.station1.id)).one()
    assert "住院" in alert.title
    db.rollback()  # end the read (SQLite: the server writes next)
    # Recording the visit answers the task.
    reply = client.post(
        "/api/v1/staff/visits",
        json={
            "retiree_id": world.retiree_a.id,
            "kind": "上门",
            "visitors": "张干事",
            "met": "本人和女儿",
            "task_id": task["task_id"],
        },
        headers=staff,
    )
    assert reply.status_code == 201, reply.text
    due = client.get("/api/v1/staff/visits/due", headers=staff).json()["data"]
    assert not [r for r in due if r["task_id"]]


def test_family_asks_for_a_call_back_and_sees_care_happen(
    client: httpx.Client, world: World, clock, fake_wechat, db: Session
) -> None:
    assign(db, clock, world.staff1, world.staff1, world.retiree_a.id)
    visit(
        db,
        clock,
        world.staff1,
        world.retiree_a.id,
        follow_up="联系装扶手",
        follow_up_owner_id=world.staff1.id,
        follow_up_due=date(2026, 3, 9),
    )
    family = wechat_headers(client, fake_wechat.base_url, "openid-fa")
    care = client.get(
        "/api/v1/visits/care", params={"retiree_id": world.retiree_a.id}, headers=family
    ).json()
    assert care["last_visit_on"] == "2026-03-02" and care["last_visit_kind"] == "上门"
    assert care["last_contact_kind"] == "上门"
    assert [f["text"] for f in care["follow_ups"]] == ["联系装扶手"]
    assert not care["callback_pending"]
    first = client.post(
        "/api/v1/visits/callback", json={"retiree_id": world.retiree_a.id}, headers=family
    ).json()
    again = client.post(
        "/api/v1/visits/callback", json={"retiree_id": world.retiree_a.id}, headers=family
    ).json()
    assert first["task_id"] == again["task_id"]
    assert "请留意接听" in again["message"]
    staff = staff_headers(client, "staff1")
    due = client.get("/api/v1/staff/visits/due", headers=staff).json()["data"]
    assert [r["reason"] for r in due if r["task_id"]] == ["回电话"]
    inbox = client.get("/api/v1/inbox", headers=family).json()["data"]
    assert any(i["title"] == "已请工作人员回电话" for i in inbox)
    # The other family never sees retiree A's care.
    other = wechat_headers(client, fake_wechat.base_url, "openid-fb")
    assert (
        client.get(
            "/api/v1/visits/care", params={"retiree_id": world.retiree_a.id}, headers=other
        ).status_code
        == 404
    )


def test_when_a_retiree_dies_their_open_tasks_and_follow_ups_end(
    client: httpx.Client, world: World, clock, db: Session
) -> None:
    assign(db, clock, world.staff1, world.staff1, world.retiree_a.id)
    visit(
        db,
        clock,
        world.staff1,
        world.retiree_a.id,
        follow_up="送药",
        follow_up_owner_id=world.staff1.id,
        follow_up_due=date(2026, 3, 9),
    )
    db.close()
    staff = staff_headers(client, "staff1")
    client.post(
        "/api/v1/staff/visits/events",
        json={"retiree_id": world.retiree_a.id, "kind": "住院"},
        headers=staff,
    )
    marked = client.post(
        f"/api/v1/staff/retirees/{world.retiree_a.id}/status",
        json={"status": "去世", "died_on": "2026-03-01"},
        headers=staff,
    )
    assert marked.status_code == 200, marked.text
    assert client.get("/api/v1/staff/visits/follow-ups", headers=staff).json()["count"] == 0
    assert client.get("/api/v1/staff/visits/due", headers=staff).json()["count"] == 0


def test_limits_on_dates_and_a_second_report_joins_the_open_task(
    db: Session, world: World, clock
) -> None:
    from backend.visits import tasks
    from backend.visits.schemas import EventIn, EventKind

    with pytest.raises(BadRequest, match="两个月以内"):
        visit(
            db,
            clock,
            world.staff1,
            world.retiree_a.id,
            visited_at=datetime(2025, 12, 31, 2, 0, tzinfo=UTC),
        )
    db.rollback()
    with pytest.raises(ValueError, match="最长三个月"):
        CampaignIn(
            festival=Festival.spring,
            unit_id=world.unit1.id,
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 4, 15),
        )
    first = tasks.report_event(
        db,
        clock=clock,
        retiree=world.retiree_a,
        reported_by="家属",
        data=EventIn(retiree_id=world.retiree_a.id, kind=EventKind.hospital, detail="肺炎"),
    )
    again = tasks.report_event(
        db,
        clock=clock,
        retiree=world.retiree_a,
        reported_by="本人",
        data=EventIn(retiree_id=world.retiree_a.id, kind=EventKind.hospital, detail="转到三院"),
    )
    assert again.id == first.id and again.detail == "肺炎；转到三院"


def test_a_visit_recorded_later_dates_the_contact_when_it_happened(
    db: Session, world: World, clock
) -> None:
    clock.set(datetime(2026, 4, 3, 2, 0, tzinfo=UTC))
    visit(
        db,
        clock,
        world.staff1,
        world.retiree_a.id,
        visited_at=datetime(2026, 3, 30, 2, 0, tzinfo=UTC),
    )
    last = contacts.history(db, retiree=world.retiree_a, limit=1)[0]
    assert last.at.date() == date(2026, 3, 30)
    # So it is not April's contact.
    page = contacts.due(db, clock=clock, scope=scope_of(db, world.staff1))
    assert world.retiree_a.id in {r.retiree_id for r in page.data}
