"""Who to call, and the duty roster (值班表) staff keep for it.

`on_duty(db, unit_id=…, at=…)` is the one answer to "who picks up now" for a unit — the
mini-program's 「打电话给所里」, the bot's 「今天谁值班」 and alerts that must reach a person all
ask it. Walking from the unit up to the top, the first of these that exists wins:
the staff on duty at that moment in the unit, then the unit's main number, then its other
numbers (值班电话 first), then the same at the unit above.

Every write is audited (shift phones masked: they are often a staff member's own mobile)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, col, select

from backend.accounts import audit, directory, units
from backend.accounts import staff as staff_accounts
from backend.accounts.models import StaffAccount, Unit
from backend.accounts.scope import WRONG_UNIT, ancestor_ids, contains, get_scoped
from backend.contact.models import DutyShift, UnitPhone
from backend.contact.schemas import MainPhoneIn, ShiftIn, UnitPhoneIn
from backend.core.clock import Clock, as_utc, local_at, to_local
from backend.core.errors import BadRequest, Conflict

# Which of a unit's other numbers comes first when nobody is on the roster.
_DUTY_LABEL = "值班电话"
SOURCE_SHIFT = "shift"  # a person on the roster
SOURCE_UNIT = "unit"  # the unit's own number


@dataclass(frozen=True)
class OnDuty:
    """One way to reach a person now: a staff member on shift, or a unit's number."""

    source: str  # SOURCE_SHIFT / SOURCE_UNIT
    unit_id: int
    unit_name: str
    phone: str
    label: str  # 值班 / 总机 / 值班电话 / 办公室 …
    name: str | None = None  # the staff member's name, for a shift
    staff_id: int | None = None
    shift_id: int | None = None
    ends_at: datetime | None = None  # UTC, for a shift


def _shifts_at(db: Session, unit_ids: list[int], at: datetime) -> list[DutyShift]:
    at = as_utc(at)
    return list(
        db.exec(
            select(DutyShift)
            .where(
                col(DutyShift.unit_id).in_(unit_ids),
                col(DutyShift.starts_at) <= at,
                col(DutyShift.ends_at) > at,
            )
            .order_by(col(DutyShift.starts_at), col(DutyShift.id))
        ).all()
    )


def _phones_of(db: Session, unit_ids: list[int]) -> list[UnitPhone]:
    rows = db.exec(
        select(UnitPhone).where(col(UnitPhone.unit_id).in_(unit_ids)).order_by(col(UnitPhone.id))
    ).all()
    return sorted(rows, key=lambda p: (p.label != _DUTY_LABEL, p.id or 0))


def on_duty(db: Session, *, unit_id: int, at: datetime) -> list[OnDuty]:
    """Who answers for this unit at `at` (UTC): everyone on shift then, else the unit's main
    number, else its other numbers; if the unit has none of these, the same for the unit above,
    and so on to the top. Empty when no unit on the way has any. The same five queries,
    whatever the depth of the tree."""
    unit = directory.unit(db, unit_id)
    if unit is None:
        return []
    line = list(reversed(ancestor_ids(unit)))  # own unit first
    rows = directory.units(db, line)
    shifts = _shifts_at(db, line, at)
    people = directory.staff_members(db, {s.staff_id for s in shifts})
    phones = _phones_of(db, line)
    for uid in line:
        here = rows.get(uid)
        if here is None:
            continue
        found = [
            OnDuty(
                source=SOURCE_SHIFT,
                unit_id=uid,
                unit_name=here.name,
                phone=s.phone,
                label="值班",
                name=people[s.staff_id].display_name,
                staff_id=s.staff_id,
                shift_id=s.id,
                ends_at=as_utc(s.ends_at),
            )
            for s in shifts
            if s.unit_id == uid and s.staff_id in people and people[s.staff_id].active
        ]
        if found:
            return found
        if here.phone:
            return [
                OnDuty(
                    source=SOURCE_UNIT,
                    unit_id=uid,
                    unit_name=here.name,
                    phone=here.phone,
                    label="总机",
                )
            ]
        own = [p for p in phones if p.unit_id == uid]
        if own:
            return [
                OnDuty(
                    source=SOURCE_UNIT,
                    unit_id=uid,
                    unit_name=here.name,
                    phone=own[0].phone,
                    label=own[0].label,
                )
            ]
    return []


def describe(found: list[OnDuty]) -> str:
    """In one plain sentence: who will answer, and the number."""
    if not found:
        return "没有查到所里的电话。请问一下身边的人，或者等工作人员联系您。"
    first = found[0]
    if first.source == SOURCE_SHIFT:
        names = "、".join(f.name or "" for f in found)
        return f"现在是{names}在{first.unit_name}值班，电话 {first.phone}。"
    return f"{first.unit_name}的{first.label}是 {first.phone}，工作人员会接。"


# ---- the roster --------------------------------------------------------------------------------


def shift_window(day: date, start: time, end: time) -> tuple[datetime, datetime]:
    """[start, end) in UTC of a shift typed as a Shanghai date and two clock times; an end at
    or before the start is the next day's (17:30–08:30 is a night; 08:00–08:00 is 24 hours)."""
    start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)
    starts_at = local_at(day, start)
    ends_at = local_at(day + timedelta(days=1) if end <= start else day, end)
    return starts_at, ends_at


def week_of(day: date) -> tuple[date, datetime, datetime]:
    """The Monday of the week holding `day`, and that week's [start, end) in UTC."""
    monday = day - timedelta(days=day.weekday())
    return monday, local_at(monday, time(0)), local_at(monday + timedelta(days=7), time(0))


def shifts_between(
    db: Session, *, unit_ids: list[int], starts: datetime, ends: datetime
) -> list[DutyShift]:
    """The shifts of these units that overlap [starts, ends), by start."""
    if not unit_ids:
        return []
    return list(
        db.exec(
            select(DutyShift)
            .where(
                col(DutyShift.unit_id).in_(unit_ids),
                col(DutyShift.starts_at) < ends,
                col(DutyShift.ends_at) > starts,
            )
            .order_by(col(DutyShift.starts_at), col(DutyShift.id))
        ).all()
    )


def phones_in(db: Session, unit_ids: list[int]) -> list[UnitPhone]:
    if not unit_ids:
        return []
    return list(
        db.exec(
            select(UnitPhone)
            .where(col(UnitPhone.unit_id).in_(unit_ids))
            .order_by(col(UnitPhone.unit_id), col(UnitPhone.id))
        ).all()
    )


def shift_in_scope(db: Session, shift_id: int, scope: Unit) -> DutyShift:
    """The shift with this id, if its unit is inside the scope (else "没有找到这个班次")."""
    return get_scoped(db, DutyShift, shift_id, scope)


def phone_in_scope(db: Session, phone_id: int, scope: Unit) -> UnitPhone:
    return get_scoped(db, UnitPhone, phone_id, scope)


def unit_in_scope(db: Session, unit_id: int, scope: Unit) -> Unit:
    return get_scoped(db, Unit, unit_id, scope)


def duty_staff(db: Session, scope: Unit) -> list[StaffAccount]:
    """Who may be put on the roster: the active staff of the scope's subtree."""
    return [s for s in staff_accounts.list_in_scope(db, scope) if s.active]


def _unit_for(db: Session, scope: Unit, unit_id: int | None) -> Unit:
    unit = units.get_unit(db, unit_id) if unit_id else scope
    if not contains(scope, unit):
        raise BadRequest(WRONG_UNIT)
    return unit


def hours_text(starts_at: datetime, ends_at: datetime) -> str:
    start, end = to_local(starts_at), to_local(ends_at)
    nights = (end.date() - start.date()).days
    prefix = "" if nights == 0 else ("次日" if nights == 1 else f"{nights}天后")
    return f"{start:%H:%M}–{prefix}{end:%H:%M}"


def _check_free(
    db: Session, *, staff_id: int, name: str, starts: datetime, ends: datetime, skip: int | None
) -> None:
    query = select(DutyShift).where(
        DutyShift.staff_id == staff_id,
        col(DutyShift.starts_at) < ends,
        col(DutyShift.ends_at) > starts,
    )
    if skip is not None:
        query = query.where(DutyShift.id != skip)
    clash = db.exec(query.order_by(col(DutyShift.starts_at)).limit(1)).first()
    if clash is not None:
        when = to_local(clash.starts_at)
        raise Conflict(
            f"{name}在{when.month}月{when.day}日 {hours_text(clash.starts_at, clash.ends_at)}"
            "已经有班了，同一个人的班不能重叠。请换个时间或换个人。",
            code="shift_overlap",
        )


def _shift_fields(db: Session, scope: Unit, data: ShiftIn, skip: int | None) -> dict[str, Any]:
    unit = _unit_for(db, scope, data.unit_id)
    person = get_scoped(
        db,
        StaffAccount,
        data.staff_id,
        scope,
        missing="值班人不对，请从列表里选择。",
        refuse=BadRequest,
    )
    if not person.active:
        raise BadRequest(f"{person.display_name}的账号已停用，不能排班。请换一个人。")
    starts, ends = shift_window(data.day, data.start, data.end)
    # Two staff rostering the same person at once: the second waits, then sees the first shift.
    staff_accounts.hold(db, person.id or 0)
    phone = (data.phone or "").strip() or (person.phone or "").strip()
    if not phone:
        raise BadRequest(f"{person.display_name}没有登记电话，请填上值班电话。")
    _check_free(
        db, staff_id=person.id or 0, name=person.display_name, starts=starts, ends=ends, skip=skip
    )
    return {
        "unit_id": unit.id or 0,
        "staff_id": person.id or 0,
        "starts_at": starts,
        "ends_at": ends,
        "phone": phone,
        "note": data.note.strip(),
    }


def _audited(db: Session, shift: DutyShift) -> dict[str, Any]:
    person = directory.staff_members(db, [shift.staff_id]).get(shift.staff_id)
    return {
        "unit_id": shift.unit_id,
        "on_duty": person.display_name if person else shift.staff_id,
        "starts_at": as_utc(shift.starts_at),
        "ends_at": as_utc(shift.ends_at),
        "phone": "***",
        "note": shift.note,
    }


def _record(
    db: Session,
    clock: Clock,
    staff: StaffAccount,
    action: str,
    row_id: int | None,
    unit_id: int,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    entity: str = "duty_shift",
) -> None:
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action=action,
        entity=entity,
        entity_id=row_id,
        unit_id=unit_id,
        before=before,
        after=after,
    )


def create_shift(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, data: ShiftIn
) -> DutyShift:
    fields = _shift_fields(db, scope, data, skip=None)
    shift = DutyShift(**fields, created_at=clock.now())
    db.add(shift)
    db.flush()
    after = _audited(db, shift)
    _record(db, clock, staff, "duty_shift.create", shift.id, shift.unit_id, None, after)
    return shift


def update_shift(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, shift: DutyShift, data: ShiftIn
) -> DutyShift:
    """Replace a shift's who, when, number and note (the same form as adding one)."""
    fields = _shift_fields(db, scope, data, skip=shift.id)
    before = _audited(db, shift)
    for key, value in fields.items():
        setattr(shift, key, value)
    db.add(shift)
    db.flush()
    was, now = audit.changed_fields(before, _audited(db, shift))
    _record(db, clock, staff, "duty_shift.update", shift.id, shift.unit_id, was, now)
    return shift


def delete_shift(db: Session, *, clock: Clock, staff: StaffAccount, shift: DutyShift) -> None:
    before = _audited(db, shift)
    db.delete(shift)
    db.flush()
    _record(db, clock, staff, "duty_shift.delete", shift.id, shift.unit_id, before, None)


# ---- a unit's phones ---------------------------------------------------------------------------


def set_main_phone(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, unit_id: int, data: MainPhoneIn
) -> Unit:
    """The unit's main number (Unit.phone, which accounts keeps): audited there."""
    unit = get_scoped(db, Unit, unit_id, scope)
    return units.set_phone(db, clock=clock, staff=staff, unit=unit, phone=data.phone)


def add_phone(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, unit_id: int, data: UnitPhoneIn
) -> UnitPhone:
    unit = get_scoped(db, Unit, unit_id, scope)
    row = UnitPhone(
        unit_id=unit.id or 0,
        label=data.label.strip(),
        phone=data.phone.strip(),
        created_at=clock.now(),
    )
    db.add(row)
    db.flush()
    after = {"label": row.label, "phone": row.phone}
    _record(db, clock, staff, "unit_phone.create", row.id, row.unit_id, None, after, "unit_phone")
    return row


def remove_phone(db: Session, *, clock: Clock, staff: StaffAccount, phone: UnitPhone) -> None:
    before = {"label": phone.label, "phone": phone.phone}
    db.delete(phone)
    db.flush()
    _record(
        db, clock, staff, "unit_phone.delete", phone.id, phone.unit_id, before, None, "unit_phone"
    )


def units_in(db: Session, scope: Unit) -> list[Unit]:
    return units.subtree(db, scope)
