"""Console pages for 紧急求助: the open alerts (also at the top of 首页), acknowledge, the outcome,
the history, and the small poll the pages' script asks to hear of a new alert."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ValidationError

from backend.accounts import units
from backend.console.auth import ConsoleStaff, scope_of
from backend.console.forms import attempt, form_errors, outcome, redirect
from backend.console.page_router import page_router
from backend.console.render import page
from backend.core.deps import ClockDep, SessionDep
from backend.sos import contacts, service, views
from backend.sos.schemas import AlertCard, CloseIn, ContactIn, ContactsIn, Poll

router = page_router("/sos")
PAGE_SIZE = 100


def open_cards(request: Request, db: SessionDep, clock: ClockDep) -> list[AlertCard]:
    """The open alerts of the staff member's subtree, oldest first (首页 and this page)."""
    ids = units.subtree_ids(db, scope_of(request))
    return views.cards(db, service.open_in_scope(db, unit_ids=ids), clock.now())


@router.get("", response_class=HTMLResponse)
def alerts_page(
    request: Request, db: SessionDep, clock: ClockDep, _: ConsoleStaff, offset: int = 0
) -> HTMLResponse:
    ids = units.subtree_ids(db, scope_of(request))
    offset = max(0, min(offset, 10**6))
    rows, total = service.history(db, unit_ids=ids, limit=PAGE_SIZE, offset=offset)
    return page(
        request,
        "sos.html",
        {
            "nav": "sos",
            "open_alerts": open_cards(request, db, clock),
            "history": views.cards(db, rows, clock.now()),
            "total": total,
            "offset": offset,
            "size": PAGE_SIZE,
            "outcomes": service.outcome_choices(),
        },
    )


@router.get("/poll", response_class=JSONResponse)
def poll(request: Request, db: SessionDep, _: ConsoleStaff) -> JSONResponse:
    ids = units.subtree_ids(db, scope_of(request))
    rows = service.open_in_scope(db, unit_ids=ids)
    found = Poll(open=len(rows), newest_id=max((r.id or 0 for r in rows), default=0))
    return JSONResponse(found.model_dump(), headers={"Cache-Control": "no-store"})


# Where an action's form returns to: 首页 or this page.
Back = Literal["home", "list"]


def _back(back: Back) -> str:
    return "/console" if back == "home" else "/console/sos"


class ContactsForm(BaseModel):
    """The console's three rows (name, relation, phone repeated in page order); rows left
    empty are dropped and the rest checked as the API's ContactsIn."""

    name: list[str] = []
    relation: list[str] = []
    phone: list[str] = []

    def to_input(self) -> ContactsIn:
        rows = zip(self.name, self.relation, self.phone, strict=False)
        people = [
            {"name": n.strip(), "relation": r.strip(), "phone": p.strip()}
            for n, r, p in rows
            if n.strip() or r.strip() or p.strip()
        ]
        return ContactsIn.model_validate({"contacts": people})


@router.get("/contacts/{retiree_id}", response_class=HTMLResponse)
def contacts_page(
    request: Request, retiree_id: int, db: SessionDep, _: ConsoleStaff
) -> HTMLResponse:
    person = contacts.retiree_in_scope(db, scope=scope_of(request), retiree_id=retiree_id)
    held = contacts.shown(db, retiree_id=retiree_id, can_edit=True).contacts
    rows = [*held, *[None] * (3 - len(held))]
    return page(request, "sos_contacts.html", {"nav": "sos", "r": person, "rows": rows})


@router.post("/contacts/{retiree_id}")
def save_contacts(
    request: Request,
    retiree_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[ContactsForm, Form()],
) -> Response:
    url = f"/console/sos/contacts/{retiree_id}"
    try:
        data = form.to_input()
    except ValidationError as exc:
        return redirect(url, err="；".join(dict.fromkeys(form_errors(exc, ContactIn))))

    def save() -> None:
        person = contacts.retiree_in_scope(db, scope=scope_of(request), retiree_id=retiree_id)
        contacts.replace(
            db,
            clock=clock,
            retiree_id=retiree_id,
            unit_id=person.unit_id,
            items=data.contacts,
            by=f"工作人员 {me.display_name}",
            staff=me,
        )

    _, error = attempt(db, save)
    return outcome(url, error, "紧急联系人已保存。")


@router.post("/{alert_id}/acknowledge")
def acknowledge(
    request: Request,
    alert_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    back: Back = "list",
) -> Response:
    _, error = attempt(
        db,
        lambda: service.acknowledge(
            db, clock=clock, staff=me, scope=scope_of(request), alert_id=alert_id
        ),
    )
    return outcome(_back(back), error, "已记下您看到了。请马上打电话联系老人。")


@router.post("/{alert_id}/close")
def close(
    request: Request,
    alert_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[CloseIn, Form()],
    back: Back = "list",
) -> Response:
    _, error = attempt(
        db,
        lambda: service.close(
            db, clock=clock, staff=me, scope=scope_of(request), alert_id=alert_id, data=form
        ),
    )
    return outcome(_back(back), error, "已记下结果，这条求助结束了。")
