"""A 失联 case for the access matrix and the console's cross-unit walk: retiree A's, open,
under 和平里服务站 and reported to 第一军休所 ({lost_case_id})."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session

from backend.checkin.models import LostContactCase


def seed_lost_case(db: Session, *, retiree_id: int, unit_id: int, report_unit_id: int) -> int:
    case = LostContactCase(
        retiree_id=retiree_id,
        unit_id=unit_id,
        report_unit_id=report_unit_id,
        open_retiree_id=retiree_id,
        last_contact_at=datetime(2025, 6, 1, 2, 0, tzinfo=UTC),
        lost_on=date(2025, 12, 1),
        opened_at=datetime(2025, 12, 1, 2, 0, tzinfo=UTC),
        investigation_due=date(2025, 12, 16),
    )
    db.add(case)
    db.flush()
    return case.id or 0
