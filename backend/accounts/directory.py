"""Who is who, for other domains: retirees' names, phones and units, unit names, staff names.

Other domains show people on their lists and pick out who a campaign or a reminder is for; they
ask here instead of querying accounts' tables. Every reader takes a whole list of ids and costs
one query, whatever its length, so a list page built on it keeps a constant number of queries."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, Subquery
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func, or_, select
from sqlmodel.sql.expression import Select as RowSelect
from sqlmodel.sql.expression import SelectOfScalar

from backend.accounts.enums import RetireeStatus, StaffRole
from backend.accounts.models import (
    FamilyBinding,
    Retiree,
    RetireeCareFlag,
    StaffAccount,
    Unit,
    WechatUser,
)
from backend.accounts.scope import ancestor_ids, subtree_of, unit_in


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
    wechat_user_id: int | None = None  # set when the retiree has bound WeChat


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
        wechat_user_id=retiree.wechat_user_id,
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


def followed(db: Session, ids: Iterable[int]) -> dict[int, tuple[str, bool, date | None]]:
    """Retiree id → (name, deceased, the day they died) for a family member's list of the people
    they follow: one query."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = db.execute(
        sa_select(
            col(Retiree.id), col(Retiree.name), col(Retiree.status), col(Retiree.died_on)
        ).where(col(Retiree.id).in_(wanted))
    ).all()
    return {
        int(rid or 0): (name, status == RetireeStatus.deceased, died_on)
        for rid, name, status, died_on in rows
    }


def unit(db: Session, unit_id: int) -> Unit | None:
    """The unit row itself (its path and parent), for a caller that walks the tree."""
    return db.get(Unit, unit_id)


def units(db: Session, ids: Iterable[int]) -> dict[int, Unit]:
    """The unit rows with these ids, by id, in one query."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = db.exec(select(Unit).where(col(Unit.id).in_(wanted))).all()
    return {u.id or 0: u for u in rows}


def unit_names(db: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = db.exec(select(Unit.id, Unit.name).where(col(Unit.id).in_(wanted))).all()
    return {int(uid or 0): name for uid, name in rows}


def staff_name(db: Session, staff_id: int) -> str | None:
    staff = db.get(StaffAccount, staff_id)
    return staff.display_name if staff else None


@dataclass(frozen=True)
class StaffContact:
    """A staff member as an emergency alert names them: who to reach, and their phone."""

    id: int
    name: str
    phone: str | None
    unit_id: int


def _staff_contacts(rows: Iterable[StaffAccount]) -> list[StaffContact]:
    return [StaffContact(s.id or 0, s.display_name, s.phone, s.unit_id) for s in rows]


def _nearest(db: Session, unit_id: int, *, admins: bool) -> list[StaffContact]:
    unit = db.get(Unit, unit_id)
    if unit is None:
        return []
    line = ancestor_ids(unit)
    query = select(StaffAccount).where(
        col(StaffAccount.unit_id).in_(line), col(StaffAccount.active).is_(True)
    )
    if admins:
        query = query.where(StaffAccount.role == StaffRole.admin)
    rows = db.exec(query.order_by(col(StaffAccount.id))).all()
    for step in reversed(line):
        found = [s for s in rows if s.unit_id == step]
        if found:
            return _staff_contacts(found)
    return []


def active_staff(db: Session, unit_id: int) -> list[StaffContact]:
    """The unit's own active staff accounts; a unit without any (a 服务站 run from its 军休所)
    is served by the nearest unit above that has some."""
    return _nearest(db, unit_id, admins=False)


def unit_leaders(db: Session, unit_id: int) -> list[StaffContact]:
    """Who leads a unit. There is no leader role: a unit's admin accounts stand for its
    leaders, and a unit without an active admin is led from the nearest unit above that has one."""
    return _nearest(db, unit_id, admins=True)


def staff_members(db: Session, ids: Iterable[int]) -> dict[int, StaffAccount]:
    """The staff accounts with these ids (their names, phones, whether still active), by id,
    in one query."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = db.exec(select(StaffAccount).where(col(StaffAccount.id).in_(wanted))).all()
    return {s.id or 0: s for s in rows}


def staff_names(db: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """Display names of these staff accounts by id, in one query (None ids skipped)."""
    return {i: s.display_name for i, s in staff_members(db, [i for i in ids if i]).items()}


def wechat_user(db: Session, user_id: int) -> WechatUser | None:
    """The WeChat account row (its openid), for a sender that writes to it."""
    return db.get(WechatUser, user_id)


def people_rows() -> Subquery:
    """SQL: every retiree's id, name, phone and unit name (`id`, `name`, `phone`, `unit_name`),
    for a report that joins its own rows to people in the one query it makes."""
    return (
        select(
            col(Retiree.id).label("id"),
            col(Retiree.name).label("name"),
            col(Retiree.phone).label("phone"),
            col(Unit.name).label("unit_name"),
        )
        .join(Unit, col(Unit.id) == col(Retiree.unit_id))
        .subquery("person")
    )


def binding_rows() -> Subquery:
    """SQL: every family binding's `id` and `display_name` (who a family copy went to)."""
    return select(
        col(FamilyBinding.id).label("id"), col(FamilyBinding.display_name).label("display_name")
    ).subquery("family")


def living_ids_in(
    scope: Unit,
    *,
    retiree_ids: Sequence[int] = (),
    units: Sequence[Unit] = (),
    care_flags: Sequence[str] = (),
    categories: Sequence[str] = (),
) -> SelectOfScalar[int | None]:
    """SQL: the ids of the living retirees in `scope`'s subtree: these hand-picked ones, or
    those in any of these units' subtrees, with any of these care flags, in any of these
    categories (each filter applies only when given). The caller checks the units are in its
    scope first; a notice's audience counts and fans out through it inside the database."""
    query = (
        select(col(Retiree.id))
        .where(Retiree.status != RetireeStatus.deceased.value)
        .where(unit_in(Retiree.unit_id, scope))
    )
    if retiree_ids:
        return query.where(col(Retiree.id).in_(list(retiree_ids)))
    if units:
        query = query.where(or_(*(unit_in(Retiree.unit_id, unit) for unit in units)))
    if care_flags:
        flagged = select(RetireeCareFlag.retiree_id).where(
            col(RetireeCareFlag.flag).in_(list(care_flags))
        )
        query = query.where(col(Retiree.id).in_(flagged))
    if categories:
        query = query.where(col(Retiree.category).in_(list(categories)))
    return query


def existing_ids(ids: Sequence[int]) -> SelectOfScalar[int | None]:
    """SQL: those of these ids that are retirees' (a system notice names its recipients)."""
    return select(col(Retiree.id)).where(col(Retiree.id).in_(ids))


def own_recipients(ids: Sequence[int]) -> Select[int | None, int | None]:
    """SQL: (retiree id, WeChat user id) of these retirees, for an INSERT … SELECT that gives
    each their own copy; the caller adds its own columns (`add_columns`)."""
    return sa_select(col(Retiree.id), col(Retiree.wechat_user_id)).where(col(Retiree.id).in_(ids))


def family_recipients(ids: Sequence[int]) -> Select[int, int | None, int]:
    """SQL: (retiree id, binding id, WeChat user id) of the family of these retirees who
    receive notices (active bindings that take copies), for an INSERT … SELECT likewise."""
    return sa_select(
        col(FamilyBinding.retiree_id), col(FamilyBinding.id), col(FamilyBinding.wechat_user_id)
    ).where(*_receives_copies(ids))


def people_among(db: Session, ids: Select[Any], *, limit: int) -> list[Person]:
    """The first `limit` of the retirees whose ids this SQL selects, by name, then id."""
    rows = db.execute(
        _people_query()
        .where(col(Retiree.id).in_(ids))
        .order_by(col(Retiree.name), col(Retiree.id))
        .limit(limit)
    ).all()
    return [_person(*row) for row in rows]


def _receives_copies(retiree_ids: Any) -> list[Any]:
    return [
        col(FamilyBinding.retiree_id).in_(retiree_ids),
        col(FamilyBinding.revoked_at).is_(None),
        col(FamilyBinding.can_receive_notices).is_(True),
    ]


def family_copy_count(db: Session, ids: Select[Any]) -> int:
    """How many family members of the retirees this SQL selects receive notices."""
    return int(
        db.exec(select(func.count()).select_from(FamilyBinding).where(*_receives_copies(ids))).one()
    )


def family_copies_of(db: Session, ids: Sequence[int]) -> dict[int, int]:
    """Retiree id → how many of their family receive notices (one query, even for none)."""
    rows = db.exec(
        select(FamilyBinding.retiree_id, func.count())
        .where(*_receives_copies(ids))
        .group_by(col(FamilyBinding.retiree_id))
    ).all()
    return {int(rid): int(n) for rid, n in rows}


def name_rows() -> Subquery:
    """SQL: every retiree's `id` and `name`, for a list that joins its rows to names."""
    return select(col(Retiree.id).label("id"), col(Retiree.name).label("name")).subquery(
        "retiree_name"
    )
