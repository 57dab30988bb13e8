"""The unit tree (服务管理中心 → 军休所 → 服务站) and subtree scoping."""

from __future__ import annotations

from sqlmodel import Session, col, select

from backend.accounts import audit
from backend.accounts.enums import UnitKind
from backend.accounts.models import StaffAccount, Unit
from backend.accounts.scope import ancestor_ids, subtree_of
from backend.core.clock import Clock
from backend.core.errors import BadRequest, NotFound

_ALLOWED_CHILD = {
    None: {UnitKind.center, UnitKind.institute},
    UnitKind.center: {UnitKind.institute, UnitKind.station},
    UnitKind.institute: {UnitKind.station},
    UnitKind.station: set(),
}


def create_unit(
    db: Session,
    *,
    clock: Clock,
    name: str,
    kind: UnitKind,
    parent: Unit | None = None,
    phone: str | None = None,
) -> Unit:
    parent_kind = UnitKind(parent.kind) if parent else None
    if kind not in _ALLOWED_CHILD[parent_kind]:
        raise BadRequest(f"{parent.name if parent else '顶层'}下面不能建{kind.value}。")
    unit = Unit(
        name=name,
        kind=kind,
        parent_id=parent.id if parent else None,
        phone=phone,
        created_at=clock.now(),
    )
    db.add(unit)
    db.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    db.add(unit)
    db.flush()
    return unit


def get_unit(db: Session, unit_id: int) -> Unit:
    unit = db.get(Unit, unit_id)
    if unit is None:
        raise NotFound("没有找到这个单位。")
    return unit


def subtree(db: Session, root: Unit) -> list[Unit]:
    rows = db.exec(select(Unit).where(subtree_of(root)).order_by(col(Unit.path))).all()
    return list(rows)


def subtree_ids(db: Session, root: Unit) -> list[int]:
    rows = db.exec(select(Unit.id).where(subtree_of(root))).all()
    return [r for r in rows if r is not None]


def find_by_name(db: Session, name: str, within: Unit) -> Unit | None:
    rows = db.exec(select(Unit).where(Unit.name == name.strip(), subtree_of(within))).all()
    return rows[0] if len(rows) == 1 else None


def contact_phone(db: Session, unit_id: int) -> str | None:
    """The phone a retiree should call: their own unit's, else the nearest parent's."""
    unit = db.get(Unit, unit_id)
    if unit is None:
        return None
    ids = ancestor_ids(unit)
    phones = {
        u.id: u.phone for u in db.exec(select(Unit).where(col(Unit.id).in_(ids))).all() if u.phone
    }
    for uid in reversed(ids):
        if uid in phones:
            return phones[uid]
    return None


def set_phone(
    db: Session, *, clock: Clock, staff: StaffAccount, unit: Unit, phone: str | None
) -> Unit:
    """Change the unit's main number (the one retirees are told to call); audited. Blank clears
    it: calls then go to the unit above."""
    before = unit.phone
    unit.phone = (phone or "").strip() or None
    if unit.phone == before:
        return unit
    db.add(unit)
    db.flush()
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="unit.phone",
        entity="unit",
        entity_id=unit.id,
        unit_id=unit.id,
        before={"phone": before},
        after={"phone": unit.phone},
    )
    return unit


def roots(db: Session) -> list[Unit]:
    """The units at the top of the tree (each with its whole subtree below it)."""
    return list(db.exec(select(Unit).where(col(Unit.parent_id).is_(None)).order_by(col(Unit.id))))
