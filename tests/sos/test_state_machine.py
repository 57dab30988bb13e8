"""一键求助 as a state machine, on the services with an injected clock: raised → escalated →
acknowledged → closed, who and when at each step, every other move a 409 in Chinese; a repeated
tap finds the open alert; escalation at exactly N minutes, once; nothing told unless the alert
is committed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from backend.accounts.models import AuditLog, StaffAccount, Unit
from backend.core.db import transaction
from backend.core.errors import Conflict
from backend.notices.models import Notice, StaffAlert
from backend.sos import contacts, scheduled, service
from backend.sos.models import AlertStatus, Outcome, SosAlert, SosCall
from backend.sos.schemas import CloseIn, ContactIn
from tests.factories import World


def _raise(engine, clock, world: World, by: str = "本人") -> service.Raised:
    with transaction(engine) as db:
        return service.raise_alert(db, clock=clock, retiree_id=world.retiree_a.id, by=by)


def _staff(db: Session, world: World) -> tuple[StaffAccount, Unit]:
    staff = db.get(StaffAccount, world.staff1.id)
    unit = db.get(Unit, world.unit1.id)
    assert staff is not None and unit is not None
    return staff, unit


def _ack(engine, clock, world: World, alert_id: int) -> SosAlert:
    with transaction(engine) as db:
        staff, unit = _staff(db, world)
        return service.acknowledge(db, clock=clock, staff=staff, scope=unit, alert_id=alert_id)


def _close(engine, clock, world: World, alert_id: int, outcome: Outcome) -> SosAlert:
    with transaction(engine) as db:
        staff, unit = _staff(db, world)
        return service.close(
            db,
            clock=clock,
            staff=staff,
            scope=unit,
            alert_id=alert_id,
            data=CloseIn(outcome=outcome),
        )


def _keys(engine, model) -> list[str]:
    with Session(engine) as db:
        rows = db.exec(
            select(model.dedupe_key).where(col(model.dedupe_key).startswith("sos:"))
        ).all()
    return sorted(k for k in rows if k)


def test_the_whole_way_with_who_and_when(engine, clock, world: World) -> None:
    with transaction(engine) as db:
        contacts.replace(
            db,
            clock=clock,
            retiree_id=world.retiree_a.id,
            unit_id=world.retiree_a.unit_id,
            items=[ContactIn(name="王小红", relation="女儿", phone="13900000001")],
            by="本人",
        )
    raised = _raise(engine, clock, world)
    alert = raised.alert
    assert raised.created and alert.status == AlertStatus.raised
    assert alert.raised_at == clock.now() and alert.raised_by == "本人"
    # Staff of the unit see it on the console, the retiree and family get a notice, and the
    # emergency contact is a call for staff to make, with the words to say.
    assert _keys(engine, StaffAlert) == [f"sos:{alert.id}:raised"]
    assert _keys(engine, Notice) == [f"sos:{alert.id}:raised"]
    with Session(engine) as db:
        call = db.exec(select(SosCall)).one()
    assert (call.kind, call.phone) == ("contact", "13900000001")
    assert "王建国同志" in call.message and "紧急求助" in call.message

    clock.advance(timedelta(minutes=2))
    acked = _ack(engine, clock, world, alert.id)
    assert acked.status == AlertStatus.acknowledged
    assert (acked.acknowledged_at, acked.acknowledged_by_staff_id) == (
        clock.now(),
        world.staff1.id,
    )
    clock.advance(timedelta(minutes=10))
    closed = _close(engine, clock, world, alert.id, Outcome.hospital)
    assert closed.status == AlertStatus.closed and closed.outcome == "已送医"
    assert (closed.closed_at, closed.closed_by_staff_id) == (clock.now(), world.staff1.id)
    assert closed.open_retiree_id is None
    with Session(engine) as db:
        actions = db.exec(
            select(AuditLog.action).where(AuditLog.entity == "sos_alert").order_by(col(AuditLog.id))
        ).all()
    assert list(actions) == ["sos.acknowledge", "sos.close"]
    # The retiree was told staff saw it; the escalation never happened.
    assert f"sos:{alert.id}:acknowledged" in _keys(engine, Notice)
    assert f"sos:{alert.id}:escalated" not in _keys(engine, Notice)


@pytest.mark.parametrize(
    ("steps", "move", "words"),
    [
        ([], "close", "请先点「已看到」"),
        (["ack"], "ack", "已经在"),
        (["ack", "close"], "ack", "已经处理完了"),
        (["ack", "close"], "close", "已经处理完了"),
    ],
)
def test_illegal_moves_are_refused_in_chinese(
    engine, clock, world: World, steps: list[str], move: str, words: str
) -> None:
    alert = _raise(engine, clock, world).alert
    for step in steps:
        if step == "ack":
            _ack(engine, clock, world, alert.id)
        else:
            _close(engine, clock, world, alert.id, Outcome.reached)
    with pytest.raises(Conflict) as refused:
        if move == "ack":
            _ack(engine, clock, world, alert.id)
        else:
            _close(engine, clock, world, alert.id, Outcome.mistaken)
    assert refused.value.status_code == 409
    assert words in refused.value.message


def test_a_second_tap_finds_the_open_alert(engine, clock, world: World) -> None:
    first = _raise(engine, clock, world)
    clock.advance(timedelta(seconds=20))
    again = _raise(engine, clock, world)
    by_family = _raise(engine, clock, world, by=f"家属#{world.family_a.id}")
    assert not again.created and not by_family.created
    assert again.alert.id == by_family.alert.id == first.alert.id
    assert _keys(engine, StaffAlert) == [f"sos:{first.alert.id}:raised"]  # told once
    # Once it is closed, a new tap is a new alert.
    _ack(engine, clock, world, first.alert.id)
    _close(engine, clock, world, first.alert.id, Outcome.mistaken)
    fresh = _raise(engine, clock, world)
    assert fresh.created and fresh.alert.id != first.alert.id


def test_escalation_at_exactly_n_minutes_once(engine, clock, ctx, world: World) -> None:
    with transaction(engine) as db:
        admin = db.get(StaffAccount, world.admin.id)
        assert admin is not None
        admin.phone = "13700000000"
        db.add(admin)
    minutes = ctx.settings.sos_escalate_minutes
    assert minutes == 5
    alert = _raise(engine, clock, world).alert
    clock.advance(timedelta(minutes=minutes) - timedelta(seconds=1))
    assert scheduled.escalate(ctx) == 0
    clock.advance(timedelta(seconds=1))
    assert scheduled.escalate(ctx) == 1
    assert scheduled.escalate(ctx) == 0  # a second run (another scheduler) moves nothing
    with Session(engine) as db:
        row = db.get(SosAlert, alert.id)
        assert row is not None
        assert row.status == AlertStatus.escalated and row.escalated_at == clock.now()
        leader_calls = db.exec(select(SosCall).where(SosCall.kind == "leader")).all()
        told = db.exec(
            select(StaffAlert.unit_id).where(col(StaffAlert.dedupe_key).contains(":escalated:"))
        ).all()
    # The station has no admin: its leaders are the admins of the nearest unit above (the centre).
    assert [c.phone for c in leader_calls] == ["13700000000"]
    assert set(told) == {world.centre.id, world.retiree_a.unit_id}
    # Acknowledging an escalated alert is allowed; the job never touches it again.
    clock.advance(timedelta(minutes=1))
    assert _ack(engine, clock, world, alert.id).status == AlertStatus.acknowledged
    clock.advance(timedelta(hours=1))
    assert scheduled.escalate(ctx) == 0


def test_an_acknowledged_alert_never_escalates(engine, clock, ctx, world: World) -> None:
    alert = _raise(engine, clock, world).alert
    clock.advance(timedelta(minutes=4))
    _ack(engine, clock, world, alert.id)
    clock.advance(timedelta(minutes=30))
    assert scheduled.escalate(ctx) == 0


def test_nothing_is_told_unless_the_alert_is_committed(engine, clock, world: World) -> None:
    with pytest.raises(RuntimeError), transaction(engine) as db:
        service.raise_alert(db, clock=clock, retiree_id=world.retiree_a.id, by="本人")
        raise RuntimeError("the worker stopped")
    with Session(engine) as db:
        assert db.exec(select(SosAlert)).all() == []
    assert _keys(engine, Notice) == [] and _keys(engine, StaffAlert) == []


def test_responders_are_the_units_staff(engine, world: World, clock) -> None:
    with Session(engine) as db:
        # The station has no staff of its own: the 军休所 above it answers.
        found = service.responders(db, unit_id=world.retiree_a.unit_id, at=clock.now())
        assert [p.id for p in found] == [world.staff1.id]
        assert [p.id for p in service.responders(db, unit_id=world.unit2.id, at=clock.now())] == [
            world.staff2.id
        ]


def test_a_deceased_retirees_record_raises_nothing(engine, clock, world: World) -> None:
    from backend.accounts.enums import RetireeStatus
    from backend.accounts.models import Retiree

    with transaction(engine) as db:
        row = db.get(Retiree, world.retiree_a.id)
        assert row is not None
        row.status = RetireeStatus.deceased
        db.add(row)
    with pytest.raises(Conflict), transaction(engine) as db:
        service.raise_alert(db, clock=clock, retiree_id=world.retiree_a.id, by="本人")


def test_responders_are_whoever_is_on_shift(engine, world: World, clock) -> None:
    """With the duty roster naming someone at the moment of the alert, that person is told first;
    outside the shift, the unit's staff."""
    from datetime import time as day_time

    from backend.core.clock import local_at, local_today
    from tests.contact.conftest import add_shift, staff_with_phone

    li = staff_with_phone(
        engine, clock, unit=world.unit1, username="duty_li", name="李红", phone="13900000001"
    )
    today = local_today(clock)
    with Session(engine) as db:
        add_shift(db, clock, world, staff_id=li.id, day=today, start=day_time(8), end=day_time(18))
        db.commit()
        noon, night = local_at(today, day_time(12)), local_at(today, day_time(20))
        on_shift = service.responders(db, unit_id=world.retiree_a.unit_id, at=noon)
        assert [(p.id, p.phone) for p in on_shift] == [(li.id, "13900000001")]
        after = service.responders(db, unit_id=world.retiree_a.unit_id, at=night)
        assert li.id in [p.id for p in after] and world.staff1.id in [p.id for p in after]
