"""How bookings reacts to other domains' events: a retiree's death ends everything they have
open (the next in line gets the freed places and is told; the retiree is not)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from backend.accounts.models import Retiree
from backend.bookings import api
from backend.core import events
from backend.core.clock import Clock

REASON = "老同志去世"


def on_retiree_deceased(*, db: Session, retiree: Retiree, clock: Clock, **_: object) -> None:
    assert retiree.id is not None
    api.end_all_for_retiree(db, clock=clock, retiree_id=retiree.id, reason=REASON, by="system")


def on_death_revoked(
    *, db: Session, retiree: Retiree, marked_at: datetime, not_restored: list[str], **_: object
) -> None:
    assert retiree.id is not None
    ended = api.count_ended_for_retiree(db, retiree_id=retiree.id, reason=REASON, since=marked_at)
    if ended:
        not_restored.append(
            f"{ended}个报名、订餐或用车已结束（名额可能已给了别人），需要的话请重新报名或预订"
        )


def install() -> None:
    events.subscribe(events.RETIREE_DEATH_REVOKED, on_death_revoked)
    from backend.bookings import open_items

    open_items.install()
    events.subscribe(events.RETIREE_DECEASED, on_retiree_deceased)
