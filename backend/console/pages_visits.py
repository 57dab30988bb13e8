"""Console pages for visits (走访): 我的走访 (this week's list, overdue first), the visit record
form, follow-ups, 定人包户, reporting 住院 / 家庭变故, festival campaigns with coverage and
export, and the visit frequencies of a unit. The same service functions as the JSON API."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, Response

from backend.accounts import staff as staff_accounts
from backend.accounts import units
from backend.console.auth import ConsoleStaff, scope_of
from backend.console.forms import PickedRetiree, attempt, form_once, outcome, redirect
from backend.console.page_router import page_router
from backend.console.render import page
from backend.core.clock import local_today
from backend.core.deps import ClockDep, SessionDep
from backend.core.inputs import Id
from backend.core.xlsx import xlsx_response
from backend.visits import campaigns, plans, records, tasks
from backend.visits.schemas import (
    AssignIn,
    CampaignIn,
    CloseIn,
    EventIn,
    EventKind,
    Festival,
    FrequencyIn,
    VisitIn,
    VisitKind,
)

router = page_router("/visits")


class VisitForm(PickedRetiree, VisitIn):
    pass


class EventForm(PickedRetiree, EventIn):
    pass


@router.get("", response_class=HTMLResponse)
def my_visits(
    request: Request, db: SessionDep, clock: ClockDep, me: ConsoleStaff, everyone: bool = False
) -> HTMLResponse:
    scope = scope_of(request)
    result = plans.due_this_week(db, clock=clock, scope=scope, staff=me, mine=not everyone)
    return page(
        request,
        "visits.html",
        {
            "nav": "visits",
            "p": result,
            "everyone": everyone,
            "overdue": sum(1 for r in result.data if r.overdue),
            "staff_list": [s for s in staff_accounts.list_in_scope(db, scope) if s.active],
            "events": [k.value for k in EventKind],
        },
    )


@router.post("/assign")
def assign(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[AssignIn, Form()],
) -> Response:
    count, error = attempt(
        db, lambda: plans.assign(db, clock=clock, staff=me, scope=scope_of(request), data=form)
    )
    return outcome("/console/visits?everyone=true", error, f"已定人包户，改了{count}位。")


@router.post("/events")
@form_once
def report_event(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[EventForm, Form()],
) -> Response:
    task, error = attempt(
        db,
        lambda: tasks.report_event_as_staff(
            db, clock=clock, staff=me, scope=scope_of(request), data=form
        ),
    )
    done = f"已安排看望，请在{task.due_on.month}月{task.due_on.day}日前去。" if task else None
    return outcome("/console/visits?everyone=true", error, done)


@router.post("/tasks/{task_id}/close")
def close_task(
    request: Request, task_id: int, db: SessionDep, clock: ClockDep, me: ConsoleStaff
) -> Response:
    _, error = attempt(
        db,
        lambda: tasks.close_task(
            db, clock=clock, staff=me, scope=scope_of(request), task_id=task_id
        ),
    )
    return outcome("/console/visits", error, "这项任务已办完。")


@router.get("/record", response_class=HTMLResponse)
def record_form(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    retiree_id: Id | None = None,
    task_id: Id | None = None,
) -> HTMLResponse:
    scope = scope_of(request)
    picked = records.picked(db, scope=scope, retiree_id=retiree_id) if retiree_id else None
    history = (
        records.history(db, clock=clock, scope=scope, retiree_id=picked.id, limit=5)
        if picked
        else None
    )
    return page(
        request,
        "visit_form.html",
        {
            "nav": "visits",
            "chosen": [picked] if picked else [],
            "task_id": task_id,
            "kinds": [k.value for k in VisitKind],
            "staff_list": [s for s in staff_accounts.list_in_scope(db, scope) if s.active],
            "campaigns": campaigns.list_in_scope(db, scope=scope).data,
            "today": local_today(clock),
            "history": history,
        },
    )


@router.post("/record")
@form_once
def record(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[VisitForm, Form()],
) -> Response:
    _, error = attempt(
        db, lambda: records.record(db, clock=clock, staff=me, scope=scope_of(request), data=form)
    )
    if error is not None:
        return redirect(f"/console/visits/record?retiree_id={form.retiree_id}", err=error.message)
    return redirect("/console/visits", "已记下这次走访，也算作本月的联系。")


@router.get("/follow-ups", response_class=HTMLResponse)
def follow_ups(
    request: Request, db: SessionDep, clock: ClockDep, me: ConsoleStaff, everyone: bool = False
) -> HTMLResponse:
    result = records.follow_ups(
        db, clock=clock, scope=scope_of(request), staff=None if everyone else me
    )
    return page(
        request,
        "visit_follow_ups.html",
        {"nav": "visits", "p": result, "everyone": everyone},
    )


@router.post("/follow-ups/{follow_up_id}/close")
def close_follow_up(
    request: Request,
    follow_up_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[CloseIn, Form()],
) -> Response:
    _, error = attempt(
        db,
        lambda: records.close_follow_up(
            db, clock=clock, staff=me, scope=scope_of(request), follow_up_id=follow_up_id, data=form
        ),
    )
    return outcome("/console/visits/follow-ups", error, "已办结。")


@router.get("/campaigns", response_class=HTMLResponse)
def campaign_list(request: Request, db: SessionDep, clock: ClockDep) -> HTMLResponse:
    scope = scope_of(request)
    return page(
        request,
        "visit_campaigns.html",
        {
            "nav": "visits",
            "p": campaigns.list_in_scope(db, scope=scope),
            "festivals": [f.value for f in Festival],
            "units": units.subtree(db, scope),
            "today": local_today(clock),
        },
    )


@router.post("/campaigns")
@form_once
def create_campaign(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[CampaignIn, Form()],
) -> Response:
    campaign, error = attempt(
        db, lambda: campaigns.create(db, clock=clock, staff=me, scope=scope_of(request), data=form)
    )
    if campaign is None:
        return outcome("/console/visits/campaigns", error, None)
    return redirect(f"/console/visits/campaigns/{campaign.id}", "已开始这次节日走访。")


@router.get("/campaigns/{visit_campaign_id}", response_class=HTMLResponse)
def coverage(request: Request, visit_campaign_id: int, db: SessionDep) -> HTMLResponse:
    result = campaigns.coverage(db, scope=scope_of(request), campaign_id=visit_campaign_id)
    return page(request, "visit_coverage.html", {"nav": "visits", "c": result})


@router.get("/campaigns/{visit_campaign_id}/export.xlsx")
def export(request: Request, visit_campaign_id: int, db: SessionDep) -> Response:
    name, data = campaigns.export(db, scope=scope_of(request), campaign_id=visit_campaign_id)
    return xlsx_response(data, f"{name}")


@router.get("/settings", response_class=HTMLResponse)
def settings(request: Request, db: SessionDep, unit_id: Id | None = None) -> HTMLResponse:
    scope = scope_of(request)
    unit = plans.unit_in_scope(db, scope=scope, unit_id=unit_id) if unit_id else scope
    return page(
        request,
        "visit_settings.html",
        {
            "nav": "visits",
            "unit": unit,
            "units": units.subtree(db, scope),
            "rows": plans.frequencies(db, unit=unit).data,
        },
    )


@router.post("/settings/{unit_id}")
def save_setting(
    request: Request,
    unit_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[FrequencyIn, Form()],
) -> Response:
    _, error = attempt(
        db,
        lambda: plans.set_frequency(
            db, clock=clock, staff=me, scope=scope_of(request), unit_id=unit_id, data=form
        ),
    )
    return outcome(f"/console/visits/settings?unit_id={unit_id}", error, "已保存走访频次。")
