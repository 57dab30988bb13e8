"""Helpers for the bereavement tests. The test clock starts on Monday 2026-03-02 10:00 in
Shanghai; a death is marked through accounts (the one door), which publishes the event."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import Session

from backend.accounts import retirees
from backend.accounts.enums import RetireeStatus
from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.bereavement import service
from backend.core.clock import local_today
from backend.domains import install_hooks


@pytest.fixture
def db(engine) -> Iterator[Session]:
    install_hooks()
    with Session(engine) as session:
        yield session


def scope_of(db: Session, staff: StaffAccount) -> Unit:
    unit = db.get(Unit, staff.unit_id)
    assert unit is not None
    return unit


def mark_deceased(db: Session, clock, staff: StaffAccount, retiree_id: int) -> int:
    """Mark the retiree 去世 as staff do; the id of the checklist that opened."""
    retiree = db.get(Retiree, retiree_id)
    assert retiree is not None
    retirees.change_status(
        db,
        clock=clock,
        staff=staff,
        retiree=retiree,
        status=RetireeStatus.deceased,
        note="病故",
        died_on=local_today(clock),
    )
    db.commit()
    found = service.case_of_retiree(db, retiree_id)
    assert found is not None and found.id is not None
    return found.id
