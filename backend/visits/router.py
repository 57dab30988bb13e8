"""Mini-program side of visits: care at a glance for family and the retiree, 「请工作人员给我
回电话」, and reporting a hospital stay or a family event."""

from __future__ import annotations

from backend.accounts.deps import CurrentViewer
from backend.accounts.identity import Permission, act_for
from backend.core.deps import ClockDep, SessionDep
from backend.core.inputs import Id
from backend.core.routing import APIRouter
from backend.visits import family, tasks
from backend.visits.schemas import CallbackIn, CallbackOut, CareOut, EventIn

router = APIRouter(prefix="/api/v1/visits", tags=["小程序：走访和关怀"])


@router.get("/care", response_model=CareOut, summary="最近一次联系和走访、待办的事")
def care(retiree_id: Id, db: SessionDep, clock: ClockDep, viewer: CurrentViewer) -> CareOut:
    acting = act_for(db, viewer, retiree_id, Permission.view)
    return family.care(db, clock=clock, retiree=acting.retiree)


@router.post("/callback", response_model=CallbackOut, summary="请工作人员给我回电话")
def callback(
    body: CallbackIn, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> CallbackOut:
    acting = act_for(db, viewer, body.retiree_id, Permission.view)
    return tasks.request_callback(
        db,
        clock=clock,
        retiree=acting.retiree,
        reported_by="家属" if acting.on_behalf else "本人",
        note=body.note,
    )


@router.post("/events", response_model=CallbackOut, summary="告诉所里：住院了、家里有变故")
def report_event(
    body: EventIn, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> CallbackOut:
    acting = act_for(db, viewer, body.retiree_id, Permission.view)
    task = tasks.report_event(
        db,
        clock=clock,
        retiree=acting.retiree,
        data=body,
        reported_by="家属" if acting.on_behalf else "本人",
    )
    return CallbackOut(
        task_id=task.id or 0,
        message=f"已告诉所里，工作人员会在{task.due_on.month}月{task.due_on.day}日前来看望。",
    )
