"""The health record (第十九条): only the retiree, family with the 看健康档案 right and the
unit's medical staff read it; every read is logged (the retiree sees who) and a staff read is in
the audit log; a reported hospital stay lands in it; check-ups are activities whose results go in
it; the report is a document only those readers open."""

from __future__ import annotations

import httpx
from sqlmodel import Session, col, select

from backend.accounts.models import AuditLog
from backend.health_record.models import HealthRead
from tests.factories import World, make_family, make_staff, staff_headers, wechat_headers
from tests.health_record.matrix_seed import PDF, seed_health

RECORD = "/api/v1/health-record"
STAFF = "/api/v1/staff/health-record"


def _family_with_right(engine, clock, world: World) -> None:
    make_family(engine, clock, retiree=world.retiree_a, openid="openid-health", can_see_health=True)


def test_readers_and_their_reads(client: httpx.Client, world: World, engine, clock, fake_wechat):
    _family_with_right(engine, clock, world)
    a = world.retiree_a.id
    family = wechat_headers(client, fake_wechat.base_url, "openid-health")
    seen = client.get(RECORD, params={"retiree_id": a}, headers=family)
    assert seen.status_code == 200, seen.text
    staff = staff_headers(client, "staff1")
    assert client.get(f"{STAFF}/retirees/{a}", headers=staff).status_code == 200
    me = wechat_headers(client, fake_wechat.base_url, "openid-a")
    mine = client.get(RECORD, params={"retiree_id": a}, headers=me).json()
    readers = [r["reader"] for r in mine["reads"]]
    # Newest first: the retiree's own read, the medical staff's, the daughter's.
    assert readers == ["本人", "医务人员工作人员", "家属家属（子女）"]
    with Session(engine) as db:
        audits = db.exec(select(AuditLog).where(AuditLog.action == "health.read")).all()
        assert [e.staff_id for e in audits] == [world.staff1.id]
        assert len(db.exec(select(HealthRead)).all()) == 3


def test_the_right_is_needed_and_can_be_given(
    client: httpx.Client, world: World, fake_wechat
) -> None:
    a = world.retiree_a.id
    family = wechat_headers(client, fake_wechat.base_url, "openid-fa")
    refused = client.get(RECORD, params={"retiree_id": a}, headers=family)
    assert refused.status_code == 403
    assert refused.json()["message"].startswith("老人还没有让您看健康档案")
    me = wechat_headers(client, fake_wechat.base_url, "openid-a")
    rights = {
        "can_receive_notices": True,
        "can_submit_checkin": False,
        "can_book": False,
        "can_see_health": True,
    }
    given = client.put(
        f"/api/v1/retirees/{a}/family/{world.family_a.id}/rights", json=rights, headers=me
    )
    assert given.status_code == 200 and given.json()["can_see_health"] is True
    # The identity cache hears of the change: the very next request has the right.
    assert client.get(RECORD, params={"retiree_id": a}, headers=family).status_code == 200
    taken = {**rights, "can_see_health": False}
    client.put(f"/api/v1/retirees/{a}/family/{world.family_a.id}/rights", json=taken, headers=me)
    assert client.get(RECORD, params={"retiree_id": a}, headers=family).status_code == 403
    # A family member cannot give themselves the right.
    selfish = client.put(
        f"/api/v1/retirees/{a}/family/{world.family_a.id}/rights", json=rights, headers=family
    )
    assert selfish.status_code == 403


def test_only_medical_staff_and_the_admin_can_make_one(
    client: httpx.Client, world: World, engine, clock
) -> None:
    make_staff(engine, clock, unit=world.unit1, username="clerk")
    clerk = staff_headers(client, "clerk")
    refused = client.get(f"{STAFF}/retirees/{world.retiree_a.id}", headers=clerk)
    assert refused.status_code == 403 and "医务人员" in refused.json()["message"]
    admin = staff_headers(client, "admin1")
    # Being an admin does not open the record either.
    assert client.get(f"{STAFF}/retirees/{world.retiree_a.id}", headers=admin).status_code == 403
    accounts = client.get("/api/v1/staff/accounts", headers=admin).json()
    clerk_id = next(s["id"] for s in accounts if s["username"] == "clerk")
    made = client.put(
        f"/api/v1/staff/accounts/{clerk_id}/medical", json={"is_medical": True}, headers=admin
    )
    assert made.status_code == 200 and made.json()["is_medical"] is True
    assert client.get(f"{STAFF}/retirees/{world.retiree_a.id}", headers=clerk).status_code == 200
    with Session(engine) as db:
        assert db.exec(select(AuditLog).where(AuditLog.action == "staff.medical")).first()


def test_a_reported_hospital_stay_is_in_the_record(
    client: httpx.Client, world: World, fake_wechat
) -> None:
    a = world.retiree_a.id
    me = wechat_headers(client, fake_wechat.base_url, "openid-a")
    told = client.post(
        "/api/v1/visits/events",
        json={"retiree_id": a, "kind": "住院", "detail": "肺炎，住在北京医院"},
        headers=me,
    )
    assert told.status_code == 200, told.text
    entries = client.get(RECORD, params={"retiree_id": a}, headers=me).json()["entries"]
    assert [(e["kind"], e["in_hospital"], e["summary"]) for e in entries] == [
        ("住院", True, "肺炎，住在北京医院")
    ]
    assert entries[0]["when"] == "2026年3月2日住院，还没出院"
    staff = staff_headers(client, "staff1")
    early = client.put(
        f"{STAFF}/entries/{entries[0]['id']}",
        json={"place": "北京医院", "summary": "肺炎", "discharged_on": "2026-03-01"},
        headers=staff,
    )
    assert early.status_code == 400 and "出院日期" in early.json()["message"]
    out = client.put(
        f"{STAFF}/entries/{entries[0]['id']}",
        json={"place": "北京医院", "summary": "肺炎，已好转", "discharged_on": "2026-03-09"},
        headers=staff,
    ).json()
    assert out["when"] == "2026年3月2日住院，3月9日出院" and out["in_hospital"] is False


def test_checkup_results_and_the_report(
    client: httpx.Client, world: World, engine, fake_wechat
) -> None:
    with Session(engine) as db:
        ids = seed_health(db, retiree_id=world.retiree_a.id, unit_id=world.retiree_a.unit_id)
        db.commit()
    staff = staff_headers(client, "staff1")
    checkups = client.get(f"{STAFF}/checkups", headers=staff).json()
    assert [c["title"] for c in checkups] == ["2026年度体检"]
    roster = client.get(f"{STAFF}/checkups/{ids['checkup_id']}", headers=staff).json()
    assert [(p["name"], p["status"], p["entry_id"]) for p in roster["people"]] == [
        ("王建国", "已报名", ids["health_entry_id"])
    ]
    twice = client.post(
        f"{STAFF}/entries",
        json={
            "retiree_id": world.retiree_a.id,
            "kind": "体检",
            "happened_on": "2026-03-01",
            "activity_id": ids["checkup_id"],
        },
        headers=staff,
    )
    assert twice.status_code == 400 and "已经录过" in twice.json()["message"]
    later = client.post(
        f"{STAFF}/entries",
        json={"retiree_id": world.retiree_a.id, "kind": "体检", "happened_on": "2026-03-03"},
        headers=staff,
    )
    assert later.status_code == 400 and "晚于今天" in later.json()["message"]
    wrong = client.post(
        f"{STAFF}/entries",
        json={
            "retiree_id": world.retiree_a.id,
            "kind": "住院",
            "happened_on": "2026-03-01",
            "activity_id": ids["checkup_id"],
        },
        headers=staff,
    )
    assert wrong.status_code == 422 and "体检" in wrong.text
    entry = ids["health_entry_id"]
    new_pdf = PDF + b"% new\n"
    up = client.post(
        f"{STAFF}/entries/{entry}/report", files={"file": ("r.pdf", new_pdf)}, headers=staff
    )
    assert up.status_code == 200 and up.json()["has_report"] is True
    not_pdf = client.post(
        f"{STAFF}/entries/{entry}/report", files={"file": ("r.txt", b"hello")}, headers=staff
    )
    assert not_pdf.status_code == 415
    me = wechat_headers(client, fake_wechat.base_url, "openid-a")
    got = client.get(
        f"{RECORD}/entries/{entry}/report", params={"retiree_id": world.retiree_a.id}, headers=me
    )
    assert got.status_code == 200 and got.content == new_pdf
    assert got.headers["content-type"] == "application/pdf"
    with Session(engine) as db:
        whats = db.exec(select(HealthRead.what).order_by(col(HealthRead.id))).all()
        assert whats == ["体检报告"]


def _activity(client: httpx.Client, staff, world: World, category: str) -> int:
    made = client.post(
        "/api/v1/staff/activities",
        json={
            "category": category,
            "title": f"{category}（第一组）",
            "place": "解放军总医院",
            "starts_at": "2026-04-01T08:00:00+08:00",
            "capacity": 20,
            "unit_id": world.unit1.id,
        },
        headers=staff,
    )
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def test_a_check_up_is_an_activity_category(client: httpx.Client, world: World) -> None:
    staff = staff_headers(client, "staff1")
    checkup = _activity(client, staff, world, "体检")
    outing = _activity(client, staff, world, "文体活动")
    checkups = client.get(f"{STAFF}/checkups", headers=staff).json()
    assert [c["activity_id"] for c in checkups] == [checkup]
    assert client.get(f"{STAFF}/checkups/{outing}", headers=staff).status_code == 400
    linked = client.post(
        f"{STAFF}/entries",
        json={
            "retiree_id": world.retiree_a.id,
            "kind": "体检",
            "happened_on": "2026-03-01",
            "activity_id": outing,
        },
        headers=staff,
    )
    assert linked.status_code == 400 and "不是体检" in linked.json()["message"]


def test_the_health_flags_follow_the_right(
    client: httpx.Client, world: World, engine, clock, fake_wechat
) -> None:
    """失能, 失智, 重病 say something of health: a family member without 看健康档案 does not see
    them on the retiree's page (高龄 still shows); with the right, and the retiree, see all."""
    a = world.retiree_a.id
    flagged = client.patch(
        f"/api/v1/staff/retirees/{a}",
        json={"care_flags": ["失能", "重病", "高龄"]},
        headers=staff_headers(client, "staff1"),
    )
    assert flagged.status_code == 200, flagged.text
    _family_with_right(engine, clock, world)

    def flags(openid: str) -> list[str]:
        headers = wechat_headers(client, fake_wechat.base_url, openid)
        seen = client.get(f"/api/v1/retirees/{a}", headers=headers)
        assert seen.status_code == 200, seen.text
        return sorted(seen.json()["care_flags"])

    assert flags("openid-fa") == ["高龄"]  # family without the right
    assert flags("openid-health") == ["失能", "重病", "高龄"]
    assert flags("openid-a") == ["失能", "重病", "高龄"]  # the retiree
