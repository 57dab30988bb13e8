"""Console pages for 失联 cases (Jilin 第十五条): the list (open first), a case with its timeline
and forms, and the report list the parent unit receives (with its .xlsx)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, Response

from backend.checkin import lost, lost_actions
from backend.checkin.lost_schemas import (
    CloseIn,
    InvestigationIn,
    NoteIn,
    PauseChoice,
    PauseDecisionIn,
    RestoredHow,
)
from backend.console.auth import ConsoleStaff, scope_of
from backend.console.forms import attempt, form_once, outcome
from backend.console.page_router import page_router
from backend.console.render import page
from backend.core.clock import local_today
from backend.core.deps import ClockDep, SessionDep
from backend.core.xlsx import xlsx_response

router = page_router("/lost")


@router.get("", response_class=HTMLResponse)
def cases(request: Request, db: SessionDep, clock: ClockDep, _: ConsoleStaff) -> HTMLResponse:
    result = lost.list_cases(db, clock=clock, scope=scope_of(request), limit=500)
    open_count = sum(1 for r in result.data if r.status == "处理中")
    return page(request, "lost_cases.html", {"nav": "lost", "p": result, "open": open_count})


@router.get("/reports", response_class=HTMLResponse)
def reports(request: Request, db: SessionDep, clock: ClockDep, _: ConsoleStaff) -> HTMLResponse:
    result = lost.reports(db, clock=clock, scope=scope_of(request), limit=500)
    return page(request, "lost_reports.html", {"nav": "lost", "p": result})


@router.get("/reports.xlsx")
def reports_xlsx(request: Request, db: SessionDep, clock: ClockDep, _: ConsoleStaff) -> Response:
    data = lost.report_xlsx(db, clock=clock, scope=scope_of(request))
    return xlsx_response(data, "lost-contact-report.xlsx")


@router.get("/{lost_case_id}", response_class=HTMLResponse)
def case(
    request: Request, lost_case_id: int, db: SessionDep, clock: ClockDep, _: ConsoleStaff
) -> HTMLResponse:
    detail = lost_actions.detail(db, clock=clock, scope=scope_of(request), case_id=lost_case_id)
    return page(
        request,
        "lost_case.html",
        {
            "nav": "lost",
            "c": detail,
            "today": local_today(clock).isoformat(),
            "ways": [w.value for w in RestoredHow],
            "choices": [c.value for c in PauseChoice],
        },
    )


def _back(case_id: int) -> str:
    return f"/console/lost/{case_id}"


@router.post("/{lost_case_id}/investigation")
def assign(
    request: Request,
    lost_case_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[InvestigationIn, Form()],
) -> Response:
    _, error = attempt(
        db,
        lambda: lost_actions.assign(
            db, clock=clock, staff=me, scope=scope_of(request), case_id=lost_case_id, data=form
        ),
    )
    return outcome(_back(lost_case_id), error, "已定下调查人和期限。")


@router.post("/{lost_case_id}/notes")
@form_once
def add_note(
    request: Request,
    lost_case_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[NoteIn, Form()],
) -> Response:
    _, error = attempt(
        db,
        lambda: lost_actions.add_note(
            db, clock=clock, staff=me, scope=scope_of(request), case_id=lost_case_id, data=form
        ),
    )
    return outcome(_back(lost_case_id), error, "已记下调查情况。")


@router.post("/{lost_case_id}/pause-decision")
def decide_pause(
    request: Request,
    lost_case_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[PauseDecisionIn, Form()],
) -> Response:
    _, error = attempt(
        db,
        lambda: lost_actions.decide_pause(
            db, clock=clock, staff=me, scope=scope_of(request), case_id=lost_case_id, data=form
        ),
    )
    done = (
        "已暂停发放，可以随时恢复。" if form.decision == PauseChoice.pause else "已记下：不暂停。"
    )
    return outcome(_back(lost_case_id), error, done)


@router.post("/{lost_case_id}/close")
def close(
    request: Request,
    lost_case_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[CloseIn, Form()],
) -> Response:
    _, error = attempt(
        db,
        lambda: lost_actions.close(
            db, clock=clock, staff=me, scope=scope_of(request), case_id=lost_case_id, data=form
        ),
    )
    resumed = "，已恢复发放" if form.resume_payments else ""
    return outcome(_back(lost_case_id), error, f"已结案{resumed}。")
