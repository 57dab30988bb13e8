"""Health record rows for the access matrix, retiree A's: a check-up activity (体检) of unit 1
with A signed up ({checkup_id}), and A's results from it with a report ({health_entry_id})."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlmodel import Session

from backend.activities.models import Activity
from backend.bookings.models import Bookable, Booking
from backend.health_record.models import HealthEntry

START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
PDF = b"%PDF-1.4\n% matrix report\n"


def seed_files(upload_dir: Path) -> None:
    (upload_dir / "health").mkdir(parents=True, exist_ok=True)
    (upload_dir / "health" / "matrix.pdf").write_bytes(PDF)


def seed_health(db: Session, *, retiree_id: int, unit_id: int) -> dict[str, int]:
    bookable = Bookable(
        kind="activity",
        unit_id=unit_id,
        title="2026年度体检",
        capacity=30,
        confirmed_count=1,
        starts_at=datetime(2026, 3, 5, 0, 30, tzinfo=UTC),
        opens_at=datetime(2026, 1, 1, tzinfo=UTC),
        closes_at=datetime(2026, 3, 4, 0, 0, tzinfo=UTC),
        cancel_deadline=datetime(2026, 3, 4, 0, 0, tzinfo=UTC),
        created_at=START,
        updated_at=START,
    )
    db.add(bookable)
    db.flush()
    activity = Activity(bookable_id=bookable.id or 0, category="体检", place="解放军总医院")
    db.add(activity)
    db.add(
        Booking(
            bookable_id=bookable.id or 0,
            retiree_id=retiree_id,
            unit_id=unit_id,
            status="confirmed",
            booked_by="self",
            created_at=START,
        )
    )
    db.flush()
    entry = HealthEntry(
        retiree_id=retiree_id,
        unit_id=unit_id,
        kind="体检",
        happened_on=date(2026, 3, 5),
        place="解放军总医院",
        summary="血压偏高，其余正常。",
        report_path="health/matrix.pdf",
        activity_id=activity.id,
        created_at=START,
        created_by="医务人员",
    )
    db.add(entry)
    db.flush()
    return {"checkup_id": activity.id or 0, "health_entry_id": entry.id or 0}
