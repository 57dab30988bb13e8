"""Mini-program side of 报平安: the state, the one tap, the settings and pauses.

The retiree taps for themselves; the retiree and family with the 代办 right (can_submit_checkin)
change the settings; other bound family see the state."""

from __future__ import annotations

from sqlmodel import Session

from backend.accounts.deps import CurrentViewer
from backend.accounts.identity import Acting, Permission, Viewer, act_for
from backend.core.clock import Clock
from backend.core.deps import ClockDep, SessionDep
from backend.core.errors import Forbidden
from backend.core.inputs import Id
from backend.core.routing import APIRouter
from backend.safecheck import pauses, service
from backend.safecheck.schemas import CheckInIn, PauseIn, PlanIn, SafecheckState

router = APIRouter(prefix="/api/v1/safecheck", tags=["小程序：报平安"])

NO_RIGHT = (
    "您没有替这位老人办事的权限，不能改报平安的设置。请老人自己改，或者请所里的工作人员帮忙。"
)
SELF_ONLY = "报平安要老人自己点。您可以打个电话问问老人。"


def _changer(db: Session, viewer: Viewer, retiree_id: int) -> Acting:
    act_for(db, viewer, retiree_id, Permission.view)
    try:
        return act_for(db, viewer, retiree_id, Permission.submit_checkin)
    except Forbidden as exc:
        raise Forbidden(NO_RIGHT, code="permission_denied") from exc


def _state(db: Session, clock: Clock, viewer: Viewer, acting: Acting) -> SafecheckState:
    retiree_id = acting.retiree.id or 0
    return service.state(
        db,
        clock=clock,
        retiree_id=retiree_id,
        retiree_name=acting.retiree.name,
        is_self=not acting.on_behalf,
        can_change=viewer.may(retiree_id, Permission.submit_checkin),
    )


@router.get("", response_model=SafecheckState, summary="报平安：今天报了没有，设置")
def get_state(
    retiree_id: Id, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> SafecheckState:
    acting = act_for(db, viewer, retiree_id, Permission.view)
    return _state(db, clock, viewer, acting)


@router.post("/checkin", response_model=SafecheckState, summary="我今天挺好（一天一次，多点无妨）")
def check_in(
    body: CheckInIn, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> SafecheckState:
    acting = act_for(db, viewer, body.retiree_id, Permission.view)
    if acting.on_behalf:
        raise Forbidden(SELF_ONLY, code="self_only")
    service.check_in(db, clock=clock, retiree_id=body.retiree_id, actor=acting.actor)
    return _state(db, clock, viewer, acting)


@router.put("/plan", response_model=SafecheckState, summary="开通、关闭报平安，设时间和免打扰")
def save_plan(
    body: PlanIn, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> SafecheckState:
    acting = _changer(db, viewer, body.retiree_id)
    service.save_plan(db, clock=clock, retiree_id=body.retiree_id, data=body, actor=acting.actor)
    return _state(db, clock, viewer, acting)


@router.post("/pauses", response_model=SafecheckState, summary="暂停报平安（外出、住院）")
def add_pause(
    body: PauseIn, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> SafecheckState:
    acting = _changer(db, viewer, body.retiree_id)
    pauses.add(db, clock=clock, retiree_id=body.retiree_id, data=body, actor=acting.actor)
    return _state(db, clock, viewer, acting)


@router.delete("/pauses/{pause_id}", response_model=SafecheckState, summary="回来了：结束暂停")
def end_pause(
    pause_id: Id, retiree_id: Id, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> SafecheckState:
    acting = _changer(db, viewer, retiree_id)
    pauses.end(db, clock=clock, retiree_id=retiree_id, pause_id=pause_id)
    return _state(db, clock, viewer, acting)
