"""Mini-program side of 信访: the retiree, or bound family in their own name, writes a
complaint, question, request or suggestion; reads the reply; rates it. The 意见箱 takes a
suggestion with nothing that names the writer."""

from __future__ import annotations

from backend.accounts.deps import CurrentViewer
from backend.accounts.identity import Permission, act_for
from backend.cases import service, views
from backend.cases.rules import CaseKind
from backend.cases.schemas import BoxIn, BoxReceipt, CaseIn, CasePublic, CasesPublic, RatingIn
from backend.core import ratelimit
from backend.core.deps import CacheDep, ClockDep, SessionDep
from backend.core.inputs import Id
from backend.core.routing import APIRouter

router = APIRouter(prefix="/api/v1", tags=["小程序：信访和意见箱"])

BOX_PER_DAY = 5


@router.get("/cases", response_model=CasesPublic, summary="我反映的事")
def list_cases(retiree_id: Id, db: SessionDep, viewer: CurrentViewer) -> CasesPublic:
    acting = act_for(db, viewer, retiree_id, Permission.view)
    rows = service.of_retiree(db, acting.retiree.id or 0)
    return CasesPublic(
        data=views.person(db, rows), count=len(rows), kinds=[k.value for k in CaseKind]
    )


@router.post("/cases", response_model=CasePublic, status_code=201, summary="反映一件事")
def submit_case(body: CaseIn, db: SessionDep, clock: ClockDep, viewer: CurrentViewer) -> CasePublic:
    acting = act_for(db, viewer, body.retiree_id, Permission.view)
    case = service.submit(db, clock=clock, acting=acting, data=body, by=viewer.did_it(acting))
    return views.person(db, [case])[0]


@router.get("/cases/{case_id}", response_model=CasePublic, summary="一件事的办理情况")
def get_case(case_id: Id, retiree_id: Id, db: SessionDep, viewer: CurrentViewer) -> CasePublic:
    acting = act_for(db, viewer, retiree_id, Permission.view, missing=service.MISSING)
    return views.person(db, [service.for_person(db, acting, case_id)])[0]


@router.post("/cases/{case_id}/rating", response_model=CasePublic, summary="评价答复")
def rate_case(
    case_id: Id,
    retiree_id: Id,
    body: RatingIn,
    db: SessionDep,
    clock: ClockDep,
    viewer: CurrentViewer,
) -> CasePublic:
    acting = act_for(db, viewer, retiree_id, Permission.view, missing=service.MISSING)
    case = service.rate(
        db, clock=clock, acting=acting, case_id=case_id, data=body, by=viewer.did_it(acting)
    )
    return views.person(db, [case])[0]


@router.post(
    "/suggestion-box", response_model=BoxReceipt, status_code=201, summary="意见箱（不留名）"
)
def suggestion_box(
    body: BoxIn, db: SessionDep, clock: ClockDep, cache: CacheDep, viewer: CurrentViewer
) -> BoxReceipt:
    """Kept under the unit of the writer's own record, or of the first person they look after;
    the count that stops a flood is kept in the cache only, never with the suggestion."""
    ratelimit.hit(
        cache,
        clock,
        f"box:{viewer.user_id}",
        limit=BOX_PER_DAY,
        window_seconds=86400,
        then=ratelimit.CALL_IF_URGENT,
    )
    service.submit_box(db, clock=clock, viewer=viewer, data=body)
    return BoxReceipt(message="收到了，谢谢您。意见箱不记名字，所里会认真看。")
