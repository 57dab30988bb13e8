"""Staff API for emergency alerts and emergency contacts: the same service functions and input
schemas as the console."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from backend.accounts import units
from backend.accounts.deps import CurrentStaff, StaffScope
from backend.accounts.models import Retiree
from backend.accounts.scope import get_scoped
from backend.core.deps import ClockDep, SessionDep
from backend.core.inputs import Count, Id
from backend.core.routing import APIRouter
from backend.sos import contacts, service, views
from backend.sos.schemas import AlertCard, AlertsPage, CloseIn, ContactsIn, ContactsPublic

router = APIRouter(prefix="/api/v1/staff/sos", tags=["工作人员：紧急求助"])


@router.get("/alerts", response_model=AlertsPage, summary="求助：没处理完的在前，再是历史")
def list_alerts(
    db: SessionDep,
    clock: ClockDep,
    scope: StaffScope,
    open_only: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Count = 0,
) -> AlertsPage:
    ids = units.subtree_ids(db, scope)
    if open_only:
        rows = service.open_in_scope(db, unit_ids=ids)
        total = len(rows)
    else:
        rows, total = service.history(db, unit_ids=ids, limit=limit, offset=offset)
    return AlertsPage(data=views.cards(db, rows, clock.now()), count=total)


@router.get("/alerts/{alert_id}", response_model=AlertCard, summary="一条求助")
def get_alert(alert_id: Id, db: SessionDep, clock: ClockDep, scope: StaffScope) -> AlertCard:
    alert = service.get_in_scope(db, scope=scope, alert_id=alert_id)
    return views.cards(db, [alert], clock.now())[0]


@router.post("/alerts/{alert_id}/acknowledge", response_model=AlertCard, summary="已看到")
def acknowledge(
    alert_id: Id, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> AlertCard:
    alert = service.acknowledge(db, clock=clock, staff=me, scope=scope, alert_id=alert_id)
    return views.cards(db, [alert], clock.now())[0]


@router.post("/alerts/{alert_id}/close", response_model=AlertCard, summary="记下结果并结束")
def close(
    alert_id: Id,
    body: CloseIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> AlertCard:
    alert = service.close(db, clock=clock, staff=me, scope=scope, alert_id=alert_id, data=body)
    return views.cards(db, [alert], clock.now())[0]


@router.get("/contacts/{retiree_id}", response_model=ContactsPublic, summary="紧急联系人")
def get_contacts(retiree_id: Id, db: SessionDep, scope: StaffScope) -> ContactsPublic:
    get_scoped(db, Retiree, retiree_id, scope)
    return contacts.shown(db, retiree_id=retiree_id, can_edit=True)


@router.put("/contacts/{retiree_id}", response_model=ContactsPublic, summary="改紧急联系人")
def put_contacts(
    retiree_id: Id,
    body: ContactsIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> ContactsPublic:
    retiree = get_scoped(db, Retiree, retiree_id, scope)
    contacts.replace(
        db,
        clock=clock,
        retiree_id=retiree_id,
        unit_id=retiree.unit_id,
        items=body.contacts,
        by=f"工作人员 {me.display_name}",
        staff=me,
    )
    return contacts.shown(db, retiree_id=retiree_id, can_edit=True)
