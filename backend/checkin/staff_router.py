"""Staff API for the check-in: campaigns, the review queue, review actions, progress,
in-person records, monthly contacts."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from fastapi.responses import FileResponse, Response

from backend.accounts.deps import CurrentStaff, StaffScope
from backend.accounts.scope import get_scoped
from backend.checkin import campaigns, contacts, progress, review, submissions, views
from backend.checkin.models import CheckinSubmission
from backend.checkin.schemas import (
    CampaignExtendIn,
    CampaignIn,
    CampaignPublic,
    ContactDuePage,
    ContactIn,
    Progress,
    RecordIn,
    ReturnIn,
    ReviewIn,
    SubmissionDetail,
    SubmissionsPage,
    TalkIn,
)
from backend.core.clock import local_today
from backend.core.deps import ClockDep, SessionDep, SettingsDep
from backend.core.errors import NotFound
from backend.core.inputs import Count, Id, Line
from backend.core.openapi import IMAGE_DOWNLOAD, XLSX_DOWNLOAD
from backend.core.routing import APIRouter
from backend.core.xlsx import xlsx_response

router = APIRouter(prefix="/api/v1/staff", tags=["工作人员：年度登记与联系"])


@router.post(
    "/checkin/campaigns", response_model=CampaignPublic, status_code=201, summary="开启年度登记"
)
def open_campaign(
    body: CampaignIn, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> CampaignPublic:
    campaign = campaigns.create(db, clock=clock, staff=me, scope=scope, data=body)
    return views.to_public(campaign, local_today(clock))


@router.get("/checkin/campaigns", response_model=list[CampaignPublic], summary="年度登记列表")
def list_campaigns(db: SessionDep, clock: ClockDep, scope: StaffScope) -> list[CampaignPublic]:
    today = local_today(clock)
    return [views.to_public(c, today) for c in campaigns.list_in_scope(db, scope)]


@router.patch(
    "/checkin/campaigns/{campaign_id}", response_model=CampaignPublic, summary="延长截止日期"
)
def extend_campaign(
    campaign_id: Id,
    body: CampaignExtendIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> CampaignPublic:
    campaign = campaigns.extend(
        db, clock=clock, staff=me, scope=scope, campaign_id=campaign_id, closes_on=body.closes_on
    )
    return views.to_public(campaign, local_today(clock))


@router.get(
    "/checkin/campaigns/{campaign_id}/progress", response_model=Progress, summary="进度统计"
)
def get_progress(campaign_id: Id, db: SessionDep, clock: ClockDep, scope: StaffScope) -> Progress:
    campaign, root = campaigns.get_in_scope(db, campaign_id, scope)
    return progress.build(db, clock=clock, campaign=campaign, root=root)


@router.get(
    "/checkin/campaigns/{campaign_id}/export.xlsx",
    summary="导出 Excel",
    responses=XLSX_DOWNLOAD,
    response_class=Response,
)
def export(campaign_id: Id, db: SessionDep, clock: ClockDep, scope: StaffScope) -> Response:
    campaign, root = campaigns.get_in_scope(db, campaign_id, scope)
    data = progress.export_xlsx(db, clock=clock, campaign=campaign, root=root)
    name = f"checkin-{campaign.year}.xlsx"
    return xlsx_response(data, f"{name}")


@router.get(
    "/checkin/campaigns/{campaign_id}/submissions",
    response_model=SubmissionsPage,
    summary="审核队列（可按状态、单位、照顾类别、家人代办筛选）",
)
def list_submissions(
    campaign_id: Id,
    db: SessionDep,
    scope: StaffScope,
    status: str | None = Query(
        default=None, pattern="^(none|submitted|returned|talk|approved|overdue)$"
    ),
    unit_id: Id | None = None,
    care_flag: Annotated[Line | None, Query(max_length=10)] = None,
    on_behalf: bool | None = None,
    limit: int = Query(default=100, ge=1, le=500),
    offset: Count = 0,
) -> SubmissionsPage:
    campaign, root = campaigns.get_in_scope(db, campaign_id, scope)
    data, count = review.queue(
        db,
        campaign=campaign,
        root=root,
        status=status,
        unit_id=unit_id,
        care_flag=care_flag,
        on_behalf=on_behalf,
        limit=limit,
        offset=offset,
    )
    return SubmissionsPage(data=data, count=count)


@router.post(
    "/checkin/campaigns/{campaign_id}/approve-unchanged", summary="没有变化的，一次全部通过"
)
def approve_unchanged(
    campaign_id: Id, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> dict[str, int]:
    campaign, root = campaigns.get_in_scope(db, campaign_id, scope)
    count = review.bulk_approve_unchanged(db, clock=clock, staff=me, campaign=campaign, root=root)
    return {"approved": count}


@router.post(
    "/checkin/campaigns/{campaign_id}/records",
    response_model=SubmissionDetail,
    status_code=201,
    summary="登记现场、电话或上门办理的年度登记",
)
def record(
    campaign_id: Id,
    body: RecordIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> SubmissionDetail:
    campaign, root = campaigns.get_in_scope(db, campaign_id, scope)
    row = review.record_in_person(
        db, clock=clock, staff=me, campaign=campaign, root=root, data=body
    )
    return review.detail(db, row=row)


@router.get(
    "/checkin/submissions/{submission_id}",
    response_model=SubmissionDetail,
    summary="一份登记，和去年的对照",
)
def get_submission(submission_id: Id, db: SessionDep, scope: StaffScope) -> SubmissionDetail:
    return review.detail(db, row=get_scoped(db, CheckinSubmission, submission_id, scope))


@router.get(
    "/checkin/submissions/{submission_id}/photo",
    summary="登记照片",
    responses=IMAGE_DOWNLOAD,
    response_class=Response,
)
def submission_photo(
    submission_id: Id, db: SessionDep, settings: SettingsDep, scope: StaffScope
) -> FileResponse:
    row = get_scoped(db, CheckinSubmission, submission_id, scope)
    found = submissions.photo_file(row, settings.upload_dir)
    if found is None:
        raise NotFound("没有照片。")
    return FileResponse(found[0], media_type=found[1])


@router.post(
    "/checkin/submissions/{submission_id}/approve",
    response_model=SubmissionDetail,
    summary="通过",
)
def approve(
    submission_id: Id,
    body: ReviewIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> SubmissionDetail:
    row = get_scoped(db, CheckinSubmission, submission_id, scope)
    review.approve(db, clock=clock, staff=me, row=row, version=body.version)
    return review.detail(db, row=row)


@router.post(
    "/checkin/submissions/{submission_id}/return",
    response_model=SubmissionDetail,
    summary="退回补正（写明原因）",
)
def return_submission(
    submission_id: Id,
    body: ReturnIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> SubmissionDetail:
    row = get_scoped(db, CheckinSubmission, submission_id, scope)
    review.return_for_correction(
        db, clock=clock, staff=me, row=row, version=body.version, reasons=body.reasons
    )
    return review.detail(db, row=row)


@router.post(
    "/checkin/submissions/{submission_id}/talk",
    response_model=SubmissionDetail,
    summary="标为需约谈",
)
def talk(
    submission_id: Id,
    body: TalkIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> SubmissionDetail:
    row = get_scoped(db, CheckinSubmission, submission_id, scope)
    review.flag_for_talk(db, clock=clock, staff=me, row=row, version=body.version, note=body.note)
    return review.detail(db, row=row)


@router.post("/contacts", status_code=201, summary="记一次联系（上门、电话、微信、现场）")
def log_contact(
    body: ContactIn, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> dict[str, object]:
    entry = contacts.log(db, clock=clock, staff=me, scope=scope, data=body)
    return {"id": entry.id, "retiree_id": entry.retiree_id, "channel": entry.channel}


@router.get("/contacts/due", response_model=ContactDuePage, summary="本月还没联系的老同志")
def contacts_due(
    db: SessionDep,
    clock: ClockDep,
    scope: StaffScope,
    limit: int = Query(default=200, ge=1, le=1000),
    offset: Count = 0,
) -> ContactDuePage:
    return contacts.due(db, clock=clock, scope=scope, limit=limit, offset=offset)


@router.post("/retirees/{retiree_id}/pause-payments", summary="失联：暂停发放（可恢复）")
def pause(
    retiree_id: Id, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> dict[str, object]:
    retiree = contacts.pause_payments(db, clock=clock, staff=me, scope=scope, retiree_id=retiree_id)
    return {"retiree_id": retiree.id, "status": retiree.status}


@router.post("/retirees/{retiree_id}/resume-payments", summary="恢复发放")
def resume(
    retiree_id: Id, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> dict[str, object]:
    retiree = contacts.resume_payments(
        db, clock=clock, staff=me, scope=scope, retiree_id=retiree_id
    )
    return {"retiree_id": retiree.id, "status": retiree.status}
