"""Staff doors onto 报平安 (console and JSON API alike): the day's board for their units, turning
it on or off and setting the time for a retiree, pauses, and "已联系上". Every write audited."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_
from sqlmodel import Session, col, select

from backend.accounts import audit, directory
from backend.accounts.enums import CareFlag, RetireeStatus
from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.accounts.scope import get_scoped, staff_actor
from backend.core.clock import Clock, local_today
from backend.safecheck import pauses, service, timing
from backend.safecheck.models import SafecheckDay, SafecheckPause, SafecheckPlan
from backend.safecheck.schemas import (
    EligibleRow,
    PauseSettings,
    PlanSettings,
    TodayBoard,
    TodayRow,
    TodayStatus,
)

LIVING = (RetireeStatus.active, RetireeStatus.suspended)


def _retiree(db: Session, scope: Unit, retiree_id: int) -> Retiree:
    return get_scoped(db, Retiree, retiree_id, scope)


def save_plan(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    retiree_id: int,
    data: PlanSettings,
) -> SafecheckPlan:
    retiree = _retiree(db, scope, retiree_id)
    before = service.plan_view(service.plan_of(db, retiree_id))
    plan = service.save_plan(
        db, clock=clock, retiree_id=retiree_id, data=data, actor=staff_actor(staff)
    )
    before, after = audit.changed_fields(before, service.plan_view(plan))
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="safecheck.plan",
        entity="retiree",
        entity_id=retiree_id,
        unit_id=retiree.unit_id,
        before=before,
        after=after,
    )
    return plan


def confirm(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, retiree_id: int
) -> SafecheckDay:
    """Staff reached the retiree (a call, a visit): today counts as 报了平安."""
    retiree = _retiree(db, scope, retiree_id)
    row = service.check_in(db, clock=clock, retiree_id=retiree_id, actor=staff_actor(staff))
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="safecheck.confirm",
        entity="retiree",
        entity_id=retiree_id,
        unit_id=retiree.unit_id,
        after={"day": row.day},
    )
    return row


def add_pause(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    retiree_id: int,
    data: PauseSettings,
) -> SafecheckPause:
    retiree = _retiree(db, scope, retiree_id)
    pause = pauses.add(db, clock=clock, retiree_id=retiree_id, data=data, actor=staff_actor(staff))
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="safecheck.pause",
        entity="retiree",
        entity_id=retiree_id,
        unit_id=retiree.unit_id,
        after={"kind": pause.kind, "starts_on": pause.starts_on, "ends_on": pause.ends_on},
    )
    return pause


def end_pause(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    retiree_id: int,
    pause_id: int,
) -> SafecheckPause:
    retiree = _retiree(db, scope, retiree_id)
    pause = pauses.end(db, clock=clock, retiree_id=retiree_id, pause_id=pause_id)
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="safecheck.pause_end",
        entity="retiree",
        entity_id=retiree_id,
        unit_id=retiree.unit_id,
        after={
            "pause_id": pause_id,
            "ends_on": pause.ends_on,
            "cancelled": bool(pause.cancelled_at),
        },
    )
    return pause


def _status(
    plan: SafecheckPlan, row: SafecheckDay | None, paused: bool, today: date, minute: int
) -> TodayStatus:
    if row is not None and row.checked_in_at is not None:
        return TodayStatus.checked_in
    if paused:
        return TodayStatus.paused
    if row is not None and row.escalated_at is not None:
        return TodayStatus.escalated
    if row is not None and row.reminded_at is not None:
        return TodayStatus.reminded
    if plan.starts_on > today:
        return TodayStatus.not_started
    return TodayStatus.waiting if minute < plan.due_minute else TodayStatus.missing


ORDER = [
    TodayStatus.escalated,
    TodayStatus.reminded,
    TodayStatus.missing,
    TodayStatus.waiting,
    TodayStatus.checked_in,
    TodayStatus.paused,
    TodayStatus.not_started,
]


def board(db: Session, *, clock: Clock, scope: Unit) -> TodayBoard:
    """Today for every retiree in the scope whose 报平安 is on: who has checked in, who has
    not, who was reminded, who was escalated; and who could take part but has it off.
    A constant number of queries, however many people."""
    today, minute = local_today(clock), timing.minute_of(clock.now())
    in_scope = directory.ids_under(scope, statuses=LIVING)
    plans = db.exec(
        select(SafecheckPlan).where(
            col(SafecheckPlan.enabled).is_(True), col(SafecheckPlan.retiree_id).in_(in_scope)
        )
    ).all()
    ids = [p.retiree_id for p in plans]
    people = directory.people(db, ids)
    days = {
        r.retiree_id: r
        for r in db.exec(
            select(SafecheckDay).where(
                SafecheckDay.day == today, col(SafecheckDay.retiree_id).in_(ids)
            )
        ).all()
    }
    paused = {
        p.retiree_id: p.kind
        for p in db.exec(
            select(SafecheckPause).where(
                col(SafecheckPause.retiree_id).in_(ids),
                col(SafecheckPause.cancelled_at).is_(None),
                col(SafecheckPause.starts_on) <= today,
                or_(col(SafecheckPause.ends_on).is_(None), col(SafecheckPause.ends_on) >= today),
            )
        ).all()
    }
    rows = []
    for plan in plans:
        person = people.get(plan.retiree_id)
        if person is None:
            continue
        day = days.get(plan.retiree_id)
        status = _status(plan, day, plan.retiree_id in paused, today, minute)
        rows.append(
            TodayRow(
                retiree_id=plan.retiree_id,
                retiree_name=person.name,
                unit_name=person.unit_name,
                due_time=timing.as_text(plan.due_minute),
                quiet_start=timing.as_text(plan.quiet_start_minute),
                quiet_end=timing.as_text(plan.quiet_end_minute),
                status_code=status.name,
                status=status.value,
                checked_in_at=day.checked_in_at if day else None,
                checked_in_by=service.who_label(day.checked_in_by) if day else None,
                reminded_at=day.reminded_at if day else None,
                escalated_at=day.escalated_at if day else None,
                pause=paused.get(plan.retiree_id),
            )
        )
    rows.sort(key=lambda r: (ORDER.index(TodayStatus[r.status_code]), r.unit_name, r.retiree_name))
    counts = {s.name: sum(1 for r in rows if r.status_code == s.name) for s in TodayStatus}
    return TodayBoard(day=today, counts=counts, data=rows, not_enabled=_not_enabled(db, scope, ids))


def _not_enabled(db: Session, scope: Unit, enabled: list[int]) -> list[EligibleRow]:
    on = set(enabled)
    found: dict[int, EligibleRow] = {}
    for flag in (CareFlag.living_alone.value, CareFlag.empty_nest.value):
        for p in directory.people_under(db, scope, statuses=LIVING, care_flag=flag):
            if p.id in on:
                continue
            row = found.setdefault(
                p.id,
                EligibleRow(
                    retiree_id=p.id, retiree_name=p.name, unit_name=p.unit_name, care_flags=[]
                ),
            )
            row.care_flags.append(flag)
    return sorted(found.values(), key=lambda r: (r.unit_name, r.retiree_name))
