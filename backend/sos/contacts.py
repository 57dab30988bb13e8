"""A retiree's emergency contacts: 1 to 3 people in calling order. The retiree, family whose
binding lets them act for the retiree, and staff of the unit keep the list (staff edits are
audited); everyone else who may see the retiree sees the phones masked."""

from __future__ import annotations

from sqlmodel import Session, col, delete, select

from backend.accounts import audit
from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.accounts.scope import get_scoped
from backend.core.clock import Clock
from backend.core.security import mask_phone
from backend.sos.models import EmergencyContact
from backend.sos.schemas import ContactIn, ContactPublic, ContactsPublic


def retiree_in_scope(db: Session, *, scope: Unit, retiree_id: int) -> Retiree:
    """The retiree whose list a staff member opens, if inside their subtree (else 404)."""
    return get_scoped(db, Retiree, retiree_id, scope)


def of_retiree(db: Session, retiree_id: int) -> list[EmergencyContact]:
    return list(
        db.exec(
            select(EmergencyContact)
            .where(EmergencyContact.retiree_id == retiree_id)
            .order_by(col(EmergencyContact.position))
        ).all()
    )


def of_retirees(db: Session, retiree_ids: list[int]) -> dict[int, list[EmergencyContact]]:
    found: dict[int, list[EmergencyContact]] = {rid: [] for rid in retiree_ids}
    if not retiree_ids:
        return found
    rows = db.exec(
        select(EmergencyContact)
        .where(col(EmergencyContact.retiree_id).in_(retiree_ids))
        .order_by(col(EmergencyContact.retiree_id), col(EmergencyContact.position))
    ).all()
    for row in rows:
        found[row.retiree_id].append(row)
    return found


def public(row: EmergencyContact, *, masked: bool) -> ContactPublic:
    phone = mask_phone(row.phone) if masked else row.phone
    return ContactPublic(position=row.position, name=row.name, relation=row.relation, phone=phone)


def shown(db: Session, *, retiree_id: int, can_edit: bool) -> ContactsPublic:
    rows = of_retiree(db, retiree_id)
    return ContactsPublic(
        retiree_id=retiree_id,
        can_edit=can_edit,
        contacts=[public(r, masked=not can_edit) for r in rows],
    )


def _dump(rows: list[EmergencyContact]) -> list[dict[str, object]]:
    return [{"name": r.name, "relation": r.relation, "phone": mask_phone(r.phone)} for r in rows]


def replace(
    db: Session,
    *,
    clock: Clock,
    retiree_id: int,
    unit_id: int,
    items: list[ContactIn],
    by: str,
    staff: StaffAccount | None = None,
) -> list[EmergencyContact]:
    """Put the whole list in place (1–3 people, in calling order). A staff edit is audited,
    phones masked in the log."""
    before = of_retiree(db, retiree_id)
    before_dump = _dump(before)
    db.execute(delete(EmergencyContact).where(col(EmergencyContact.retiree_id) == retiree_id))
    db.flush()
    now = clock.now()
    rows = [
        EmergencyContact(
            retiree_id=retiree_id,
            unit_id=unit_id,
            position=i,
            name=item.name.strip(),
            relation=item.relation.strip(),
            phone=item.phone,
            updated_at=now,
            updated_by=by[:60],
        )
        for i, item in enumerate(items, start=1)
    ]
    db.add_all(rows)
    db.flush()
    if staff is not None:
        audit.record(
            db,
            clock=clock,
            staff=staff,
            action="sos.contacts",
            entity="retiree",
            entity_id=retiree_id,
            unit_id=unit_id,
            before={"contacts": before_dump},
            after={"contacts": _dump(rows)},
        )
    return rows
