"""How bookings reacts to other domains' events: a retiree's death ends everything they have
open (the next in line gets the freed places and is told; the retiree is not)."""

from __future__ import annotations

from sqlmodel import Session

from backend.accounts.models import Retiree
from backend.bookings import api
from backend.core import events
from backend.core.clock import Clock

REASON = "老同志去世"


def on_retiree_deceased(*, db: Session, retiree: Retiree, clock: Clock) -> None:
    assert retiree.id is not None
    api.end_all_for_retiree(db, clock=clock, retiree_id=retiree.id, reason=REASON, by="system")


def install() -> None:
    from backend.bookings import open_items

    open_items.install()
    events.subscribe(events.RETIREE_DECEASED, on_retiree_deceased)
