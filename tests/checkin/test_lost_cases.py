"""失联 cases (Jilin 第十五条, issue 17 part 4): opened by the daily job after six whole calendar
months on Shanghai dates, once per retiree; investigated, the pause decided, reported to the
parent unit, closed with how contact came back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx
from sqlmodel import Session, col, select

from backend.accounts.models import AuditLog
from backend.checkin import scheduled
from backend.checkin.contacts import add_months, is_lost
from backend.checkin.models import LostContactCase
from backend.core.context import AppContext
from backend.notices.models import StaffAlert
from tests.factories import World, make_retiree, staff_headers

BASE = "/api/v1/staff/lost-cases"


def _shanghai(y: int, m: int, d: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(y, m, d, hour, minute, tzinfo=UTC) - timedelta(hours=8)


def _log(client: httpx.Client, headers: dict[str, str], retiree_id: int) -> None:
    response = client.post(
        "/api/v1/staff/contacts",
        json={"retiree_id": retiree_id, "channel": "电话"},
        headers=headers,
    )
    assert response.status_code == 201, response.text


def _cases(engine) -> list[LostContactCase]:
    with Session(engine) as db:
        return list(db.exec(select(LostContactCase).order_by(col(LostContactCase.id))).all())


def _audits(engine, action: str) -> int:
    with Session(engine) as db:
        return len(db.exec(select(AuditLog).where(AuditLog.action == action)).all())


def test_six_months_from_a_month_end_in_a_leap_year() -> None:
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    last = _shanghai(2027, 8, 31, 9)
    assert is_lost(last, _shanghai(2028, 2, 28, 23, 59)) is False
    assert is_lost(last, _shanghai(2028, 2, 29, 0, 0)) is True
    # 8月30日 and 8月29日 end on the same day in a common year: 2月28日.
    assert add_months(date(2026, 8, 29), 6) == date(2027, 2, 28)


def test_the_job_opens_a_case_on_the_day_six_months_are_up_and_only_once(
    client: httpx.Client, world: World, engine, clock, cipher, ctx: AppContext
) -> None:
    quiet = make_retiree(engine, clock, cipher, unit=world.unit1, name="郑失联")
    clock.set(_shanghai(2026, 8, 31, 10))  # everyone contacted on 8月31日
    staff = staff_headers(client, "staff1")
    for rid in (quiet.id, world.retiree_a.id):
        _log(client, staff, rid)
    _log(client, staff_headers(client, "staff2"), world.retiree_b.id)
    # 2027-02-27 23:59 Shanghai: five months and 27 days — nothing yet.
    clock.set(_shanghai(2027, 2, 27, 23, 59))
    assert scheduled.open_lost_cases(ctx) == 0
    # 2月28日 00:00 Shanghai (still the 27th in UTC): six whole months from 8月31日.
    clock.set(_shanghai(2027, 2, 28, 0, 0))
    assert clock.now().day == 27
    assert scheduled.open_lost_cases(ctx) == 3
    assert scheduled.open_lost_cases(ctx) == 0  # a second run, a second worker: nothing new
    clock.advance(timedelta(days=3))
    assert scheduled.open_lost_cases(ctx) == 0
    cases = _cases(engine)
    assert sorted(c.retiree_id for c in cases) == sorted(
        [quiet.id, world.retiree_a.id, world.retiree_b.id]
    )
    assert {c.lost_on for c in cases} == {date(2027, 2, 28)}
    assert _audits(engine, "lost_case.open") == 3
    with Session(engine) as db:
        alerts = db.exec(select(StaffAlert).where(col(StaffAlert.dedupe_key).like("lost:%"))).all()
    assert len(alerts) == 3
    mine = next(a for a in alerts if "郑失联" in a.title)
    assert mine.unit_id == world.unit1.id and mine.link.startswith("/console/lost/")


def test_someone_never_contacted_counts_from_the_day_they_were_added(
    world: World, engine, clock, ctx: AppContext
) -> None:
    # The world was built at 2026-03-02 10:00 Shanghai; nobody was ever contacted.
    clock.set(_shanghai(2026, 9, 1, 23, 59))
    assert scheduled.open_lost_cases(ctx) == 0
    clock.set(_shanghai(2026, 9, 2, 0, 0))
    assert scheduled.open_lost_cases(ctx) == 2


def _open_for_a(world: World, clock, ctx: AppContext) -> int:
    clock.set(_shanghai(2026, 9, 2, 9))
    assert scheduled.open_lost_cases(ctx) == 2
    with Session(ctx.engine) as db:
        case = db.exec(
            select(LostContactCase).where(LostContactCase.retiree_id == world.retiree_a.id)
        ).one()
    return case.id or 0


def test_the_unit_and_its_parents_see_the_case_a_sibling_unit_does_not(
    client: httpx.Client, world: World, clock, ctx: AppContext
) -> None:
    case_id = _open_for_a(world, clock, ctx)  # 王建国 lives under 和平里服务站 (under 第一军休所)
    staff1, staff2 = staff_headers(client, "staff1"), staff_headers(client, "staff2")
    admin = staff_headers(client, "admin1")
    assert client.get(f"{BASE}/{case_id}", headers=staff1).status_code == 200
    assert client.get(f"{BASE}/{case_id}", headers=admin).status_code == 200
    hidden = client.get(f"{BASE}/{case_id}", headers=staff2)
    assert hidden.status_code == 404
    assert hidden.json()["message"] == "没有找到这个失联记录。"
    assert case_id not in [r["id"] for r in client.get(BASE, headers=staff2).json()["data"]]
    listed = client.get(BASE, headers=staff1).json()["data"]
    assert [r["retiree_name"] for r in listed] == ["王建国"]
    row = listed[0]
    assert row["status"] == "处理中" and row["pause_decision"] == "待决定"
    assert row["days_since_contact"] == 184  # 2026-03-02 → 2026-09-02
    assert row["report_unit_name"] == "第一军休所"
    # The report goes to the parent: 第一军休所 receives 王建国's; the centre receives
    # 李秀兰's (第二军休所 is right under it) and sees the whole subtree's.
    reported1 = [
        r["retiree_name"] for r in client.get(f"{BASE}/reports", headers=staff1).json()["data"]
    ]
    assert reported1 == ["王建国"]
    reported2 = client.get(f"{BASE}/reports", headers=staff2).json()["data"]
    assert reported2 == []
    centre = [
        r["retiree_name"] for r in client.get(f"{BASE}/reports", headers=admin).json()["data"]
    ]
    assert sorted(centre) == ["李秀兰", "王建国"]
    book = client.get(f"{BASE}/reports.xlsx", headers=staff1)
    assert book.status_code == 200 and book.content[:2] == b"PK"
    # Writes by the sibling unit are refused the same way, and change nothing.
    refused = client.post(f"{BASE}/{case_id}/notes", json={"text": "查过了"}, headers=staff2)
    assert refused.status_code == 404


def test_investigate_pause_contact_close_and_resume(
    client: httpx.Client, world: World, engine, clock, ctx: AppContext
) -> None:
    case_id = _open_for_a(world, clock, ctx)
    staff = staff_headers(client, "staff1")
    detail = client.get(f"{BASE}/{case_id}", headers=staff).json()
    assert [s["id"] for s in detail["investigators"]] == [world.staff1.id]  # not staff2
    assert detail["investigation_due"] == "2026-09-17"
    assigned = client.post(
        f"{BASE}/{case_id}/investigation",
        json={"investigator_staff_id": world.staff1.id, "due_on": "2026-09-20"},
        headers=staff,
    )
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["investigator"] == "工作人员"
    wrong = client.post(
        f"{BASE}/{case_id}/investigation",
        json={"investigator_staff_id": world.staff2.id, "due_on": "2026-09-20"},
        headers=staff,
    )
    assert wrong.status_code == 400 and "从列表里选择" in wrong.json()["message"]
    noted = client.post(
        f"{BASE}/{case_id}/notes", json={"text": "上门两次没人，邻居说去女儿家了"}, headers=staff
    )
    assert noted.status_code == 200
    paused = client.post(
        f"{BASE}/{case_id}/pause-decision",
        json={"decision": "暂停发放", "reason": "按规定暂停，等查清"},
        headers=staff,
    ).json()
    assert paused["pause_decision"] == "已暂停发放" and paused["retiree_status"] == "暂停"
    # A contact recorded now closes nothing; the case shows it.
    clock.advance(timedelta(days=2))
    staff = staff_headers(client, "staff1")
    _log(client, staff, world.retiree_a.id)
    shown = client.get(f"{BASE}/{case_id}", headers=staff).json()
    assert shown["status"] == "处理中" and shown["contacts_since_opened"] == 1
    assert shown["can_resume_payments"] is True
    assert shown["days_since_contact"] == 0
    whats = [t["what"] for t in shown["timeline"]]
    assert whats[0].startswith("立案") and whats[-1].startswith("记了一次联系（电话）")
    assert any(w.startswith("暂停发放") for w in whats)
    # Closing: a day in the future is refused; "其他" needs a note.
    future = client.post(
        f"{BASE}/{case_id}/close",
        json={"how": "电话联系上", "restored_on": "2026-12-01"},
        headers=staff,
    )
    assert future.status_code == 400 and "不能晚于今天" in future.json()["message"]
    other = client.post(
        f"{BASE}/{case_id}/close", json={"how": "其他", "restored_on": "2026-09-04"}, headers=staff
    )
    assert other.status_code == 422
    closed = client.post(
        f"{BASE}/{case_id}/close",
        json={"how": "电话联系上", "restored_on": "2026-09-04", "resume_payments": True},
        headers=staff,
    )
    assert closed.status_code == 200, closed.text
    body = closed.json()
    assert body["status"] == "已结案" and body["restored_how"] == "电话联系上"
    assert body["retiree_status"] == "在册"
    again = client.post(f"{BASE}/{case_id}/notes", json={"text": "再补一句"}, headers=staff)
    assert again.status_code == 400
    for action in (
        "lost_case.assign",
        "lost_case.note",
        "lost_case.pause_decision",
        "lost_case.close",
    ):
        assert _audits(engine, action) == 1, action
    assert _audits(engine, "retiree.status") == 2  # paused, resumed — through the same function
    # The next day's job opens nothing: contact came back.
    clock.advance(timedelta(days=1))
    assert scheduled.open_lost_cases(ctx) == 0
    assert len([c for c in _cases(engine) if c.retiree_id == world.retiree_a.id]) == 1


def test_a_case_closed_without_a_contact_record_counts_from_the_restored_day(
    client: httpx.Client, world: World, engine, clock, ctx: AppContext
) -> None:
    case_id = _open_for_a(world, clock, ctx)
    staff = staff_headers(client, "staff1")
    closed = client.post(
        f"{BASE}/{case_id}/close",
        json={"how": "家属告知", "restored_on": "2026-09-02", "note": "女儿来电，在外地住院"},
        headers=staff,
    )
    assert closed.status_code == 200, closed.text
    due = client.get("/api/v1/staff/contacts/due", headers=staff).json()["data"]
    assert next(r for r in due if r["retiree_name"] == "王建国")["lost_contact"] is False
    clock.set(_shanghai(2027, 3, 1, 23, 59))
    scheduled.open_lost_cases(ctx)
    assert len([c for c in _cases(engine) if c.retiree_id == world.retiree_a.id]) == 1
    clock.set(_shanghai(2027, 3, 2, 0, 0))
    scheduled.open_lost_cases(ctx)
    again = [c for c in _cases(engine) if c.retiree_id == world.retiree_a.id]
    assert len(again) == 2 and again[-1].status == "open"


def test_deciding_not_to_pause_is_recorded_and_marking_deceased_closes_the_case(
    client: httpx.Client, world: World, engine, clock, ctx: AppContext
) -> None:
    case_id = _open_for_a(world, clock, ctx)
    staff = staff_headers(client, "staff1")
    kept = client.post(
        f"{BASE}/{case_id}/pause-decision",
        json={"decision": "不暂停", "reason": "家属说在外地看病，正在核实"},
        headers=staff,
    ).json()
    assert kept["pause_decision"] == "不暂停" and kept["retiree_status"] == "在册"
    blank = client.post(
        f"{BASE}/{case_id}/pause-decision", json={"decision": "不暂停", "reason": ""}, headers=staff
    )
    assert blank.status_code == 422
    marked = client.post(
        f"/api/v1/staff/retirees/{world.retiree_a.id}/status",
        json={"status": "去世", "note": "家属告知", "died_on": "2026-03-01"},
        headers=staff,
    )
    assert marked.status_code == 200, marked.text
    shown = client.get(f"{BASE}/{case_id}", headers=staff).json()
    assert shown["status"] == "已结案" and shown["restored_how"] == "确认去世"


def test_the_database_refuses_a_second_open_case_for_the_same_retiree(
    world: World, engine, clock
) -> None:
    """Two workers' jobs racing: each passed the "has none open" check; the second insert is
    refused by the unique column and that job moves on."""
    from backend.accounts import directory
    from backend.checkin import lost
    from backend.core.db import transaction

    clock.set(_shanghai(2026, 9, 2, 9))
    with transaction(engine) as db:
        person = directory.person(db, world.retiree_a.id)
        assert person is not None
        first = lost._open(db, clock=clock, person=person, heard=clock.now(), report_unit_id=None)
        second = lost._open(db, clock=clock, person=person, heard=clock.now(), report_unit_id=None)
    assert first is not None and second is None
    assert len(_cases(engine)) == 1
    with Session(engine) as db:
        opened = db.exec(select(AuditLog).where(AuditLog.action == "lost_case.open")).all()
    assert len(opened) == 1 and opened[0].staff_id is None and opened[0].actor == "system"


def test_pause_decisions_go_through_the_monthly_contact_pause(
    client: httpx.Client, world: World, engine, clock, ctx: AppContext
) -> None:
    case_id = _open_for_a(world, clock, ctx)
    staff = staff_headers(client, "staff1")
    # Already paused from the 每月联系 page: deciding 暂停发放 keeps it so, without an error.
    paused = client.post(
        f"/api/v1/staff/retirees/{world.retiree_a.id}/pause-payments", headers=staff
    )
    assert paused.status_code == 200
    decided = client.post(
        f"{BASE}/{case_id}/pause-decision",
        json={"decision": "暂停发放", "reason": "按规定"},
        headers=staff,
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["retiree_status"] == "暂停"
    # Changing the decision to 不暂停 resumes payments.
    kept = client.post(
        f"{BASE}/{case_id}/pause-decision",
        json={"decision": "不暂停", "reason": "家属来电说明情况"},
        headers=staff,
    ).json()
    assert kept["pause_decision"] == "不暂停" and kept["retiree_status"] == "在册"
    # Closing on a day before the last contact is refused.
    early = client.post(
        f"{BASE}/{case_id}/close",
        json={"how": "本人来所", "restored_on": "2026-03-01"},
        headers=staff,
    )
    assert early.status_code == 400 and "不能早于" in early.json()["message"]


def test_a_top_unit_lists_its_own_cases_among_the_reports(
    client: httpx.Client, world: World, engine, clock, cipher, ctx: AppContext
) -> None:
    make_retiree(engine, clock, cipher, unit=world.centre, name="周中心")
    clock.set(_shanghai(2026, 9, 2, 9))
    assert scheduled.open_lost_cases(ctx) == 3
    admin = staff_headers(client, "admin1")
    rows = client.get(f"{BASE}/reports", headers=admin).json()["data"]
    mine = next(r for r in rows if r["retiree_name"] == "周中心")
    assert mine["report_unit_name"] == "上级退役军人工作部门"
    staff1 = staff_headers(client, "staff1")
    assert "周中心" not in [
        r["retiree_name"] for r in client.get(BASE, headers=staff1).json()["data"]
    ]
