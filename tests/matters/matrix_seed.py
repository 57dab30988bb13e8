"""事项报告 records for the access matrix, all retiree A's (团级及以下, 和平里服务站
under 第一军休所): an application waiting for the 军休所 head ({matter_id}: nobody in
the matrix is that head, so signing is refused to all), one the head has signed
({signed_matter_id}: the centre's admin approves), an award report to acknowledge
({report_matter_id}) and a trip under way ({trip_matter_id}: left on 20 February, back
on 20 August)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import update
from sqlmodel import Session, col

from backend.core.clock import FrozenClock
from backend.matters import service
from backend.matters.models import Kind, Matter, Status
from backend.matters.schemas import MatterFields

START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # the tests' clock


def _set(db: Session, matter_id: int, **values: object) -> None:
    db.execute(update(Matter).where(col(Matter.id) == matter_id).values(**values))


def seed_matters(db: Session, *, retiree_id: int) -> dict[str, int]:
    clock = FrozenClock(START)
    post = MatterFields(kind=Kind.society, organisation="老年书画协会", post="理事")

    def made(data: MatterFields) -> int:
        return service.submit(db, clock=clock, retiree_id=retiree_id, data=data, by="本人").id or 0

    waiting = made(post)
    signed = made(post)
    _set(db, signed, status=Status.signed.value, signed_at=START)
    report = made(MatterFields(kind=Kind.award, award="优秀党员", awarded_by="市委组织部"))
    trip = made(
        MatterFields(
            kind=Kind.travel,
            destination="新加坡",
            depart_on=date(2026, 2, 20),
            return_on=date(2026, 8, 20),
            purpose="探亲",
        )
    )
    _set(db, trip, status=Status.acknowledged.value, decided_at=START)
    return {
        "matter_id": waiting,
        "signed_matter_id": signed,
        "report_matter_id": report,
        "trip_matter_id": trip,
    }
