"""Mini-program side of satisfaction: the three buttons after a meal, a ride or an activity,
and the surveys sent to the retiree. The retiree, or family with the right (订餐用车的代办权 for
ratings, 代办 for surveys), answers; other bound family may look."""

from __future__ import annotations

from backend.accounts.deps import CurrentViewer
from backend.accounts.identity import Permission, act_for
from backend.core.deps import ClockDep, SessionDep
from backend.core.inputs import Id
from backend.core.routing import APIRouter
from backend.satisfaction import service, surveys
from backend.satisfaction.schemas import (
    AnswersIn,
    MySurveys,
    PendingRatings,
    RatingIn,
    RatingState,
    Source,
    SurveyForRetiree,
)

router = APIRouter(prefix="/api/v1/satisfaction", tags=["小程序：评价和问卷"])


@router.get("/ratings/pending", response_model=PendingRatings, summary="还没评价的（30天内）")
def pending(
    retiree_id: Id, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> PendingRatings:
    act_for(db, viewer, retiree_id, Permission.view)
    return PendingRatings(data=service.pending(db, clock=clock, retiree_id=retiree_id))


@router.get("/ratings", response_model=RatingState, summary="这件事评价了没有")
def rating_state(
    source: Source, source_id: Id, retiree_id: Id, db: SessionDep, viewer: CurrentViewer
) -> RatingState:
    act_for(db, viewer, retiree_id, Permission.view)
    return service.state(db, source=source, source_id=source_id, retiree_id=retiree_id)


@router.post("/ratings", response_model=RatingState, summary="评价：满意、基本满意、不满意")
def rate(body: RatingIn, db: SessionDep, clock: ClockDep, viewer: CurrentViewer) -> RatingState:
    acting = act_for(db, viewer, body.retiree_id, Permission.book)
    return service.to_state(service.rate_own(db, clock=clock, data=body, by=acting.label))


@router.get("/surveys", response_model=MySurveys, summary="发给我的问卷（进行中的）")
def my_surveys(retiree_id: Id, db: SessionDep, clock: ClockDep, viewer: CurrentViewer) -> MySurveys:
    acting = act_for(db, viewer, retiree_id, Permission.view)
    return MySurveys(
        data=surveys.mine(db, clock=clock, retiree_id=retiree_id, retiree_name=acting.retiree.name)
    )


@router.get("/surveys/{survey_id}", response_model=SurveyForRetiree, summary="一份问卷的题目")
def survey(
    survey_id: Id, retiree_id: Id, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> SurveyForRetiree:
    acting = act_for(db, viewer, retiree_id, Permission.view, missing=surveys.NOT_FOUND)
    return surveys.for_retiree(
        db,
        clock=clock,
        survey_id=survey_id,
        retiree_id=retiree_id,
        retiree_name=acting.retiree.name,
    )


@router.post(
    "/surveys/{survey_id}/answers", response_model=SurveyForRetiree, summary="交问卷（只能交一次）"
)
def answer(
    survey_id: Id, body: AnswersIn, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> SurveyForRetiree:
    acting = act_for(
        db, viewer, body.retiree_id, Permission.submit_checkin, missing=surveys.NOT_FOUND
    )
    return surveys.answer(
        db,
        clock=clock,
        survey_id=survey_id,
        data=body,
        unit_id=acting.retiree.unit_id,
        retiree_name=acting.retiree.name,
        by=acting.label,
    )
