"""What the access matrix needs for contact, on 第一军休所's side: a shift for staff1 on the
test clock's Monday and another number of the unit."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlmodel import Session

from backend.accounts.models import StaffAccount, Unit
from backend.contact import service
from backend.contact.schemas import ShiftIn, UnitPhoneIn
from backend.core.clock import FrozenClock

START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # the tests' clock


def seed_contact(db: Session, *, staff_id: int, unit_id: int) -> dict[str, int]:
    clock = FrozenClock(START)
    staff = db.get(StaffAccount, staff_id)
    scope = db.get(Unit, unit_id)
    assert staff is not None and scope is not None
    shift = service.create_shift(
        db,
        clock=clock,
        staff=staff,
        scope=scope,
        data=ShiftIn(
            staff_id=staff_id,
            day=date(2026, 3, 2),
            start=time(8),
            end=time(17, 30),
            phone="13900000009",
        ),
    )
    phone = service.add_phone(
        db,
        clock=clock,
        staff=staff,
        scope=scope,
        unit_id=unit_id,
        data=UnitPhoneIn(label="值班电话", phone="0431-80000002"),
    )
    return {"shift_id": shift.id or 0, "phone_id": phone.id or 0, "unit_id": unit_id}
