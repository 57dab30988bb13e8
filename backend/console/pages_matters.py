"""Console pages for 事项报告: the queue (what is due, what is late, per kind), one matter with
its steps and the buttons for the step it is at, recording a matter for a retiree, the printable
审批表 and the export for the higher department. The same service functions and input schemas
as the staff API; every write audited."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, Response

from backend.accounts import units
from backend.console.auth import ConsoleStaff, scope_of
from backend.console.forms import PickedRetiree, attempt, form_once, outcome, redirect
from backend.console.page_router import page_router
from backend.console.render import page
from backend.core.clock import local_day, local_today
from backend.core.deps import ClockDep, SessionDep
from backend.core.pdf import pdf_response
from backend.core.xlsx import xlsx_response
from backend.matters import printing, queue, rules, service, views, wording
from backend.matters.models import Kind
from backend.matters.schemas import (
    REQUIRED,
    AcknowledgeIn,
    DecisionIn,
    MatterIn,
    QuarterlyIn,
    ReturnIn,
)
from backend.matters.staff_router import period

router = page_router("/matters")
HERE = "/console/matters"


class MatterForm(PickedRetiree, MatterIn):
    pass


@router.get("", response_class=HTMLResponse)
def queue_page(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    _: ConsoleStaff,
    show: str = "open",
    kind: str = "",
) -> HTMLResponse:
    shown = queue.Show(show) if show in queue.Show.__members__ else queue.Show.open
    chosen = Kind(kind) if kind in {k.value for k in Kind} else None
    ids = units.subtree_ids(db, scope_of(request))
    found = queue.page(db, clock=clock, unit_ids=ids, show=shown, kind=chosen, limit=200)
    first, last = period(clock, None, None)
    return page(
        request,
        "matters.html",
        {
            "nav": "matters",
            "p": found,
            "show": shown.value,
            "kind": chosen.value if chosen else "",
            "kinds": [k.value for k in Kind],
            "rules": {k.value: r for k, r in rules.RULES.items()},
            "asks": {k.value: [n for n, _ in REQUIRED[k]] for k in Kind},
            "first": first,
            "last": last,
        },
    )


@router.post("")
@form_once
def record(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[MatterForm, Form()],
) -> Response:
    made, error = attempt(
        db,
        lambda: service.record_for(db, clock=clock, staff=me, scope=scope_of(request), data=form),
    )
    if error is not None or made is None:
        return outcome(HERE, error, None)
    return redirect(
        f"{HERE}/{made.id}",
        f"已登记{form.kind.value}，期限到{wording.due_words(made.due_at)}。",
    )


@router.get("/export.xlsx")
def export(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    _: ConsoleStaff,
    start: date | None = None,
    end: date | None = None,
) -> Response:
    chosen, error = attempt(db, lambda: period(clock, start, end))
    if error is not None or chosen is None:
        return redirect(HERE, err=error.message if error else None)
    first, last = chosen
    data = queue.export_xlsx(
        db,
        clock=clock,
        unit_ids=units.subtree_ids(db, scope_of(request)),
        start=local_day(first)[0],
        end=local_day(last)[1],
    )
    return xlsx_response(data, "matters.xlsx")


@router.get("/{matter_id}", response_class=HTMLResponse)
def detail(
    request: Request, matter_id: int, db: SessionDep, clock: ClockDep, _: ConsoleStaff
) -> HTMLResponse:
    matter = service.get_in_scope(db, scope=scope_of(request), matter_id=matter_id)
    card = views.cards(db, [matter], clock=clock)[0]
    return page(
        request,
        "matter_detail.html",
        {
            "nav": "matters",
            "m": card,
            "can_return": service.can_report_return(matter, local_today(clock)),
            "today": local_today(clock),
        },
    )


@router.get("/{matter_id}/form.pdf")
def form_pdf(
    request: Request, matter_id: int, db: SessionDep, clock: ClockDep, _: ConsoleStaff
) -> Response:
    matter = service.get_in_scope(db, scope=scope_of(request), matter_id=matter_id)
    return pdf_response(printing.form_pdf(db, clock=clock, matter=matter), f"事项{matter.id}.pdf")


def _back(matter_id: int) -> str:
    return f"{HERE}/{matter_id}"


@router.post("/{matter_id}/sign")
def sign(
    request: Request,
    matter_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[DecisionIn, Form()],
) -> Response:
    _, error = attempt(
        db,
        lambda: service.sign(
            db, clock=clock, staff=me, scope=scope_of(request), matter_id=matter_id, data=form
        ),
    )
    done = "已签署同意意见，报上级部门审批。" if form.agree else "已签署不同意意见，已告诉老同志。"
    return outcome(_back(matter_id), error, done)


@router.post("/{matter_id}/decide")
def decide(
    request: Request,
    matter_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[DecisionIn, Form()],
) -> Response:
    _, error = attempt(
        db,
        lambda: service.decide(
            db, clock=clock, staff=me, scope=scope_of(request), matter_id=matter_id, data=form
        ),
    )
    done = "已批准，已告诉老同志。" if form.agree else "已记下不批准，已告诉老同志。"
    return outcome(_back(matter_id), error, done)


@router.post("/{matter_id}/acknowledge")
def acknowledge(
    request: Request,
    matter_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[AcknowledgeIn, Form()],
) -> Response:
    _, error = attempt(
        db,
        lambda: service.acknowledge(
            db, clock=clock, staff=me, scope=scope_of(request), matter_id=matter_id, data=form
        ),
    )
    return outcome(_back(matter_id), error, "已阅知，已告诉老同志。")


@router.post("/{matter_id}/return")
def report_return(
    request: Request,
    matter_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[ReturnIn, Form()],
) -> Response:
    def act() -> None:
        matter = service.get_in_scope(db, scope=scope_of(request), matter_id=matter_id)
        service.report_return(
            db,
            clock=clock,
            matter=matter,
            returned_on=form.returned_on,
            by=service.staff_label(me),
            staff=me,
        )

    _, error = attempt(db, act)
    return outcome(_back(matter_id), error, "已登记回来了。请提醒老同志10天内交回护照。")


@router.post("/{matter_id}/quarterly")
@form_once
def report_quarter(
    request: Request,
    matter_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[QuarterlyIn, Form()],
) -> Response:
    def act() -> None:
        matter = service.get_in_scope(db, scope=scope_of(request), matter_id=matter_id)
        service.report_quarter(
            db, clock=clock, matter=matter, text=form.text, by=service.staff_label(me), staff=me
        )

    _, error = attempt(db, act)
    return outcome(_back(matter_id), error, "已登记这次季度汇报。")
