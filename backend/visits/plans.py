"""定人包户 and visit plans (mva 第十五条, 第十六条): who looks after whom, how often each
retiree is visited (by care flag, per unit), and the week's visit list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select
from sqlmodel import Session, col, func, select

from backend.accounts import audit, directory, retirees
from backend.accounts.enums import CareFlag, RetireeStatus
from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.accounts.scope import ancestor_ids, contains, get_scoped
from backend.checkin.contacts import add_months
from backend.core.clock import Clock, local_today, to_local
from backend.core.errors import BadRequest
from backend.visits.models import VisitAssignment, VisitFrequency, VisitRecord, VisitTask
from backend.visits.schemas import (
    OTHER_FLAG,
    AssignIn,
    DuePage,
    DueRow,
    FrequenciesOut,
    FrequencyIn,
    FrequencyRow,
    VisitKind,
)

LIVING = (RetireeStatus.active, RetireeStatus.suspended)
ROUTINE = "例行走访"


@dataclass(frozen=True)
class Rule:
    every_months: int
    at_home: bool


# mva 第十六条: 失能、重病、独居 monthly at home; everyone else once a quarter.
DEFAULTS: dict[str, Rule] = {
    CareFlag.disabled: Rule(1, True),
    CareFlag.seriously_ill: Rule(1, True),
    CareFlag.living_alone: Rule(1, True),
    CareFlag.dementia: Rule(3, False),
    CareFlag.advanced_age: Rule(3, False),
    CareFlag.empty_nest: Rule(3, False),
    OTHER_FLAG: Rule(3, False),
}
FLAGS = list(DEFAULTS)


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of the Shanghai week holding `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


# ---- assignments ------------------------------------------------------------------------------


def assign(db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, data: AssignIn) -> int:
    """Name one staff member for these retirees (bulk). The staff member must work at the
    retiree's unit or above it, so they can see the person they look after."""
    owner = get_scoped(
        db,
        StaffAccount,
        data.staff_id,
        scope,
        refuse=BadRequest,
        missing="请从列表里选择包户的工作人员。",
    )
    if not owner.active:
        raise BadRequest("这个账号已停用，请另选一位工作人员。")
    owner_unit = directory.unit(db, owner.unit_id)
    assert owner_unit is not None
    now = clock.now()
    count = 0
    for retiree_id in dict.fromkeys(data.retiree_ids):
        retiree = get_scoped(db, Retiree, retiree_id, scope, refuse=BadRequest)
        unit = directory.unit(db, retiree.unit_id)
        if unit is None or not contains(owner_unit, unit):
            raise BadRequest(f"{owner.display_name}不在{retiree.name}所在的单位，不能包户。")
        row = db.get(VisitAssignment, retiree_id)
        before = None if row is None else {"staff_id": row.staff_id}
        if row is None:
            row = VisitAssignment(
                retiree_id=retiree_id,
                unit_id=retiree.unit_id,
                staff_id=owner.id or 0,
                assigned_at=now,
                assigned_by_staff_id=staff.id,
            )
            db.add(row)
        elif row.staff_id != owner.id:
            row.staff_id = owner.id or 0
            row.unit_id = retiree.unit_id
            row.assigned_at = now
            row.assigned_by_staff_id = staff.id
        else:
            continue
        count += 1
        audit.record(
            db,
            clock=clock,
            staff=staff,
            action="visit.assign",
            entity="retiree",
            entity_id=retiree_id,
            unit_id=retiree.unit_id,
            before=before,
            after={"staff_id": owner.id, "staff_name": owner.display_name},
        )
    db.flush()
    return count


def assigned_staff_id(db: Session, retiree_id: int) -> int | None:
    row = db.get(VisitAssignment, retiree_id)
    return None if row is None else row.staff_id


# ---- frequencies ------------------------------------------------------------------------------


def rules_for(db: Session, unit: Unit) -> dict[str, tuple[Rule, bool]]:
    """Flag → (rule, set at this unit itself): the unit's own rows, else the nearest unit
    above it, else the defaults."""
    chain = ancestor_ids(unit)  # top first
    rows = db.exec(select(VisitFrequency).where(col(VisitFrequency.unit_id).in_(chain))).all()
    depth = {uid: i for i, uid in enumerate(chain)}
    best: dict[str, VisitFrequency] = {}
    for row in rows:
        if row.flag not in best or depth[row.unit_id] > depth[best[row.flag].unit_id]:
            best[row.flag] = row
    result: dict[str, tuple[Rule, bool]] = {}
    for flag, default in DEFAULTS.items():
        own = best.get(flag)
        if own is None:
            result[flag] = (default, False)
        else:
            result[flag] = (Rule(own.every_months, own.at_home), own.unit_id == unit.id)
    return result


def unit_in_scope(db: Session, *, scope: Unit, unit_id: int) -> Unit:
    return get_scoped(db, Unit, unit_id, scope)


def frequencies(db: Session, *, unit: Unit) -> FrequenciesOut:
    rules = rules_for(db, unit)
    return FrequenciesOut(
        unit_id=unit.id or 0,
        data=[
            FrequencyRow(flag=f, every_months=r.every_months, at_home=r.at_home, own=own)
            for f, (r, own) in rules.items()
        ],
    )


def set_frequency(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    unit_id: int,
    data: FrequencyIn,
) -> FrequenciesOut:
    unit = get_scoped(db, Unit, unit_id, scope)
    if data.flag not in DEFAULTS:
        raise BadRequest("请从列表里选择情况。")
    row = db.exec(
        select(VisitFrequency).where(
            VisitFrequency.unit_id == unit.id, VisitFrequency.flag == data.flag
        )
    ).first()
    before = None if row is None else {"every_months": row.every_months, "at_home": row.at_home}
    if row is None:
        row = VisitFrequency(
            unit_id=unit.id or 0, flag=data.flag, every_months=1, updated_at=clock.now()
        )
        db.add(row)
    row.every_months = data.every_months
    row.at_home = data.at_home
    row.updated_at = clock.now()
    db.flush()
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="visit.frequency",
        entity="unit",
        entity_id=unit.id,
        unit_id=unit.id,
        before=before,
        after={"flag": data.flag, "every_months": data.every_months, "at_home": data.at_home},
    )
    return frequencies(db, unit=unit)


def rule_of(flags: list[str], rules: dict[str, tuple[Rule, bool]]) -> Rule:
    """The strictest rule among a retiree's care flags (none: 其他)."""
    mine = [rules[f][0] for f in flags if f in rules] or [rules[OTHER_FLAG][0]]
    months = min(r.every_months for r in mine)
    return Rule(months, any(r.at_home for r in mine if r.every_months == months))


# ---- the week's list --------------------------------------------------------------------------


def last_visits(db: Session, ids: Select[Any]) -> dict[int, dict[str, datetime]]:
    """Retiree id → kind → when last visited that way (one query)."""
    rows = db.exec(
        select(VisitRecord.retiree_id, VisitRecord.kind, func.max(VisitRecord.visited_at))
        .where(col(VisitRecord.retiree_id).in_(ids))
        .group_by(col(VisitRecord.retiree_id), col(VisitRecord.kind))
    ).all()
    result: dict[int, dict[str, datetime]] = {}
    for rid, kind, at in rows:
        result.setdefault(rid, {})[kind] = at
    return result


def due_this_week(
    db: Session, *, clock: Clock, scope: Unit, staff: StaffAccount, mine: bool = True
) -> DuePage:
    """Whom to visit this week (Monday–Sunday, Shanghai): routine visits falling due by Sunday
    and every open visit task; overdue first. `mine`: only the retirees this staff member
    looks after and the tasks given to them."""
    today = local_today(clock)
    monday, sunday = week_of(today)
    ids = directory.ids_under(scope, statuses=LIVING)
    people = {p.id: p for p in directory.people_under(db, scope, statuses=LIVING)}
    assigned = {
        a.retiree_id: a
        for a in db.exec(select(VisitAssignment).where(col(VisitAssignment.retiree_id).in_(ids)))
    }
    tasks = db.exec(
        select(VisitTask).where(VisitTask.status == "open", col(VisitTask.retiree_id).in_(ids))
    ).all()
    if mine:
        assigned_ids = {rid for rid, a in assigned.items() if a.staff_id == staff.id}
        tasks = [t for t in tasks if t.staff_id == staff.id]
    else:
        assigned_ids = set(people)
    flags = retirees.care_flags_of(db, list(people))
    last = last_visits(db, ids)
    unit_rules: dict[int, dict[str, tuple[Rule, bool]]] = {}
    units = directory.units(db, {p.unit_id for p in people.values()})
    names = directory.staff_names(
        db, {a.staff_id for a in assigned.values()} | {t.staff_id for t in tasks if t.staff_id}
    )
    rows: list[DueRow] = []

    def last_of(rid: int) -> tuple[date | None, str | None]:
        kinds = last.get(rid, {})
        if not kinds:
            return None, None
        kind, at = max(kinds.items(), key=lambda kv: kv[1])
        return to_local(at).date(), kind

    with_task = {t.retiree_id for t in tasks}
    for rid in sorted(assigned_ids - with_task):  # a task's visit is the routine one too
        person = people.get(rid)
        if person is None:
            continue
        if person.unit_id not in unit_rules:
            unit_rules[person.unit_id] = rules_for(db, units[person.unit_id])
        rule = rule_of(flags.get(rid, []), unit_rules[person.unit_id])
        kinds = last.get(rid, {})
        counted = (
            [kinds[VisitKind.home]]
            if rule.at_home and VisitKind.home in kinds
            else ([] if rule.at_home else list(kinds.values()))
        )
        if counted:
            due_on = add_months(to_local(max(counted)).date(), rule.every_months)
        else:
            a = assigned.get(rid)
            due_on = to_local(a.assigned_at if a else person.created_at).date()
        if due_on > sunday:
            continue
        last_on, last_kind = last_of(rid)
        a = assigned.get(rid)
        rows.append(
            DueRow(
                retiree_id=rid,
                retiree_name=person.name,
                unit_name=person.unit_name,
                care_flags=flags.get(rid, []),
                staff_name=names.get(a.staff_id) if a else None,
                reason=ROUTINE,
                at_home=rule.at_home,
                due_on=due_on,
                overdue=due_on < today,
                last_visit_on=last_on,
                last_visit_kind=last_kind,
                task_id=None,
            )
        )
    for task in tasks:
        person = people.get(task.retiree_id)
        if person is None:
            continue
        last_on, last_kind = last_of(task.retiree_id)
        rows.append(
            DueRow(
                retiree_id=task.retiree_id,
                retiree_name=person.name,
                unit_name=person.unit_name,
                care_flags=flags.get(task.retiree_id, []),
                staff_name=names.get(task.staff_id) if task.staff_id else None,
                reason=task.reason,
                at_home=task.reason != "回电话",
                due_on=task.due_on,
                overdue=task.due_on < today,
                last_visit_on=last_on,
                last_visit_kind=last_kind,
                task_id=task.id,
            )
        )
    rows.sort(key=lambda r: (not r.overdue, r.due_on, r.task_id is None, r.retiree_name))
    return DuePage(
        week=f"{monday.month}月{monday.day}日—{sunday.month}月{sunday.day}日",
        week_starts_on=monday,
        week_ends_on=sunday,
        data=rows,
        count=len(rows),
    )
