"""Staff API of 报平安: the same service functions and input models as the console page."""

from __future__ import annotations

from backend.accounts.deps import CurrentStaff, StaffScope
from backend.core.deps import ClockDep, SessionDep
from backend.core.inputs import Id
from backend.core.routing import APIRouter
from backend.safecheck import staff
from backend.safecheck.schemas import PauseSettings, PlanSettings, TodayBoard

router = APIRouter(prefix="/api/v1/staff/safecheck", tags=["工作人员：报平安"])


@router.get("/today", response_model=TodayBoard, summary="今天谁报了平安、谁没报、谁已上报")
def today(db: SessionDep, clock: ClockDep, scope: StaffScope) -> TodayBoard:
    return staff.board(db, clock=clock, scope=scope)


@router.put("/{retiree_id}/plan", response_model=TodayBoard, summary="为老同志开通、关闭、设时间")
def save_plan(
    retiree_id: Id,
    body: PlanSettings,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> TodayBoard:
    staff.save_plan(db, clock=clock, staff=me, scope=scope, retiree_id=retiree_id, data=body)
    return staff.board(db, clock=clock, scope=scope)


@router.post("/{retiree_id}/confirm", response_model=TodayBoard, summary="已联系上：今天算报了平安")
def confirm(
    retiree_id: Id, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> TodayBoard:
    staff.confirm(db, clock=clock, staff=me, scope=scope, retiree_id=retiree_id)
    return staff.board(db, clock=clock, scope=scope)


@router.post("/{retiree_id}/pauses", response_model=TodayBoard, summary="暂停（外出、住院）")
def add_pause(
    retiree_id: Id,
    body: PauseSettings,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> TodayBoard:
    staff.add_pause(db, clock=clock, staff=me, scope=scope, retiree_id=retiree_id, data=body)
    return staff.board(db, clock=clock, scope=scope)


@router.delete("/{retiree_id}/pauses/{pause_id}", response_model=TodayBoard, summary="结束暂停")
def end_pause(
    retiree_id: Id,
    pause_id: Id,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> TodayBoard:
    staff.end_pause(
        db, clock=clock, staff=me, scope=scope, retiree_id=retiree_id, pause_id=pause_id
    )
    return staff.board(db, clock=clock, scope=scope)
