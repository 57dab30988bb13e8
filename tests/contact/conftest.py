"""Helpers for the contact tests: staff with phones, shifts and phones written through the
service, a frozen clock of their own (the session clock is shared)."""

from __future__ import annotations

from datetime import date, time

from sqlmodel import Session

from backend.accounts.models import StaffAccount, Unit
from backend.contact import service
from backend.contact.models import DutyShift
from backend.contact.schemas import MainPhoneIn, ShiftIn, UnitPhoneIn
from backend.core.clock import Clock
from tests.factories import World, make_staff


def staff_with_phone(engine, clock: Clock, *, unit: Unit, username: str, name: str, phone: str):
    staff = make_staff(engine, clock, unit=unit, username=username, display_name=name)
    with Session(engine) as db:
        row = db.get(StaffAccount, staff.id)
        assert row is not None
        row.phone = phone
        db.add(row)
        db.commit()
        db.refresh(row)
        return row


def add_shift(
    db: Session,
    clock: Clock,
    world: World,
    *,
    staff_id: int,
    day: date,
    start: time,
    end: time,
    unit: Unit | None = None,
    phone: str | None = None,
    by: StaffAccount | None = None,
) -> DutyShift:
    me = db.get(StaffAccount, (by or world.admin).id)
    scope = db.get(Unit, (me.unit_id if me else world.centre.id))
    assert me is not None and scope is not None
    return service.create_shift(
        db,
        clock=clock,
        staff=me,
        scope=scope,
        data=ShiftIn(
            staff_id=staff_id,
            day=day,
            start=start,
            end=end,
            phone=phone,
            unit_id=(unit or world.unit1).id,
        ),
    )


def set_phone(db: Session, clock: Clock, world: World, unit: Unit, phone: str) -> None:
    me = db.get(StaffAccount, world.admin.id)
    scope = db.get(Unit, world.centre.id)
    assert me is not None and scope is not None
    service.set_main_phone(
        db, clock=clock, staff=me, scope=scope, unit_id=unit.id or 0, data=MainPhoneIn(phone=phone)
    )


def add_unit_phone(db: Session, clock: Clock, world: World, unit: Unit, label: str, phone: str):
    me = db.get(StaffAccount, world.admin.id)
    scope = db.get(Unit, world.centre.id)
    assert me is not None and scope is not None
    return service.add_phone(
        db,
        clock=clock,
        staff=me,
        scope=scope,
        unit_id=unit.id or 0,
        data=UnitPhoneIn(label=label, phone=phone),
    )
