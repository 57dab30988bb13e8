"""Helpers for the visits tests. The test clock starts on Monday 2026-03-02 10:00 in Shanghai."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlmodel import Session

from backend.accounts.models import StaffAccount, Unit
from backend.visits import plans, records
from backend.visits.schemas import AssignIn, VisitIn, VisitKind


@pytest.fixture
def db(engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


def scope_of(db: Session, staff: StaffAccount) -> Unit:
    unit = db.get(Unit, staff.unit_id)
    assert unit is not None
    return unit


def assign(db: Session, clock, staff: StaffAccount, owner: StaffAccount, *ids: int) -> int:
    count = plans.assign(
        db,
        clock=clock,
        staff=staff,
        scope=scope_of(db, staff),
        data=AssignIn(retiree_ids=list(ids), staff_id=owner.id),
    )
    db.commit()
    return count


def visit(
    db: Session,
    clock,
    staff: StaffAccount,
    retiree_id: int,
    kind: VisitKind = VisitKind.home,
    **extra: Any,
):
    row = records.record(
        db,
        clock=clock,
        staff=staff,
        scope=scope_of(db, staff),
        data=VisitIn(retiree_id=retiree_id, kind=kind, visitors="张干事", met="本人", **extra),
    )
    db.commit()
    return row


def due_ids(db: Session, clock, staff: StaffAccount, *, mine: bool = True) -> dict[int, date]:
    page = plans.due_this_week(db, clock=clock, scope=scope_of(db, staff), staff=staff, mine=mine)
    return {r.retiree_id: r.due_on for r in page.data if r.task_id is None}
