"""Emergency records for the access matrix: retiree A has one emergency contact and an alert a
staff member of 第一军休所 has acknowledged ({alert_id}): acknowledging again is a 409, closing
it is allowed."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session

from backend.accounts.models import StaffAccount, Unit
from backend.core.clock import FrozenClock
from backend.sos import contacts, service
from backend.sos.schemas import ContactIn

START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # the tests' clock


def seed_sos(db: Session, *, retiree_id: int, staff_id: int, unit_id: int) -> dict[str, int]:
    clock = FrozenClock(START)
    staff = db.get(StaffAccount, staff_id)
    scope = db.get(Unit, unit_id)
    assert staff is not None and scope is not None
    contacts.replace(
        db,
        clock=clock,
        retiree_id=retiree_id,
        unit_id=unit_id,
        items=[ContactIn(name="王小红", relation="女儿", phone="13900000001")],
        by="本人",
    )
    raised = service.raise_alert(db, clock=clock, retiree_id=retiree_id, by="本人")
    service.acknowledge(db, clock=clock, staff=staff, scope=scope, alert_id=raised.alert.id or 0)
    return {"alert_id": raised.alert.id or 0}
