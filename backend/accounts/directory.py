"""Who is who, for other domains: retirees' names, phones and units, unit names, staff names.

Other domains show people on their lists and pick out who a campaign or a reminder is for; they
ask here instead of querying accounts' tables. Every reader takes a whole list of ids and costs
one query, whatever its length, so a list page built on it keeps a constant number of queries."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select as RowSelect

from backend.accounts.enums import RetireeStatus
from backend.accounts.models import Retiree, RetireeCareFlag, StaffAccount, Unit
from backend.accounts.scope import subtree_of, unit_in


@dataclass(frozen=True)
class Person:
    """A retiree as another domain's list shows them, with the name and path of their unit."""

    id: int
    name: str
    phone: str | None
    address: str | None
    status: str  # a RetireeStatus value, as the roster holds it
    created_at: datetime
    unit_id: int
    unit_name: str
    unit_path: str


def _people_query() -> RowSelect[Retiree, str, str]:
    return select(Retiree, Unit.name, Unit.path).join(Unit, col(Unit.id) == col(Retiree.unit_id))


def _person(retiree: Retiree, unit_name: str, unit_path: str) -> Person:
    return Person(
        id=retiree.id or 0,
        name=retiree.name,
        phone=retiree.phone,
        address=retiree.address,
        status=retiree.status,
        created_at=retiree.created_at,
        unit_id=retiree.unit_id,
        unit_name=unit_name,
        unit_path=unit_path,
    )


def people(db: Session, ids: Iterable[int]) -> dict[int, Person]:
    """The retirees with these ids, by id (an id that is not a retiree is left out)."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = db.execute(_people_query().where(col(Retiree.id).in_(wanted))).all()
    return {p.id: p for p in (_person(*row) for row in rows)}


def person(db: Session, retiree_id: int) -> Person | None:
    return people(db, [retiree_id]).get(retiree_id)


def retiree(db: Session, retiree_id: int) -> Retiree | None:
    """The roster row itself, for a caller that hands it on to accounts' own functions."""
    return db.get(Retiree, retiree_id)


def _filters(statuses: Collection[RetireeStatus], care_flag: str | None) -> list[Any]:
    conditions: list[Any] = [col(Retiree.status).in_([s.value for s in statuses])]
    if care_flag:
        conditions.append(
            select(RetireeCareFlag.retiree_id)
            .where(RetireeCareFlag.retiree_id == Retiree.id, RetireeCareFlag.flag == care_flag)
            .exists()
        )
    return conditions


def ids_under(
    root: Unit, *, statuses: Collection[RetireeStatus], care_flag: str | None = None
) -> Select[Any]:
    """SQL: the ids of the retirees in `root`'s subtree with one of these statuses (and this
    care flag). A domain filters its own table with it (`col(X.retiree_id).in_(…)`), so a
    long list needs neither a join on accounts' tables nor thousands of bound ids."""
    return select(Retiree.id).where(unit_in(Retiree.unit_id, root), *_filters(statuses, care_flag))


def people_under(
    db: Session,
    root: Unit,
    *,
    statuses: Collection[RetireeStatus],
    care_flag: str | None = None,
) -> list[Person]:
    """The retirees `ids_under` selects, ordered by unit (tree order), then name, then id."""
    rows = db.execute(
        _people_query()
        .where(subtree_of(root), *_filters(statuses, care_flag))
        .order_by(col(Unit.path), col(Retiree.name), col(Retiree.id))
    ).all()
    return [_person(*row) for row in rows]


def retiree_names(db: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = db.exec(select(Retiree.id, Retiree.name).where(col(Retiree.id).in_(wanted))).all()
    return {int(rid or 0): name for rid, name in rows}


def unit_names(db: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = db.exec(select(Unit.id, Unit.name).where(col(Unit.id).in_(wanted))).all()
    return {int(uid or 0): name for uid, name in rows}


def staff_name(db: Session, staff_id: int) -> str | None:
    staff = db.get(StaffAccount, staff_id)
    return staff.display_name if staff else None
