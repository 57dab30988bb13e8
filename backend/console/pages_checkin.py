"""Console pages for the annual check-in: campaigns and progress, the review queue, one
submission beside last year's, in-person records."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from pydantic import BaseModel, model_validator
from sqlmodel import Session

from backend.accounts import picker, units
from backend.accounts.enums import CareFlag
from backend.accounts.scope import get_scoped
from backend.checkin import campaigns, progress, review, views
from backend.checkin.models import CheckinCampaign, CheckinSubmission
from backend.checkin.schemas import (
    COMMON_RETURN_REASONS,
    FIELD_LABELS,
    CampaignExtendIn,
    CampaignIn,
    Channel,
    RecordIn,
)
from backend.checkin.submissions import photo_file
from backend.console.auth import ConsoleStaff, scope_of
from backend.console.forms import (
    FilterId,
    PickedRetiree,
    SeenVersion,
    attempt,
    form_once,
    outcome,
    redirect,
)
from backend.console.page_router import page_router
from backend.console.render import page
from backend.core.clock import local_today
from backend.core.deps import ClockDep, SessionDep
from backend.core.errors import BadRequest, NotFound
from backend.core.xlsx import xlsx_response

router = page_router("/checkin")
STATUS_FILTERS = {
    "": "全部",
    "submitted": "已提交待审核",
    "none": "未提交",
    "returned": "退回需补正",
    "talk": "需约谈",
    "approved": "已通过",
    "overdue": "逾期未完成",
}


class RecordForm(PickedRetiree, RecordIn):
    """The in-person record form: its few answers are flat fields (same_address as 1/0)."""

    @model_validator(mode="before")
    @classmethod
    def _answers(cls, data: Any) -> Any:
        if not isinstance(data, dict) or "answers" in data:
            return data
        answers: dict[str, Any] = {"same_address": data.get("same_address", "1") != "0"}
        for name in ("new_address", "phone"):
            if str(data.get(name) or "").strip():
                answers[name] = data[name]
        return {**data, "answers": answers}


def _campaigns_page(
    request: Request, db: SessionDep, clock: ClockDep, error: str | None = None, status: int = 200
) -> HTMLResponse:
    scope = scope_of(request)
    today = local_today(clock)
    return page(
        request,
        "checkin_campaigns.html",
        {
            "nav": "checkin",
            "rows": [views.to_public(c, today) for c in campaigns.list_in_scope(db, scope)],
            "units": units.subtree(db, scope),
            "year": today.year,
            "error": error,
        },
        status_code=status,
    )


@router.get("", response_class=HTMLResponse)
def list_campaigns(
    request: Request, db: SessionDep, clock: ClockDep, _: ConsoleStaff
) -> HTMLResponse:
    return _campaigns_page(request, db, clock)


@router.post("", response_class=HTMLResponse)
@form_once
def open_campaign(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[CampaignIn, Form()],
) -> Response:
    scope = scope_of(request)
    campaign, error = attempt(
        db, lambda: campaigns.create(db, clock=clock, staff=me, scope=scope, data=form)
    )
    if error is not None or campaign is None:
        message = error.message if error else "没有开成功"
        return _campaigns_page(request, db, clock, message, error.status_code if error else 400)
    return redirect(
        f"/console/checkin/{campaign.id}", "已开启。老同志会收到提醒（上午9点到晚上8点之间发）。"
    )


@router.get("/{campaign_id}", response_class=HTMLResponse)
def dashboard(
    request: Request, campaign_id: int, db: SessionDep, clock: ClockDep, _: ConsoleStaff
) -> HTMLResponse:
    campaign, root = campaigns.get_in_scope(db, campaign_id, scope_of(request))
    stats = progress.build(db, clock=clock, campaign=campaign, root=root)
    return page(
        request,
        "checkin_dashboard.html",
        {
            "nav": "checkin",
            "c": campaign,
            "p": stats,
            "can_extend": campaigns.may_extend(campaign, root),
        },
    )


@router.post("/{campaign_id}/extend")
def extend(
    request: Request,
    campaign_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[CampaignExtendIn, Form()],
) -> Response:
    _, error = attempt(
        db,
        lambda: campaigns.extend(
            db,
            clock=clock,
            staff=me,
            scope=scope_of(request),
            campaign_id=campaign_id,
            closes_on=form.closes_on,
        ),
    )
    if isinstance(error, NotFound):
        raise error  # someone else's campaign: the same 404 page as any missing one
    url = f"/console/checkin/{campaign_id}"
    return outcome(url, error, "截止日期已延长。")


@router.get("/{campaign_id}/export.xlsx")
def export(
    request: Request, campaign_id: int, db: SessionDep, clock: ClockDep, _: ConsoleStaff
) -> Response:
    campaign, root = campaigns.get_in_scope(db, campaign_id, scope_of(request))
    data = progress.export_xlsx(db, clock=clock, campaign=campaign, root=root)
    return xlsx_response(data, f"checkin-{campaign.year}.xlsx")


class QueueFilter(BaseModel):
    """The review queue's filters, from the page's address."""

    status: str = ""
    unit_id: FilterId = None
    care_flag: str = ""
    on_behalf: str = ""


@router.get("/{campaign_id}/queue", response_class=HTMLResponse)
def queue(
    request: Request,
    campaign_id: int,
    db: SessionDep,
    _: ConsoleStaff,
    f: Annotated[QueueFilter, Query()],
) -> HTMLResponse:
    campaign, root = campaigns.get_in_scope(db, campaign_id, scope_of(request))
    rows, count = review.queue(
        db,
        campaign=campaign,
        root=root,
        status=f.status if f.status in STATUS_FILTERS and f.status else None,
        unit_id=f.unit_id,
        care_flag=f.care_flag or None,
        on_behalf=True if f.on_behalf == "1" else None,
        limit=300,
    )
    return page(
        request,
        "checkin_queue.html",
        {
            "nav": "checkin",
            "c": campaign,
            "rows": rows,
            "count": count,
            "units": units.subtree(db, root),
            "flags": [f.value for f in CareFlag],
            "statuses": STATUS_FILTERS,
            "f": f,
            "unchanged": sum(1 for r in rows if r.unchanged),
        },
    )


@router.post("/{campaign_id}/approve-unchanged")
def approve_unchanged(
    request: Request,
    campaign_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
) -> Response:
    campaign, root = campaigns.get_in_scope(db, campaign_id, scope_of(request))
    count, error = attempt(
        db,
        lambda: review.bulk_approve_unchanged(
            db, clock=clock, staff=me, campaign=campaign, root=root
        ),
    )
    url = f"/console/checkin/{campaign_id}/queue?status=submitted"
    return outcome(url, error, f"已通过 {count} 份没有变化的登记。")


def _record_page(
    request: Request,
    db: Session,
    campaign: CheckinCampaign,
    retiree_id: str,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    ids = picker.parse_ids([retiree_id])
    return page(
        request,
        "checkin_record.html",
        {
            "nav": "checkin",
            "c": campaign,
            "chosen": picker.chosen(db, scope=scope_of(request), ids=ids),
            "channels": [c.value for c in Channel if c != Channel.miniprogram],
            "error": error,
        },
        status_code=status,
    )


@router.get("/{campaign_id}/record", response_class=HTMLResponse)
def record_form(
    request: Request, campaign_id: int, db: SessionDep, _: ConsoleStaff, retiree_id: str = ""
) -> HTMLResponse:
    campaign, _root = campaigns.get_in_scope(db, campaign_id, scope_of(request))
    return _record_page(request, db, campaign, retiree_id)


@router.post("/{campaign_id}/record", response_class=HTMLResponse)
@form_once
def record(
    request: Request,
    campaign_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[RecordForm, Form()],
) -> Response:
    campaign, root = campaigns.get_in_scope(db, campaign_id, scope_of(request))
    row, error = attempt(
        db,
        lambda: review.record_in_person(
            db, clock=clock, staff=me, campaign=campaign, root=root, data=form
        ),
    )
    if error is not None or row is None:
        message = error.message if error else "没有登记成功"
        return _record_page(request, db, campaign, str(form.retiree_id), message, 400)
    return redirect(f"/console/checkin/submissions/{row.id}", "已登记并通过。")


def _submission_page(
    request: Request,
    db: SessionDep,
    submission_id: int,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    row = get_scoped(db, CheckinSubmission, submission_id, scope_of(request))
    campaign = campaigns.find(db, row.campaign_id)
    return page(
        request,
        "checkin_submission.html",
        {
            "nav": "checkin",
            "s": review.detail(db, row=row),
            "c": campaign,
            "labels": FIELD_LABELS,
            "reasons": COMMON_RETURN_REASONS,
            "error": error,
        },
        status_code=status,
    )


@router.get("/submissions/{submission_id}", response_class=HTMLResponse)
def submission(
    request: Request, submission_id: int, db: SessionDep, _: ConsoleStaff
) -> HTMLResponse:
    return _submission_page(request, db, submission_id)


@router.get("/submissions/{submission_id}/photo")
def submission_photo(
    request: Request, submission_id: int, db: SessionDep, _: ConsoleStaff
) -> Response:
    row = get_scoped(db, CheckinSubmission, submission_id, scope_of(request))
    found = photo_file(row, request.app.state.ctx.settings.upload_dir)
    if found is None:
        raise NotFound("没有照片。")
    return FileResponse(found[0], media_type=found[1])


class ReviewForm(BaseModel):
    """One of a submission's three review forms (`action` is the button pressed). A reason for
    one answer arrives as reason_<field>; they are gathered into `reasons`."""

    action: str = ""
    version: SeenVersion = None
    talk_note: str = ""
    common_reason: list[str] = []
    reason_general: str = ""
    reasons: dict[str, str] = {}

    @model_validator(mode="before")
    @classmethod
    def _gather(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        boxes = {f: data.get(f"reason_{f}") for f in FIELD_LABELS}
        return {**data, "reasons": {f: v for f, v in boxes.items() if isinstance(v, str)}}

    def return_reasons(self) -> dict[str, str]:
        """The boxes as the API's reasons; the rules (at least one, 200 characters each) are the
        service's, so the console and the API cannot disagree."""
        reasons = dict(self.reasons)
        general = "；".join([*self.common_reason, self.reason_general.strip()]).strip("；")
        if general:
            reasons["general"] = general
        return reasons


@router.post("/submissions/{submission_id}/review", response_class=HTMLResponse)
def review_action(
    request: Request,
    submission_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[ReviewForm, Form()],
) -> Response:
    row = get_scoped(db, CheckinSubmission, submission_id, scope_of(request))

    def work() -> Any:
        version = form.version
        if version is None:
            raise BadRequest("页面过期了，请刷新后再操作。")
        if form.action == "approve":
            return review.approve(db, clock=clock, staff=me, row=row, version=version)
        if form.action == "return":
            return review.return_for_correction(
                db, clock=clock, staff=me, row=row, version=version, reasons=form.return_reasons()
            )
        if form.action == "talk":
            return review.flag_for_talk(
                db, clock=clock, staff=me, row=row, version=version, note=form.talk_note
            )
        raise BadRequest("不支持这种操作。")

    _, error = attempt(db, work)
    if error is not None:
        return _submission_page(request, db, submission_id, error.message, error.status_code)
    message = {
        "approve": "已通过，老同志会收到消息。",
        "return": "已退回，老同志会收到要改的地方。",
    }
    return redirect(
        f"/console/checkin/submissions/{submission_id}", message.get(form.action, "已标为需约谈。")
    )
