"""Demo 事项报告: the demo retiree reported a trip to see his daughter abroad (acknowledged) and
an award (waiting for staff); the console queue has something due."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.core.clock import Clock, local_today
from backend.matters import service
from backend.matters.models import Kind
from backend.matters.schemas import AcknowledgeIn, MatterFields


def load(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, retirees: list[Retiree]
) -> None:
    first = retirees[0]
    today = local_today(clock)
    trip = MatterFields(
        kind=Kind.travel,
        destination="新加坡",
        depart_on=today + timedelta(days=20),
        return_on=today + timedelta(days=50),
        purpose="探望女儿",
        passport_no="E81234567",
    )
    made = service.submit(db, clock=clock, retiree_id=first.id or 0, data=trip, by="本人")
    if made.flow == "报备":
        service.acknowledge(
            db, clock=clock, staff=staff, scope=scope, matter_id=made.id or 0, data=AcknowledgeIn()
        )
    award = MatterFields(kind=Kind.award, award="优秀共产党员", awarded_by="区委组织部")
    service.submit(db, clock=clock, retiree_id=first.id or 0, data=award, by="本人")
