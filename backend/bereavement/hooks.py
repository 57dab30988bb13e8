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


def install() -> None:
    events.subscribe(events.RETIREE_DECEASED, on_retiree_deceased)
