"""Demo phones and duty roster: the two 军休所's other numbers and this week's day shifts (a
weekday 08:30–17:30 and a Saturday morning), so `make run` shows who is on duty; evenings and
Sundays fall back to the unit's main number."""

from __future__ import annotations

from datetime import time, timedelta

from sqlmodel import Session

from backend.accounts.models import StaffAccount, Unit
from backend.contact import service
from backend.contact.schemas import ShiftIn, UnitPhoneIn
from backend.core.clock import Clock, local_today

PHONES = {
    "第一军休所": [("值班电话", "010-64210009"), ("医务室", "010-64210120")],
    "第二军休所": [("办公室", "010-68210003")],
}


def load(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    rota: list[tuple[Unit, StaffAccount]],
) -> None:
    """`rota`: each unit with the staff member who keeps its day shifts this week."""
    monday = local_today(clock) - timedelta(days=local_today(clock).weekday())
    for unit, person in rota:
        for label, phone in PHONES.get(unit.name, []):
            service.add_phone(
                db,
                clock=clock,
                staff=staff,
                scope=scope,
                unit_id=unit.id or 0,
                data=UnitPhoneIn(label=label, phone=phone),
            )
        for offset in range(6):
            start, end = (time(8, 30), time(17, 30)) if offset < 5 else (time(9), time(12))
            service.create_shift(
                db,
                clock=clock,
                staff=staff,
                scope=scope,
                data=ShiftIn(
                    staff_id=person.id or 0,
                    day=monday + timedelta(days=offset),
                    start=start,
                    end=end,
                    unit_id=unit.id,
                ),
            )
