"""The 报平安 job: who is late, in two set-based statements, then the messages.

Each run (every minute, in the one scheduler process) at Shanghai time `now`:

1. Reminders: one INSERT … SELECT claims today's row for every plan that is on, has started,
   whose time has come, is not in its quiet hours, not paused today, and has no row for today
   yet (a row means a check-in or a reminder already). RETURNING says whom it claimed; each gets
   one reminder, deduplicated per retiree per day.
2. Escalations: one UPDATE … RETURNING claims the rows of today and yesterday (a deadline late in
   the evening escalates after midnight, or after quiet hours end) that were reminded at least
   the grace period ago, were never escalated, have no check-in since, are not paused, and whose
   plan is on and not in quiet hours now. Each goes to the named staff and the emergency
   contacts (recipients.py), once per retiree per day.

Claim and messages share one transaction: a message is written only if its claim commits, and a
claim is never lost without its message. A second scheduler run finds nothing left to claim."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Date, exists, literal, not_, update
from sqlmodel import Session, col, select

from backend.accounts import directory
from backend.accounts.enums import RetireeStatus
from backend.core.clock import Clock, to_local
from backend.core.context import AppContext
from backend.core.db import insert_for, transaction
from backend.core.scheduler import IntervalJob, current_context
from backend.core.types import UTCDateTime
from backend.notices import service as notices_service
from backend.safecheck import pauses, recipients, timing, wording
from backend.safecheck.models import SafecheckDay, SafecheckPlan


@dataclass(frozen=True)
class Outcome:
    reminded: list[int]
    escalated: list[tuple[int, date]]


def _claim_reminders(db: Session, now: datetime) -> list[int]:
    today, minute = to_local(now).date(), timing.minute_of(now)
    plan = SafecheckPlan
    due = select(col(plan.retiree_id), literal(today, Date), literal(now, UTCDateTime())).where(
        col(plan.enabled).is_(True),
        col(plan.starts_on) <= today,
        col(plan.due_minute) <= minute,
        not_(timing.quiet_sql(minute, col(plan.quiet_start_minute), col(plan.quiet_end_minute))),
        not_(pauses.covering(col(plan.retiree_id), today)),
        not_(
            exists().where(
                col(SafecheckDay.retiree_id) == col(plan.retiree_id), col(SafecheckDay.day) == today
            )
        ),
    )
    claimed = db.execute(
        insert_for(db, SafecheckDay)
        .from_select(["retiree_id", "day", "reminded_at"], due)
        .on_conflict_do_nothing()
        .returning(col(SafecheckDay.retiree_id))
    )
    return sorted(int(r) for r in claimed.scalars())


def _claim_escalations(db: Session, now: datetime, grace: timedelta) -> list[tuple[int, date]]:
    today, minute = to_local(now).date(), timing.minute_of(now)
    day = SafecheckDay.__table__  # type: ignore[attr-defined]
    later = day.alias("later")
    plan = SafecheckPlan
    claimed = db.execute(
        update(day)
        .where(
            day.c.day.in_([today - timedelta(days=1), today]),
            day.c.reminded_at <= now - grace,
            day.c.escalated_at.is_(None),
            day.c.checked_in_at.is_(None),
            not_(
                exists().where(
                    later.c.retiree_id == day.c.retiree_id,
                    later.c.day > day.c.day,
                    later.c.checked_in_at.is_not(None),
                )
            ),
            exists().where(
                col(plan.retiree_id) == day.c.retiree_id,
                col(plan.enabled).is_(True),
                not_(
                    timing.quiet_sql(
                        minute, col(plan.quiet_start_minute), col(plan.quiet_end_minute)
                    )
                ),
            ),
            not_(pauses.covering(day.c.retiree_id, today)),
            not_(pauses.covering(day.c.retiree_id, day.c.day)),
        )
        .values(escalated_at=now)
        .returning(day.c.retiree_id, day.c.day)
        .execution_options(synchronize_session=False)
    )
    return sorted((int(r), d) for r, d in claimed.all())


def _remind(db: Session, clock: Clock, ids: list[int], today: date) -> None:
    people = directory.people(db, ids)
    for retiree_id in ids:
        person = people.get(retiree_id)
        if person is None or person.status == RetireeStatus.deceased.value:
            continue
        title, body = wording.reminder(person.name)
        notices_service.notify(
            db,
            clock=clock,
            retiree_id=retiree_id,
            title=title,
            body=body,
            dedupe_key=f"safecheck:{retiree_id}:{today}:remind",
            link_page="pages/index/index",
            include_family=False,
        )


def _escalate(db: Session, clock: Clock, rows: list[tuple[int, date]], grace: int) -> None:
    ids = [rid for rid, _ in rows]
    people = directory.people(db, ids)
    due = dict(
        db.exec(
            select(SafecheckPlan.retiree_id, SafecheckPlan.due_minute).where(
                col(SafecheckPlan.retiree_id).in_(ids)
            )
        ).all()
    )
    calls: dict[int, str] = {}
    phones = recipients.phone_contacts(db, ids)
    for retiree_id, day in rows:
        person = people.get(retiree_id)
        if person is None or person.status == RetireeStatus.deceased.value:
            continue
        when = timing.as_text(due.get(retiree_id, 600))
        key = f"safecheck:{retiree_id}:{day}"
        listed = [(c.name, c.phone) for c in phones.get(retiree_id, [])]
        title, body = wording.escalation_staff(person.name, person.unit_name, when, grace, listed)
        recipients.tell_named_staff(
            db,
            clock=clock,
            retiree_id=retiree_id,
            title=title,
            body=body,
            dedupe_key=f"{key}:staff",
            unit_id=person.unit_id,
        )
        if person.unit_id not in calls:
            calls[person.unit_id] = wording.call_line(db, person.unit_id, clock.now())
        title, body = wording.escalation_family(person.name, when, calls[person.unit_id])
        recipients.tell_emergency_contacts(
            db,
            clock=clock,
            retiree_id=retiree_id,
            title=title,
            body=body,
            dedupe_key=f"{key}:family",
        )


def run(ctx: AppContext) -> Outcome:
    now = ctx.clock.now()
    grace = ctx.settings.safecheck_grace_minutes
    with transaction(ctx.engine) as db:
        reminded = _claim_reminders(db, now)
        escalated = _claim_escalations(db, now, timedelta(minutes=grace))
        _remind(db, ctx.clock, reminded, to_local(now).date())
        _escalate(db, ctx.clock, escalated, grace)
    return Outcome(reminded=reminded, escalated=escalated)


def job_evaluate() -> None:
    run(current_context())


JOBS = [IntervalJob(id="safecheck.evaluate", func=job_evaluate, seconds=60)]
