"""System notices to staff (not retirees): shown on the console home page, once per key."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from backend.core.clock import Clock
from backend.notices.models import StaffAlert


def alert_staff(
    db: Session,
    *,
    clock: Clock,
    unit_id: int,
    title: str,
    body: str,
    dedupe_key: str,
    link: str | None = None,
) -> StaffAlert | None:
    """Tell the staff of a unit something, once per dedupe key. Runs in the caller's
    transaction; a repeat (a restarted job) returns None."""
    if db.exec(select(StaffAlert.id).where(StaffAlert.dedupe_key == dedupe_key)).first():
        return None
    alert = StaffAlert(
        unit_id=unit_id,
        title=title[:80],
        body=body,
        link=link,
        dedupe_key=dedupe_key,
        created_at=clock.now(),
    )
    try:
        with db.begin_nested():
            db.add(alert)
            db.flush()
    except IntegrityError:
        return None
    return alert


def for_units(db: Session, *, unit_ids: Sequence[int], limit: int = 10) -> list[StaffAlert]:
    rows = db.exec(
        select(StaffAlert)
        .where(col(StaffAlert.unit_id).in_(list(unit_ids)))
        .order_by(col(StaffAlert.id).desc())
        .limit(limit)
    ).all()
    return list(rows)
