"""Console page for monthly contact: who has not been contacted this month, log a contact,
and the reversible pause of payments for someone out of contact for six months."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, Response

from backend.checkin import contacts
from backend.checkin.schemas import ContactChannel, ContactIn
from backend.console.auth import ConsoleStaff, scope_of
from backend.console.forms import attempt, form_once, outcome
from backend.console.page_router import page_router
from backend.console.render import page
from backend.core.deps import ClockDep, SessionDep

router = page_router("/contacts")
MANUAL_CHANNELS = [c.value for c in ContactChannel if c != ContactChannel.checkin]


@router.get("", response_class=HTMLResponse)
def due(request: Request, db: SessionDep, clock: ClockDep, _: ConsoleStaff) -> HTMLResponse:
    result = contacts.due(db, clock=clock, scope=scope_of(request), limit=500)
    return page(
        request,
        "contacts.html",
        {
            "nav": "contacts",
            "p": result,
            "lost": sum(1 for r in result.data if r.lost_contact),
            "channels": MANUAL_CHANNELS,
        },
    )


@router.post("")
@form_once
def log_contact(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[ContactIn, Form()],
) -> Response:
    _, error = attempt(
        db, lambda: contacts.log(db, clock=clock, staff=me, scope=scope_of(request), data=form)
    )
    return outcome("/console/contacts", error, "已记下这次联系。")


@router.post("/{retiree_id}/pause")
def pause(
    request: Request,
    retiree_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
) -> Response:
    _, error = attempt(
        db,
        lambda: contacts.pause_payments(
            db, clock=clock, staff=me, scope=scope_of(request), retiree_id=retiree_id
        ),
    )
    return outcome("/console/contacts", error, "已暂停发放，可以随时恢复。")


@router.post("/{retiree_id}/resume")
def resume(
    request: Request,
    retiree_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
) -> Response:
    _, error = attempt(
        db,
        lambda: contacts.resume_payments(
            db, clock=clock, staff=me, scope=scope_of(request), retiree_id=retiree_id
        ),
    )
    return outcome("/console/contacts", error, "已恢复发放。")
