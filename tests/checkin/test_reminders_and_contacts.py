"""Reminders arrive once each (restart-safe), the overdue list reaches staff, and the monthly
contact list with 失联 flags and reversible payment pauses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from backend.checkin import scheduled
from backend.notices.models import Notice, StaffAlert
from tests.checkin.conftest import open_campaign, submit
from tests.factories import World, make_retiree, staff_headers


def _checkin_keys(engine) -> list[str]:
    with Session(engine) as db:
        keys = db.exec(
            select(Notice.dedupe_key).where(col(Notice.dedupe_key).startswith("checkin:"))
        ).all()
    return sorted(k for k in keys if k)


def _kinds(engine, retiree_id: int) -> list[str]:
    return [k.split(":")[2] for k in _checkin_keys(engine) if k.endswith(f":{retiree_id}")]


def test_reminders_once_each_through_the_campaign(
    client, world: World, engine, clock, ctx, staff1, retiree_a
) -> None:
    campaign = open_campaign(client, staff1, opens_on="2026-03-02", closes_on="2026-03-31")
    # 10:00 on the opening day: everyone due gets "it has opened", once, even if run twice.
    assert scheduled.send_reminders(ctx) == 1
    assert scheduled.send_reminders(ctx) == 0
    assert _kinds(engine, world.retiree_a.id) == ["opened"]
    # Quiet at night.
    clock.set(datetime(2026, 3, 9, 14, 0, tzinfo=UTC))  # 22:00 Shanghai
    assert scheduled.send_reminders(ctx) == 0
    clock.set(datetime(2026, 3, 9, 2, 0, tzinfo=UTC))  # a week later, 10:00
    assert scheduled.send_reminders(ctx) == 1
    assert scheduled.send_reminders(ctx) == 0
    clock.set(datetime(2026, 3, 24, 2, 0, tzinfo=UTC))  # 7 days before the deadline
    assert scheduled.send_reminders(ctx) == 1
    clock.set(datetime(2026, 3, 30, 2, 0, tzinfo=UTC))  # the day before
    assert scheduled.send_reminders(ctx) == 1
    assert scheduled.send_reminders(ctx) == 0
    assert sorted(_kinds(engine, world.retiree_a.id)) == ["due1", "due7", "opened", "week1"]
    # Someone who submitted gets no more reminders; retiree_b is in another unit, never.
    assert _kinds(engine, world.retiree_b.id) == []
    inbox = client.get("/api/v1/inbox", headers=retiree_a).json()["data"]
    assert inbox[0]["title"] == "年度登记明天截止"
    assert "3月31日" in inbox[0]["body"]
    assert campaign["id"]


def test_late_addition_gets_opened_first_not_a_flood(
    client, world: World, engine, clock, cipher, ctx, staff1
) -> None:
    open_campaign(client, staff1, opens_on="2026-03-02", closes_on="2026-03-31")
    clock.set(datetime(2026, 3, 25, 2, 0, tzinfo=UTC))
    late = make_retiree(engine, clock, cipher, unit=world.unit1, name="周后来")
    scheduled.send_reminders(ctx)
    assert _kinds(engine, late.id) == ["opened"]
    clock.advance(timedelta(hours=1))
    scheduled.send_reminders(ctx)
    assert _kinds(engine, late.id) == ["opened"]  # not due7 an hour later
    clock.set(datetime(2026, 3, 30, 2, 0, tzinfo=UTC))
    scheduled.send_reminders(ctx)
    assert sorted(_kinds(engine, late.id)) == ["due1", "opened"]


def test_submitted_stop_reminders_and_overdue_list_goes_to_staff(
    client, world: World, engine, clock, cipher, ctx, staff1, retiree_a
) -> None:
    campaign = open_campaign(client, staff1, opens_on="2026-03-02", closes_on="2026-03-10")
    make_retiree(engine, clock, cipher, unit=world.unit1, name="吴未交")
    assert submit(client, retiree_a, world.retiree_a.id).status_code == 200
    scheduled.send_reminders(ctx)
    assert _kinds(engine, world.retiree_a.id) == []
    clock.set(datetime(2026, 3, 11, 2, 0, tzinfo=UTC))
    scheduled.send_reminders(ctx)
    scheduled.send_reminders(ctx)
    with Session(engine) as db:
        alerts = db.exec(select(StaffAlert)).all()
    assert len(alerts) == 1
    assert alerts[0].unit_id == world.unit1.id
    assert "吴未交" in alerts[0].body and "王建国" not in alerts[0].body
    staff = staff_headers(client, "staff1")
    overdue = client.get(
        f"/api/v1/staff/checkin/campaigns/{campaign['id']}/submissions",
        params={"status": "overdue"},
        headers=staff,
    ).json()["data"]
    assert [r["retiree_name"] for r in overdue] == ["吴未交"]
    progress = client.get(
        f"/api/v1/staff/checkin/campaigns/{campaign['id']}/progress", headers=staff
    ).json()
    assert progress["overdue"] == 1


def test_monthly_contacts_lost_contact_and_reversible_pause(
    client, world: World, engine, clock, cipher, staff1
) -> None:
    quiet = make_retiree(engine, clock, cipher, unit=world.unit1, name="郑失联")
    # Seven months later nobody has been contacted; retiree_a gets a phone call this month.
    clock.set(datetime(2026, 10, 5, 2, 0, tzinfo=UTC))
    staff = staff_headers(client, "staff1")
    logged = client.post(
        "/api/v1/staff/contacts",
        json={"retiree_id": world.retiree_a.id, "channel": "电话", "note": "身体还好"},
        headers=staff,
    )
    assert logged.status_code == 201, logged.text
    bad = client.post(
        "/api/v1/staff/contacts",
        json={"retiree_id": quiet.id, "channel": "年度登记"},
        headers=staff,
    )
    assert bad.status_code == 422
    due = client.get("/api/v1/staff/contacts/due", headers=staff).json()
    assert due["month"] == "2026年10月"
    names = [r["retiree_name"] for r in due["data"]]
    assert "王建国" not in names and "郑失联" in names and "李秀兰" not in names
    row = next(r for r in due["data"] if r["retiree_name"] == "郑失联")
    assert row["lost_contact"] is True
    paused = client.post(f"/api/v1/staff/retirees/{quiet.id}/pause-payments", headers=staff)
    assert paused.status_code == 200
    assert paused.json()["status"] == "暂停"
    assert (
        client.post(f"/api/v1/staff/retirees/{quiet.id}/pause-payments", headers=staff).status_code
        == 400
    )
    resumed = client.post(f"/api/v1/staff/retirees/{quiet.id}/resume-payments", headers=staff)
    assert resumed.json()["status"] == "在册"
    # Next month the phoned retiree is due again.
    clock.set(datetime(2026, 11, 2, 2, 0, tzinfo=UTC))
    staff = staff_headers(client, "staff1")
    names = [
        r["retiree_name"]
        for r in client.get("/api/v1/staff/contacts/due", headers=staff).json()["data"]
    ]
    assert "王建国" in names


def test_lost_contact_counts_six_whole_calendar_months(
    client, world: World, engine, clock, cipher
) -> None:
    """Jilin 第十五条: 失联 after six months without contact, counted in whole calendar months
    from the last contact — 5 months 30 days is not yet, exactly 6 months is."""
    quiet = make_retiree(engine, clock, cipher, unit=world.unit1, name="郑失联")
    clock.set(datetime(2026, 5, 10, 2, 0, tzinfo=UTC))  # 5月10日 10:00 Shanghai
    logged = client.post(
        "/api/v1/staff/contacts",
        json={"retiree_id": quiet.id, "channel": "电话"},
        headers=staff_headers(client, "staff1"),
    )
    assert logged.status_code == 201, logged.text

    def lost_on(moment: datetime) -> bool:
        clock.set(moment)
        staff = staff_headers(client, "staff1")
        due = client.get("/api/v1/staff/contacts/due", headers=staff).json()["data"]
        return next(r for r in due if r["retiree_name"] == "郑失联")["lost_contact"]

    # 11月2日: under six months, though November is the sixth month after May.
    assert lost_on(datetime(2026, 11, 2, 2, 0, tzinfo=UTC)) is False
    # 11月9日 23:00 Shanghai: 5 months 30 days — not yet.
    assert lost_on(datetime(2026, 11, 9, 15, 0, tzinfo=UTC)) is False
    # 11月10日 00:30 Shanghai: exactly six months.
    assert lost_on(datetime(2026, 11, 9, 16, 30, tzinfo=UTC)) is True


def test_six_months_from_a_month_end_is_the_last_day_of_the_month() -> None:
    from datetime import date

    from backend.checkin.contacts import add_months, is_lost

    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    last = datetime(2026, 3, 31, 2, 0, tzinfo=UTC)  # 3月31日 Shanghai
    assert is_lost(last, datetime(2026, 9, 29, 15, 0, tzinfo=UTC)) is False  # 9月29日 23:00
    assert is_lost(last, datetime(2026, 9, 30, 2, 0, tzinfo=UTC)) is True  # 9月30日
