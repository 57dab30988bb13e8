"""Mini-program side: emergency contacts, the 紧急求助 button and its status screen."""

from __future__ import annotations

from backend.accounts.deps import CurrentViewer
from backend.accounts.identity import Permission, act_for
from backend.core.deps import ClockDep, SessionDep
from backend.core.inputs import Id
from backend.core.routing import APIRouter
from backend.sos import contacts, service, views
from backend.sos.schemas import AlertState, ContactsPublic, CurrentAlert, RaiseIn, RetireeContactsIn

router = APIRouter(prefix="/api/v1/sos", tags=["小程序：紧急求助"])

# Family keep the list when their binding lets them act for the retiree (代办).
EDIT = Permission.submit_checkin


@router.get("/contacts", response_model=ContactsPublic, summary="紧急联系人")
def get_contacts(retiree_id: Id, db: SessionDep, viewer: CurrentViewer) -> ContactsPublic:
    act_for(db, viewer, retiree_id, Permission.view)
    return contacts.shown(db, retiree_id=retiree_id, can_edit=viewer.may(retiree_id, EDIT))


@router.put("/contacts", response_model=ContactsPublic, summary="改紧急联系人（1到3位）")
def put_contacts(
    body: RetireeContactsIn, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> ContactsPublic:
    acting = act_for(db, viewer, body.retiree_id, EDIT)
    contacts.replace(
        db,
        clock=clock,
        retiree_id=body.retiree_id,
        unit_id=acting.retiree.unit_id,
        items=body.contacts,
        by=viewer.did_it(acting),
    )
    return contacts.shown(db, retiree_id=body.retiree_id, can_edit=True)


@router.post("/alerts", response_model=AlertState, summary="紧急求助（按一次就够）")
def raise_alert(
    body: RaiseIn, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> AlertState:
    acting = act_for(db, viewer, body.retiree_id, Permission.view)
    raised = service.raise_alert(
        db,
        clock=clock,
        retiree_id=body.retiree_id,
        by=viewer.did_it(acting),
        latitude=body.latitude,
        longitude=body.longitude,
    )
    return views.state(raised.alert)


@router.get("/alerts/current", response_model=CurrentAlert, summary="求助现在怎么样了")
def current(retiree_id: Id, db: SessionDep, viewer: CurrentViewer) -> CurrentAlert:
    act_for(db, viewer, retiree_id, Permission.view)
    alert = service.latest(db, retiree_id)
    return CurrentAlert(alert=views.state(alert) if alert else None)
