"""The bereavement domain hears of a death: the funeral checklist opens for the unit."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from backend.bereavement import service
from backend.core import events
from backend.core.clock import Clock, local_today


def on_retiree_deceased(
    *, db: Session, retiree: Any, clock: Clock, died_on: date | None = None, **_: Any
) -> None:
    """The date of death as marked, else the Shanghai date of the marking."""
    service.open_case(
        db,
        clock=clock,
        retiree_id=retiree.id,
        unit_id=retiree.unit_id,
        died_on=died_on or local_today(clock),
    )


def on_death_revoked(
    *, db: Session, retiree: Any, restored: list[str], not_restored: list[str], **_: Any
) -> None:
    """The death was marked by mistake: the checklist goes, unless money was already paid."""
    if service.withdraw_case(db, retiree_id=retiree.id):
        restored.append("丧事清单已撤销")
    elif service.case_of_retiree(db, retiree.id) is not None:
        not_restored.append("丧事清单里已有发放记录，没有删除，请在“丧事与遗属”里核对")


def install() -> None:
    events.subscribe(events.RETIREE_DECEASED, on_retiree_deceased)
    events.subscribe(events.RETIREE_DEATH_REVOKED, on_death_revoked)
