"""The shapes people see: the week's roster per unit (staff), and what to call (mini-program)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from backend.accounts import directory
from backend.accounts.models import Unit
from backend.contact import service
from backend.contact.models import DutyShift, UnitPhone
from backend.contact.schemas import (
    CallPublic,
    OnDutyPublic,
    RosterStaff,
    ShiftStaff,
    UnitPhonesStaff,
    UnitPhoneStaff,
    UnitRoster,
)
from backend.core.clock import as_utc, to_local

WEEKDAYS = "一二三四五六日"


def day_label(day: date) -> str:
    return f"{day.month}月{day.day}日 星期{WEEKDAYS[day.weekday()]}"


def shift_staff(shift: DutyShift, *, unit_name: str, staff_name: str) -> ShiftStaff:
    return ShiftStaff(
        id=shift.id or 0,
        unit_id=shift.unit_id,
        unit_name=unit_name,
        staff_id=shift.staff_id,
        staff_name=staff_name,
        starts_at=as_utc(shift.starts_at).isoformat(),
        ends_at=as_utc(shift.ends_at).isoformat(),
        day=to_local(shift.starts_at).date().isoformat(),
        day_label=day_label(to_local(shift.starts_at).date()),
        start=f"{to_local(shift.starts_at):%H:%M}",
        end=f"{to_local(shift.ends_at):%H:%M}",
        hours=service.hours_text(shift.starts_at, shift.ends_at),
        phone=shift.phone,
        note=shift.note,
    )


def one_shift(db: Session, shift: DutyShift) -> ShiftStaff:
    names = directory.unit_names(db, [shift.unit_id])
    person = directory.staff_members(db, [shift.staff_id]).get(shift.staff_id)
    return shift_staff(
        shift,
        unit_name=names.get(shift.unit_id, ""),
        staff_name=person.display_name if person else "",
    )


def phone_staff(row: UnitPhone) -> UnitPhoneStaff:
    return UnitPhoneStaff(id=row.id or 0, unit_id=row.unit_id, label=row.label, phone=row.phone)


def unit_phones(db: Session, unit: Unit) -> UnitPhonesStaff:
    rows = service.phones_in(db, [unit.id or 0])
    return UnitPhonesStaff(
        unit_id=unit.id or 0,
        unit_name=unit.name,
        phone=unit.phone,
        phones=[phone_staff(p) for p in rows],
    )


def roster(db: Session, *, scope: Unit, day: date, unit_id: int | None = None) -> RosterStaff:
    """The week holding `day`, for every unit of the scope (or the one asked for): its phones
    and its shifts. A constant number of queries, whatever the number of units."""
    monday, starts, ends = service.week_of(day)
    shown = [u for u in service.units_in(db, scope) if unit_id is None or u.id == unit_id]
    ids = [u.id or 0 for u in shown]
    shifts = service.shifts_between(db, unit_ids=ids, starts=starts, ends=ends)
    phones = service.phones_in(db, ids)
    people = directory.staff_members(db, {s.staff_id for s in shifts})
    out = []
    for unit in shown:
        uid = unit.id or 0
        out.append(
            UnitRoster(
                unit_id=uid,
                unit_name=unit.name,
                phone=unit.phone,
                phones=[phone_staff(p) for p in phones if p.unit_id == uid],
                shifts=[
                    shift_staff(
                        s,
                        unit_name=unit.name,
                        staff_name=people[s.staff_id].display_name if s.staff_id in people else "",
                    )
                    for s in shifts
                    if s.unit_id == uid
                ],
            )
        )
    return RosterStaff(week_of=monday.isoformat(), units=out)


def call(db: Session, *, unit_id: int, at: datetime) -> CallPublic:
    """What the 「打电话给所里」 button dials for a retiree of this unit, and who answers."""
    found = service.on_duty(db, unit_id=unit_id, at=at)
    first = found[0] if found else None
    unit = directory.unit(db, unit_id)
    return CallPublic(
        who=service.describe(found),
        phone=first.phone if first else None,
        label=(f"{first.name}（值班）" if first.name else first.label) if first else "",
        unit_name=first.unit_name if first else (unit.name if unit else ""),
        on_duty=[
            OnDutyPublic(name=f.name or f.unit_name, phone=f.phone, label=f.label) for f in found
        ],
    )
