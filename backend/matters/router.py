"""Mini-program side of 事项报告: the list with each matter's state and next step, the report
form, taking one back, reporting a return and the quarterly report from abroad.

The retiree, and family with the 代办 right (can_submit_checkin), report and act; other bound
family read."""

from __future__ import annotations

from sqlmodel import Session

from backend.accounts.deps import CurrentViewer
from backend.accounts.identity import Permission, act_for
from backend.core.clock import Clock
from backend.core.deps import ClockDep, SessionDep
from backend.core.inputs import Id
from backend.core.routing import APIRouter
from backend.matters import service, views
from backend.matters.models import Kind, Matter
from backend.matters.schemas import (
    MatterIn,
    MatterPublic,
    MattersPublic,
    QuarterlyForIn,
    RetireeRef,
    ReturnForIn,
)

router = APIRouter(prefix="/api/v1/matters", tags=["小程序：事项报告"])

ACT = Permission.submit_checkin


def _one(db: Session, clock: Clock, matter: Matter) -> MatterPublic:
    return views.public(db, [matter], clock=clock)[0]


@router.get("", response_model=MattersPublic, summary="我的事项报告")
def list_matters(
    retiree_id: Id, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> MattersPublic:
    act_for(db, viewer, retiree_id, Permission.view)
    rows = service.of_retiree(db, retiree_id)
    return MattersPublic(
        data=views.public(db, rows, clock=clock), count=len(rows), kinds=[k.value for k in Kind]
    )


@router.post("", response_model=MatterPublic, status_code=201, summary="报告一件事项")
def submit(body: MatterIn, db: SessionDep, clock: ClockDep, viewer: CurrentViewer) -> MatterPublic:
    acting = act_for(db, viewer, body.retiree_id, ACT)
    matter = service.submit(
        db, clock=clock, retiree_id=body.retiree_id, data=body, by=viewer.did_it(acting)
    )
    return _one(db, clock, matter)


@router.post("/{matter_id}/withdraw", response_model=MatterPublic, summary="撤回")
def withdraw(
    matter_id: Id, body: RetireeRef, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> MatterPublic:
    acting = act_for(db, viewer, body.retiree_id, ACT, missing=service.MISSING)
    matter = service.withdraw(
        db, clock=clock, retiree_id=body.retiree_id, matter_id=matter_id, by=viewer.did_it(acting)
    )
    return _one(db, clock, matter)


@router.post("/{matter_id}/return", response_model=MatterPublic, summary="我回来了")
def report_return(
    matter_id: Id, body: ReturnForIn, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> MatterPublic:
    acting = act_for(db, viewer, body.retiree_id, ACT, missing=service.MISSING)
    matter = service.own(db, retiree_id=body.retiree_id, matter_id=matter_id)
    service.report_return(
        db, clock=clock, matter=matter, returned_on=body.returned_on, by=viewer.did_it(acting)
    )
    return _one(db, clock, matter)


@router.post("/{matter_id}/quarterly", response_model=MatterPublic, summary="季度汇报")
def report_quarter(
    matter_id: Id, body: QuarterlyForIn, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> MatterPublic:
    acting = act_for(db, viewer, body.retiree_id, ACT, missing=service.MISSING)
    matter = service.own(db, retiree_id=body.retiree_id, matter_id=matter_id)
    service.report_quarter(db, clock=clock, matter=matter, text=body.text, by=viewer.did_it(acting))
    return _one(db, clock, matter)
