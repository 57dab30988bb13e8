"""Who is told when a retiree's 报平安 does not come, and how: the one place that decides.

For now the named staff member is the active staff of the retiree's unit (or the nearest unit
above with staff), told on the console home page. The emergency contacts are the 1–3 people the
SOS domain keeps (name, relation, phone: there is no channel to message a phone, so their numbers
go to the staff, who call) and the bound family who receive notices, told in the app. When the
visits domain names one staff member per retiree, `named_staff` and `tell_named_staff` ask it
instead; nothing else in safecheck/ knows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from backend.accounts import binding, directory
from backend.core.clock import Clock
from backend.notices import alerts
from backend.notices import service as notices_service
from backend.sos import contacts as sos_contacts
from backend.visits import plans as visit_plans


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str | None


def named_staff(db: Session, *, retiree_id: int) -> list[Contact]:
    """The staff member who looks after the retiree (visits: 定人包户); without one, the active
    staff of the retiree's unit or the nearest unit above with staff."""
    person = directory.person(db, retiree_id)
    if person is None:
        return []
    assigned = visit_plans.assigned_staff_id(db, retiree_id)
    if assigned is not None:
        named = directory.staff_members(db, [assigned]).get(assigned)
        if named is not None and named.active:
            return [Contact(named.display_name, named.phone)]
    return [Contact(s.name, s.phone) for s in directory.active_staff(db, person.unit_id)]


def emergency_contacts(db: Session, *, retiree_id: int) -> list[Contact]:
    """The SOS emergency contacts (with phones), then the family told in the app."""
    listed = phone_contacts(db, [retiree_id]).get(retiree_id, [])
    return listed + [
        Contact(f"{b.display_name}（{b.relation}）", None)
        for b in binding.active_bindings_of(db, retiree_id)
        if b.can_receive_notices
    ]


def phone_contacts(db: Session, retiree_ids: list[int]) -> dict[int, list[Contact]]:
    """The SOS emergency contacts of these retirees, in calling order (one query)."""
    return {
        rid: [Contact(f"{c.name}（{c.relation}）", c.phone) for c in rows]
        for rid, rows in sos_contacts.of_retirees(db, retiree_ids).items()
    }


def tell_named_staff(
    db: Session,
    *,
    clock: Clock,
    retiree_id: int,
    title: str,
    body: str,
    dedupe_key: str,
    unit_id: int | None = None,
) -> bool:
    """`unit_id`: the retiree's unit when the caller has it (a job telling many at once)."""
    if unit_id is None:
        person = directory.person(db, retiree_id)
        if person is None:
            return False
        unit_id = person.unit_id
    assigned = visit_plans.assigned_staff_id(db, retiree_id)
    if assigned is not None and (name := directory.staff_name(db, assigned)):
        body = f"{body}（包户：{name}）"
    alert = alerts.alert_staff(
        db,
        clock=clock,
        unit_id=unit_id,
        title=title,
        body=body,
        dedupe_key=dedupe_key,
        link="/console/safecheck",
    )
    return alert is not None


def tell_emergency_contacts(
    db: Session, *, clock: Clock, retiree_id: int, title: str, body: str, dedupe_key: str
) -> bool:
    notice = notices_service.notify(
        db,
        clock=clock,
        retiree_id=retiree_id,
        title=title,
        body=body,
        dedupe_key=dedupe_key,
        link_page=f"pages/safecheck/safecheck?retiree_id={retiree_id}",
        to_retiree=False,
        include_family=True,
        urgent=True,
    )
    return notice is not None
