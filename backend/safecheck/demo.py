"""Demo 报平安: the demo retiree lives alone and has it on (his button is on the home page);
two 空巢 neighbours have it on too, one has already checked in today."""

from __future__ import annotations

from sqlmodel import Session

from backend.accounts import retirees as accounts_retirees
from backend.accounts.enums import CareFlag
from backend.accounts.models import Retiree
from backend.core.actors import Actor
from backend.core.clock import Clock
from backend.safecheck import service
from backend.safecheck.schemas import PlanSettings


def load(db: Session, *, clock: Clock, retirees: list[Retiree]) -> None:
    first = retirees[0]
    flags = accounts_retirees.care_flags_of(db, [first.id or 0]).get(first.id or 0, [])
    if CareFlag.living_alone.value not in flags:
        accounts_retirees.set_care_flags(db, first, [*flags, CareFlag.living_alone])
    staff = Actor.staff("demo")
    service.save_plan(
        db, clock=clock, retiree_id=first.id or 0, data=PlanSettings(due_time="10:30"), actor=staff
    )
    ids = [r.id or 0 for r in retirees[1:]]
    flagged = accounts_retirees.care_flags_of(db, ids)
    empty_nest = [rid for rid in ids if CareFlag.empty_nest.value in flagged.get(rid, [])][:2]
    for n, retiree_id in enumerate(empty_nest):
        service.save_plan(
            db,
            clock=clock,
            retiree_id=retiree_id,
            data=PlanSettings(due_time="11:00" if n else "09:00"),
            actor=staff,
        )
        if n == 0:
            service.check_in(db, clock=clock, retiree_id=retiree_id, actor=Actor.self_())
