"""The 报平安 job on an injected clock: the deadline to the minute, one reminder then one
escalation, quiet hours, pauses, once per day whatever the runs, the Shanghai day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session, col, select

from backend.core.actors import Actor
from backend.core.db import transaction
from backend.notices.models import InboxItem, Notice
from backend.safecheck import pauses, scheduled
from backend.safecheck.models import SafecheckDay
from backend.safecheck.schemas import PauseKind, PauseSettings
from tests.factories import World
from tests.safecheck.conftest import alert_keys, notice_keys, shanghai, tap, turn_on

D = date(2026, 3, 2)


def _recipients(engine, key: str) -> list[tuple[int, int]]:
    """(retiree id, family binding id or 0) of every inbox copy of the notice with this key."""
    with Session(engine) as db:
        rows = db.exec(
            select(InboxItem.retiree_id, InboxItem.copy_binding_id)
            .join(Notice, col(Notice.id) == col(InboxItem.notice_id))
            .where(Notice.dedupe_key == key)
        ).all()
    return sorted((int(r), int(b)) for r, b in rows)


class TestDeadline:
    def test_reminder_at_the_minute_then_escalation_after_the_grace(
        self, world: World, engine, clock, ctx
    ) -> None:
        a = world.retiree_a.id
        clock.set(shanghai(2026, 3, 2, 9, 0))
        turn_on(engine, clock, a, due_time="10:00")
        clock.set(shanghai(2026, 3, 2, 9, 59))
        assert scheduled.run(ctx).reminded == []
        clock.set(shanghai(2026, 3, 2, 10, 0))
        assert scheduled.run(ctx).reminded == [a]
        assert scheduled.run(ctx).reminded == []  # the second run finds nothing to claim
        key = f"safecheck:{a}:{D}:remind"
        assert notice_keys(engine) == [key]
        assert _recipients(engine, key) == [(a, 0)]  # the retiree only; family not yet
        clock.set(shanghai(2026, 3, 2, 10, 59))
        assert scheduled.run(ctx).escalated == []
        clock.set(shanghai(2026, 3, 2, 11, 0))
        assert scheduled.run(ctx).escalated == [(a, D)]
        assert scheduled.run(ctx).escalated == []
        assert alert_keys(engine) == [f"safecheck:{a}:{D}:staff"]
        family = f"safecheck:{a}:{D}:family"
        assert _recipients(engine, family) == [(a, world.family_a.id)]
        clock.set(shanghai(2026, 3, 2, 15, 0))
        outcome = scheduled.run(ctx)
        assert (outcome.reminded, outcome.escalated) == ([], [])
        assert len(notice_keys(engine)) == 2

    def test_a_tap_before_the_time_means_no_message(self, world: World, engine, clock, ctx):
        a = world.retiree_a.id
        clock.set(shanghai(2026, 3, 2, 8, 0))
        turn_on(engine, clock, a)
        clock.set(shanghai(2026, 3, 2, 9, 59))
        tap(engine, clock, a)
        for hour in (10, 11, 12, 20):
            clock.set(shanghai(2026, 3, 2, hour, 0))
            outcome = scheduled.run(ctx)
            assert (outcome.reminded, outcome.escalated) == ([], [])
        assert notice_keys(engine) == []

    def test_a_tap_after_the_reminder_stops_the_escalation(self, world: World, engine, clock, ctx):
        a = world.retiree_a.id
        clock.set(shanghai(2026, 3, 2, 8, 0))
        turn_on(engine, clock, a)
        clock.set(shanghai(2026, 3, 2, 10, 0))
        assert scheduled.run(ctx).reminded == [a]
        clock.set(shanghai(2026, 3, 2, 10, 30))
        tap(engine, clock, a)
        clock.set(shanghai(2026, 3, 2, 11, 30))
        assert scheduled.run(ctx).escalated == []
        assert alert_keys(engine) == []

    def test_turned_on_after_the_time_starts_tomorrow(self, world: World, engine, clock, ctx):
        a = world.retiree_a.id
        clock.set(shanghai(2026, 3, 2, 10, 30))
        turn_on(engine, clock, a, due_time="10:00")
        clock.set(shanghai(2026, 3, 2, 12, 0))
        assert scheduled.run(ctx).reminded == []
        clock.set(shanghai(2026, 3, 3, 10, 0))
        assert scheduled.run(ctx).reminded == [a]

    def test_a_late_tap_tells_those_who_were_told(self, world: World, engine, clock, ctx):
        a = world.retiree_a.id
        clock.set(shanghai(2026, 3, 2, 8, 0))
        turn_on(engine, clock, a)
        for hour in (10, 11):
            clock.set(shanghai(2026, 3, 2, hour, 0))
            scheduled.run(ctx)
        clock.set(shanghai(2026, 3, 2, 11, 20))
        tap(engine, clock, a)
        tap(engine, clock, a)
        assert f"safecheck:{a}:{D}:clear:staff" in alert_keys(engine)
        clear = f"safecheck:{a}:{D}:clear:family"
        assert _recipients(engine, clear) == [(a, world.family_a.id)]


class TestQuietHours:
    def test_an_escalation_in_quiet_hours_waits_for_their_end(
        self, world: World, engine, clock, ctx
    ) -> None:
        a = world.retiree_a.id
        clock.set(shanghai(2026, 3, 2, 8, 0))
        turn_on(engine, clock, a, due_time="20:30", quiet_start="21:00", quiet_end="07:00")
        clock.set(shanghai(2026, 3, 2, 20, 30))
        assert scheduled.run(ctx).reminded == [a]
        for when in (shanghai(2026, 3, 2, 21, 30), shanghai(2026, 3, 3, 0, 0)):
            clock.set(when)
            assert scheduled.run(ctx).escalated == []
        clock.set(shanghai(2026, 3, 3, 6, 59))
        assert scheduled.run(ctx).escalated == []
        clock.set(shanghai(2026, 3, 3, 7, 0))
        assert scheduled.run(ctx).escalated == [(a, D)]  # yesterday's, told at the end

    def test_a_tap_next_morning_before_the_end_of_quiet_hours_cancels_it(
        self, world: World, engine, clock, ctx
    ) -> None:
        a = world.retiree_a.id
        clock.set(shanghai(2026, 3, 2, 8, 0))
        turn_on(engine, clock, a, due_time="20:30", quiet_start="21:00", quiet_end="07:00")
        clock.set(shanghai(2026, 3, 2, 20, 30))
        scheduled.run(ctx)
        clock.set(shanghai(2026, 3, 3, 6, 30))
        tap(engine, clock, a)
        clock.set(shanghai(2026, 3, 3, 7, 0))
        assert scheduled.run(ctx).escalated == []

    def test_the_time_may_not_be_inside_quiet_hours(self, world: World, engine, clock) -> None:
        from backend.core.errors import BadRequest

        with pytest.raises(BadRequest) as err:
            turn_on(engine, clock, world.retiree_a.id, due_time="22:00")
        assert err.value.code == "due_in_quiet_hours"


class TestPauses:
    def _pause(self, engine, clock, retiree_id: int, **data: object) -> int:
        with transaction(engine) as db:
            pause = pauses.add(
                db,
                clock=clock,
                retiree_id=retiree_id,
                data=PauseSettings(**data),  # type: ignore[arg-type]
                actor=Actor.self_(),
            )
            return pause.id or 0

    def test_away_days_are_quiet_and_the_day_after_counts(self, world: World, engine, clock, ctx):
        a = world.retiree_a.id
        clock.set(shanghai(2026, 3, 2, 8, 0))
        turn_on(engine, clock, a)
        self._pause(engine, clock, a, kind="外出", starts_on=D, ends_on=D + timedelta(days=1))
        for day in (2, 3):
            clock.set(shanghai(2026, 3, day, 12, 0))
            assert scheduled.run(ctx).reminded == []
        clock.set(shanghai(2026, 3, 4, 10, 0))
        assert scheduled.run(ctx).reminded == [a]

    def test_a_hospital_stay_pauses_until_discharge(self, world: World, engine, clock, ctx):
        a = world.retiree_a.id
        clock.set(shanghai(2026, 3, 2, 8, 0))
        turn_on(engine, clock, a)
        pause_id = self._pause(engine, clock, a, kind=PauseKind.hospital, starts_on=D)
        clock.set(shanghai(2026, 3, 9, 12, 0))
        assert scheduled.run(ctx).reminded == []
        with transaction(engine) as db:
            pauses.end(db, clock=clock, retiree_id=a, pause_id=pause_id)
        assert scheduled.run(ctx).reminded == []  # home at noon: not within the hour
        clock.set(shanghai(2026, 3, 10, 10, 0))
        assert scheduled.run(ctx).reminded == [a]

    def test_a_pause_after_the_reminder_stops_the_escalation(
        self, world: World, engine, clock, ctx
    ) -> None:
        a = world.retiree_a.id
        clock.set(shanghai(2026, 3, 2, 8, 0))
        turn_on(engine, clock, a)
        clock.set(shanghai(2026, 3, 2, 10, 0))
        scheduled.run(ctx)
        self._pause(engine, clock, a, kind="住院", starts_on=D)
        clock.set(shanghai(2026, 3, 2, 11, 0))
        assert scheduled.run(ctx).escalated == []

    def test_away_needs_a_return_day_and_no_past_start(self, world: World, engine, clock):
        from backend.core.errors import BadRequest

        with pytest.raises(BadRequest):
            self._pause(engine, clock, world.retiree_a.id, kind="外出", starts_on=D)
        with pytest.raises(BadRequest):
            self._pause(
                engine,
                clock,
                world.retiree_a.id,
                kind="外出",
                starts_on=D - timedelta(days=1),
                ends_on=D,
            )


class TestShanghaiDay:
    def test_the_day_turns_at_shanghai_midnight_not_utc(self, world: World, engine, clock, ctx):
        a = world.retiree_a.id
        clock.set(shanghai(2026, 3, 2, 8, 0))
        turn_on(engine, clock, a)
        clock.set(shanghai(2026, 3, 2, 23, 59))  # 15:59 UTC on the 2nd
        tap(engine, clock, a)
        clock.set(shanghai(2026, 3, 3, 0, 1))  # 16:01 UTC, still the 2nd in UTC
        tap(engine, clock, a)
        with Session(engine) as db:
            days = db.exec(
                select(SafecheckDay.day)
                .where(SafecheckDay.retiree_id == a)
                .order_by(col(SafecheckDay.day))
            ).all()
        assert days == [D, D + timedelta(days=1)]
        clock.set(shanghai(2026, 3, 3, 10, 0))
        assert scheduled.run(ctx).reminded == []  # the 00:01 tap counts for the 3rd

    def test_tapping_twice_keeps_the_first_time(self, world: World, engine, clock):
        a = world.retiree_a.id
        clock.set(shanghai(2026, 3, 2, 8, 0))
        turn_on(engine, clock, a)
        tap(engine, clock, a)
        clock.set(shanghai(2026, 3, 2, 9, 0))
        tap(engine, clock, a)
        with Session(engine) as db:
            row = db.get(SafecheckDay, (a, D))
            assert row is not None and row.checked_in_at == shanghai(2026, 3, 2, 8, 0)


def test_only_living_alone_or_empty_nest_may_turn_it_on(world: World, engine, clock) -> None:
    from backend.core.errors import BadRequest

    with pytest.raises(BadRequest) as err:
        turn_on(engine, clock, world.retiree_b.id)
    assert err.value.code == "not_eligible"


def test_a_death_turns_it_off(world: World, engine, clock, ctx) -> None:
    from backend.accounts import retirees
    from backend.accounts.enums import RetireeStatus
    from backend.accounts.models import Retiree, StaffAccount
    from backend.domains import install_hooks

    install_hooks()
    a = world.retiree_a.id
    clock.set(shanghai(2026, 3, 2, 8, 0))
    turn_on(engine, clock, a)
    with transaction(engine) as db:
        retirees.change_status(
            db,
            clock=clock,
            staff=db.get(StaffAccount, world.staff1.id),
            retiree=db.get(Retiree, a),
            status=RetireeStatus.deceased,
            note="病故",
            died_on=date(2026, 3, 1),
        )
    clock.set(shanghai(2026, 3, 2, 10, 0))
    assert scheduled.run(ctx).reminded == []


def test_who_is_told_for_now(world: World, engine) -> None:
    """The named staff: the active staff of the nearest unit with staff (retiree A lives under
    和平里服务站, which has none: 第一军休所's); the emergency contacts: family who get notices."""
    from backend.safecheck import recipients

    with Session(engine) as db:
        staff = recipients.named_staff(db, retiree_id=world.retiree_a.id)
        family = recipients.emergency_contacts(db, retiree_id=world.retiree_a.id)
    assert [c.name for c in staff] == [world.staff1.display_name]
    assert [c.name for c in family] == ["家属（子女）"]


def test_away_is_at_most_three_months(world: World, engine, clock) -> None:
    from backend.core.errors import BadRequest

    with pytest.raises(BadRequest) as err, transaction(engine) as db:
        pauses.add(
            db,
            clock=clock,
            retiree_id=world.retiree_a.id,
            data=PauseSettings(kind=PauseKind.away, starts_on=D, ends_on=D + timedelta(days=93)),
            actor=Actor.self_(),
        )
    assert "3个月" in err.value.message


def test_the_staff_message_gives_the_emergency_contacts_phones(
    world: World, engine, clock, ctx
) -> None:
    """The SOS emergency contacts have no app: their numbers go to the staff, who call."""
    from backend.notices.models import StaffAlert
    from backend.safecheck import recipients
    from backend.sos import contacts
    from backend.sos.schemas import ContactIn

    a = world.retiree_a.id
    with transaction(engine) as db:
        contacts.replace(
            db,
            clock=clock,
            retiree_id=a,
            unit_id=world.station1.id,
            items=[ContactIn(name="王小红", relation="女儿", phone="13900000001")],
            by="本人",
        )
    with Session(engine) as db:
        listed = recipients.emergency_contacts(db, retiree_id=a)
    assert [(c.name, c.phone) for c in listed] == [
        ("王小红（女儿）", "13900000001"),
        ("家属（子女）", None),
    ]
    clock.set(shanghai(2026, 3, 2, 8, 0))
    turn_on(engine, clock, a)
    for hour in (10, 11):
        clock.set(shanghai(2026, 3, 2, hour, 0))
        scheduled.run(ctx)
    with Session(engine) as db:
        body = db.exec(
            select(StaffAlert.body).where(StaffAlert.dedupe_key == f"safecheck:{a}:{D}:staff")
        ).one()
    assert "紧急联系人：王小红（女儿）13900000001" in body


def test_a_hospital_stay_reported_for_a_visit_pauses_it(world: World, engine, clock, ctx) -> None:
    """Family report 住院 (visits: a visit task); the daily check pauses until discharge, so
    nobody is reminded or told that an old man in hospital has not tapped."""
    from backend.accounts.models import Retiree
    from backend.domains import install_hooks
    from backend.safecheck.models import SafecheckPause
    from backend.visits import tasks
    from backend.visits.schemas import EventIn, EventKind

    install_hooks()
    a = world.retiree_a.id
    clock.set(shanghai(2026, 3, 2, 8, 0))
    turn_on(engine, clock, a)
    with transaction(engine) as db:
        retiree = db.get(Retiree, a)
        assert retiree is not None
        data = EventIn(retiree_id=a, kind=EventKind.hospital)
        tasks.report_event(db, clock=clock, retiree=retiree, data=data, reported_by="家属")
    with Session(engine) as db:
        kinds = db.exec(select(SafecheckPause.kind).where(SafecheckPause.retiree_id == a)).all()
    assert kinds == [PauseKind.hospital.value]
    clock.set(shanghai(2026, 3, 2, 12, 0))
    assert scheduled.run(ctx).reminded == []


def test_the_named_staff_member_is_the_one_who_looks_after_them(
    world: World, engine, clock
) -> None:
    """With 定人包户 set (visits), the named staff is that person, and the unit's alert says so."""
    from backend.accounts.models import StaffAccount
    from backend.safecheck import recipients
    from tests.factories import make_staff
    from tests.visits.conftest import assign

    keeper = make_staff(engine, clock, unit=world.unit1, username="keeper", display_name="赵包户")
    with Session(engine) as db:
        admin = db.get(StaffAccount, world.admin.id)
        owner = db.get(StaffAccount, keeper.id)
        assert admin is not None and owner is not None
        assign(db, clock, admin, owner, world.retiree_a.id)
    with Session(engine) as db:
        assert [c.name for c in recipients.named_staff(db, retiree_id=world.retiree_a.id)] == [
            "赵包户"
        ]
    with transaction(engine) as db:
        recipients.tell_named_staff(
            db, clock=clock, retiree_id=world.retiree_a.id, title="t", body="b", dedupe_key="k1"
        )
    from backend.notices.models import StaffAlert

    with Session(engine) as db:
        bodies = db.exec(select(StaffAlert.body).where(StaffAlert.dedupe_key == "k1")).all()
    assert bodies == ["b（包户：赵包户）"]
