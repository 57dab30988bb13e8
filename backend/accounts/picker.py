"""Finding a retiree to act for without knowing any internal number: staff type a name, a phone
number or the last 4 characters of the 身份证号 and pick from what matches inside their units.

Used by the console's search-as-you-type picker (notices, 代报名, 代订餐, 代约车, in-person
check-in); the ids it hands back travel in hidden inputs and are checked again by each service."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel
from sqlmodel import Session, col, select

from backend.accounts import retirees
from backend.accounts.enums import RetireeStatus
from backend.accounts.models import Retiree, Unit
from backend.accounts.scope import unit_in
from backend.core.actors import persisted_id
from backend.core.security import PersonalDataCipher, mask_phone

LIMIT = 10


class PickPerson(BaseModel):
    id: int
    name: str
    unit_name: str
    phone_masked: str


def _people(db: Session, rows: Sequence[Retiree]) -> list[PickPerson]:
    unit_ids = {r.unit_id for r in rows}
    names = dict(
        db.exec(select(Unit.id, Unit.name).where(col(Unit.id).in_(unit_ids))).all()
        if unit_ids
        else []
    )
    return [
        PickPerson(
            id=persisted_id(r),
            name=r.name,
            unit_name=names.get(r.unit_id, ""),
            phone_masked=mask_phone(r.phone),
        )
        for r in rows
    ]


def find(
    db: Session, *, cipher: PersonalDataCipher, scope: Unit, q: str, limit: int = LIMIT
) -> list[PickPerson]:
    """Living retirees inside the scope whose name, phone or 身份证后4位 match q."""
    q = q.strip()[:40]
    if not q:
        return []
    rows, _ = retirees.search(db, cipher=cipher, scope=scope, q=q, limit=limit * 2)
    alive = [r for r in rows if r.status != RetireeStatus.deceased][:limit]
    return _people(db, alive)


def chosen(db: Session, *, scope: Unit, ids: Sequence[int]) -> list[PickPerson]:
    """The people already picked (to show them again when a form comes back), in pick order."""
    if not ids:
        return []
    rows = db.exec(
        select(Retiree).where(col(Retiree.id).in_(list(ids)), unit_in(Retiree.unit_id, scope))
    ).all()
    by_id = {r.id: r for r in rows}
    return _people(db, [by_id[i] for i in ids if i in by_id])


def parse_ids(values: Sequence[str]) -> list[int]:
    """The hidden inputs' values; anything else than an id is refused by the caller."""
    return [int(v) for v in values if v.strip().isdigit()]
