"""Console page for 报平安: today's board (who checked in, who has not, who was reminded, who
was escalated), "已联系上", and turning it on or off, the time and pauses for a retiree. The
same service functions and input models as the staff API; every write audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, Response

from backend.console.auth import ConsoleStaff, scope_of
from backend.console.forms import attempt, form_once, outcome
from backend.console.page_router import page_router
from backend.console.render import page
from backend.core.deps import ClockDep, SessionDep
from backend.safecheck import staff as safecheck
from backend.safecheck.schemas import PauseKind, PauseSettings, PlanSettings

router = page_router("/safecheck")
HERE = "/console/safecheck"


@router.get("", response_class=HTMLResponse)
def today(request: Request, db: SessionDep, clock: ClockDep, _: ConsoleStaff) -> HTMLResponse:
    board = safecheck.board(db, clock=clock, scope=scope_of(request))
    return page(
        request,
        "safecheck.html",
        {"nav": "safecheck", "b": board, "kinds": [k.value for k in PauseKind]},
    )


@router.post("/{retiree_id}/plan")
@form_once
def save_plan(
    request: Request,
    retiree_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[PlanSettings, Form()],
) -> Response:
    _, error = attempt(
        db,
        lambda: safecheck.save_plan(
            db, clock=clock, staff=me, scope=scope_of(request), retiree_id=retiree_id, data=form
        ),
    )
    done = f"已开通，每天{form.due_time}前报平安。" if form.enabled else "已关闭报平安。"
    return outcome(HERE, error, done)


@router.post("/{retiree_id}/confirm")
def confirm(
    request: Request, retiree_id: int, db: SessionDep, clock: ClockDep, me: ConsoleStaff
) -> Response:
    _, error = attempt(
        db,
        lambda: safecheck.confirm(
            db, clock=clock, staff=me, scope=scope_of(request), retiree_id=retiree_id
        ),
    )
    return outcome(HERE, error, "已记下：今天联系上了，平安。")


@router.post("/{retiree_id}/pauses")
@form_once
def add_pause(
    request: Request,
    retiree_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[PauseSettings, Form()],
) -> Response:
    _, error = attempt(
        db,
        lambda: safecheck.add_pause(
            db, clock=clock, staff=me, scope=scope_of(request), retiree_id=retiree_id, data=form
        ),
    )
    return outcome(HERE, error, "已暂停，这几天不提醒。")
