"""Mini-program side of bereavement: the 遗属 page for a deceased retiree's bound family (the
binding keeps view after the death). The retiree and any bound family may read it."""

from __future__ import annotations

from backend.accounts.deps import CurrentViewer
from backend.accounts.identity import Permission, act_for
from backend.bereavement import family
from backend.bereavement.schemas import SurvivorPage
from backend.core.deps import ClockDep, SessionDep
from backend.core.inputs import Id
from backend.core.routing import APIRouter

router = APIRouter(prefix="/api/v1/bereavement", tags=["小程序：遗属"])


@router.get("", response_model=SurvivorPage, summary="遗属：所里为家里办的事、待遇、找谁")
def survivor_page(
    retiree_id: Id, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> SurvivorPage:
    acting = act_for(db, viewer, retiree_id, Permission.view)
    return family.page(db, clock=clock, retiree_id=retiree_id, retiree_name=acting.retiree.name)
