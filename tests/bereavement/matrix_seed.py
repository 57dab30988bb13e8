"""What the access matrix needs for bereavement, on retiree A's side: a funeral checklist
(opened directly, as the death event would; A stays 在册 for the other rows), a survivor and a
document on the first benefit (the photo tests/accounts/test_access_matrix.py writes)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session

from backend.bereavement import service
from backend.bereavement.models import FuneralDocument, Survivor
from backend.core.clock import FrozenClock

START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # the tests' clock
DOCUMENT = "funeral/matrix.jpg"


def seed_bereavement(db: Session, *, retiree_id: int, unit_id: int) -> dict[str, int]:
    clock = FrozenClock(START)
    row = service.open_case(
        db, clock=clock, retiree_id=retiree_id, unit_id=unit_id, died_on=date(2026, 3, 1)
    )
    case_id = row.id or 0
    task = service.tasks_of(db, [case_id])[case_id][0]
    benefit = service.benefits_of(db, [case_id])[case_id][0]
    survivor = Survivor(
        case_id=case_id,
        name="刘桂芳",
        relation="配偶",
        phone="13912345678",
        status="在册",
        created_at=START,
        updated_at=START,
    )
    doc = FuneralDocument(
        benefit_id=benefit.id or 0,
        title="死亡证明",
        path=DOCUMENT,
        uploaded_at=START,
        uploaded_by="staff:1",
    )
    db.add(survivor)
    db.add(doc)
    db.flush()
    return {
        "funeral_id": case_id,
        "funeral_task_id": task.id or 0,
        "benefit_id": benefit.id or 0,
        "document_id": doc.id or 0,
        "survivor_id": survivor.id or 0,
    }
