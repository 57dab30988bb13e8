"""Mini-program side: the number behind 「打电话给所里」 for the retiree being looked after."""

from __future__ import annotations

from backend.accounts.deps import CurrentViewer
from backend.accounts.identity import Permission, act_for
from backend.contact import views
from backend.contact.schemas import CallPublic
from backend.core.deps import ClockDep, SessionDep
from backend.core.inputs import Id
from backend.core.routing import APIRouter

router = APIRouter(prefix="/api/v1/contact", tags=["小程序：找工作人员"])


@router.get("/call", response_model=CallPublic, summary="打电话给所里：现在打哪个号码，谁接")
def call(retiree_id: Id, db: SessionDep, clock: ClockDep, viewer: CurrentViewer) -> CallPublic:
    # Family members reach their parent's unit: the same retiree id they act for.
    acting = act_for(db, viewer, retiree_id, Permission.view)
    return views.call(db, unit_id=acting.retiree.unit_id, at=clock.now())
