"""Staff API for visits: the week's list, record a visit, follow-ups, 定人包户, frequencies,
visit tasks and festival campaigns. The console calls the same service functions."""

from __future__ import annotations

from fastapi.responses import Response

from backend.accounts.deps import CurrentStaff, StaffScope
from backend.accounts.models import Unit
from backend.accounts.scope import get_scoped
from backend.core.deps import ClockDep, SessionDep
from backend.core.inputs import Id
from backend.core.openapi import XLSX_DOWNLOAD
from backend.core.routing import APIRouter
from backend.core.xlsx import xlsx_response
from backend.visits import campaigns, plans, records, tasks
from backend.visits.models import VisitRecord
from backend.visits.schemas import (
    AssignedOut,
    AssignIn,
    CampaignIn,
    CampaignOut,
    CampaignsOut,
    CloseIn,
    CoverageOut,
    DuePage,
    EventIn,
    FollowUpIn,
    FollowUpOut,
    FollowUpsOut,
    FrequenciesOut,
    FrequencyIn,
    TaskOut,
    VisitIn,
    VisitOut,
    VisitsOut,
)

router = APIRouter(prefix="/api/v1/staff/visits", tags=["工作人员：走访"])


@router.get("/due", response_model=DuePage, summary="这周要走访的（过期的在前）")
def due(
    db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope, mine: bool = True
) -> DuePage:
    return plans.due_this_week(db, clock=clock, scope=scope, staff=me, mine=mine)


@router.post("", response_model=VisitOut, status_code=201, summary="记一次走访")
def record(
    body: VisitIn, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> VisitOut:
    visit = records.record(db, clock=clock, staff=me, scope=scope, data=body)
    return records.visit_out(db, clock=clock, visit=visit)


@router.get("/retirees/{retiree_id}", response_model=VisitsOut, summary="一位老同志的走访记录")
def history(retiree_id: Id, db: SessionDep, clock: ClockDep, scope: StaffScope) -> VisitsOut:
    return records.history(db, clock=clock, scope=scope, retiree_id=retiree_id)


@router.post(
    "/{visit_id}/follow-ups", response_model=FollowUpOut, status_code=201, summary="加一件待办"
)
def add_follow_up(
    visit_id: Id,
    body: FollowUpIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> FollowUpOut:
    visit = get_scoped(db, VisitRecord, visit_id, scope)
    row = records.add_follow_up(db, clock=clock, staff=me, scope=scope, visit=visit, data=body)
    return records.shape_follow_ups(db, clock=clock, rows=[row])[0]


@router.get("/follow-ups", response_model=FollowUpsOut, summary="没办完的待办")
def follow_ups(
    db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope, mine: bool = True
) -> FollowUpsOut:
    return records.follow_ups(db, clock=clock, scope=scope, staff=me if mine else None)


@router.post("/follow-ups/{follow_up_id}/close", response_model=FollowUpOut, summary="待办办结")
def close_follow_up(
    follow_up_id: Id,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
    body: CloseIn | None = None,
) -> FollowUpOut:
    row = records.close_follow_up(
        db, clock=clock, staff=me, scope=scope, follow_up_id=follow_up_id, data=body or CloseIn()
    )
    return records.shape_follow_ups(db, clock=clock, rows=[row])[0]


@router.post("/assignments", response_model=AssignedOut, summary="定人包户（可一次选多人）")
def assign(
    body: AssignIn, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> AssignedOut:
    return AssignedOut(assigned=plans.assign(db, clock=clock, staff=me, scope=scope, data=body))


@router.get("/frequencies/{unit_id}", response_model=FrequenciesOut, summary="走访频次")
def frequencies(unit_id: Id, db: SessionDep, scope: StaffScope) -> FrequenciesOut:
    return plans.frequencies(db, unit=get_scoped(db, Unit, unit_id, scope))


@router.put("/frequencies/{unit_id}", response_model=FrequenciesOut, summary="改走访频次")
def set_frequency(
    unit_id: Id,
    body: FrequencyIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> FrequenciesOut:
    return plans.set_frequency(db, clock=clock, staff=me, scope=scope, unit_id=unit_id, data=body)


@router.post("/events", response_model=TaskOut, status_code=201, summary="住院、家庭变故：安排看望")
def report_event(
    body: EventIn, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> TaskOut:
    task = tasks.report_event_as_staff(db, clock=clock, staff=me, scope=scope, data=body)
    return tasks.task_out(db, task)


@router.post("/tasks/{task_id}/close", response_model=TaskOut, summary="走访任务办完")
def close_task(
    task_id: Id, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> TaskOut:
    task = tasks.close_task(db, clock=clock, staff=me, scope=scope, task_id=task_id)
    return tasks.task_out(db, task)


@router.get("/campaigns", response_model=CampaignsOut, summary="节日走访活动")
def list_campaigns(db: SessionDep, scope: StaffScope) -> CampaignsOut:
    return campaigns.list_in_scope(db, scope=scope)


@router.post("/campaigns", response_model=CampaignOut, status_code=201, summary="开始一次节日走访")
def create_campaign(
    body: CampaignIn, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> CampaignOut:
    campaign = campaigns.create(db, clock=clock, staff=me, scope=scope, data=body)
    return campaigns.coverage(db, scope=scope, campaign_id=campaign.id or 0).campaign


@router.get("/campaigns/{visit_campaign_id}", response_model=CoverageOut, summary="各单位走访情况")
def coverage(visit_campaign_id: Id, db: SessionDep, scope: StaffScope) -> CoverageOut:
    return campaigns.coverage(db, scope=scope, campaign_id=visit_campaign_id)


@router.get(
    "/campaigns/{visit_campaign_id}/export.xlsx",
    summary="导出走访情况",
    responses=XLSX_DOWNLOAD,
    response_class=Response,
)
def export(visit_campaign_id: Id, db: SessionDep, scope: StaffScope) -> Response:
    name, data = campaigns.export(db, scope=scope, campaign_id=visit_campaign_id)
    return xlsx_response(data, f"{name}")
