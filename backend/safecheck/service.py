"""报平安 for one retiree: the plan (on/off, time, quiet hours), the daily tap, the state the
mini-program shows. The retiree, bound family with the 代办 right and staff of the unit change
the plan; only the retiree taps (staff record "已联系上" for them, audited, in staff.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session

from backend.accounts import retirees
from backend.accounts.enums import CareFlag
from backend.core.actors import Actor, ActorKind
from backend.core.clock import Clock, local_today, to_local
from backend.core.errors import BadRequest
from backend.notices import fanout
from backend.safecheck import pauses, recipients, timing, wording
from backend.safecheck.models import SafecheckDay, SafecheckPlan
from backend.safecheck.schemas import PlanSettings, SafecheckState

ELIGIBLE_FLAGS = (CareFlag.living_alone.value, CareFlag.empty_nest.value)
NOT_ELIGIBLE = "报平安是给独居、空巢的老同志开的。如果家里情况变了，请告诉所里的工作人员。"
NOT_ON = "还没有开通报平安。可以在“报平安设置”里开通。"
IN_QUIET = "报平安的时间在免打扰的时段里，到时候不会提醒。请换一个时间，或者改一下免打扰时段。"


def plan_of(db: Session, retiree_id: int) -> SafecheckPlan | None:
    return db.get(SafecheckPlan, retiree_id)


def is_eligible(db: Session, retiree_id: int) -> bool:
    flags = retirees.care_flags_of(db, [retiree_id]).get(retiree_id, [])
    return any(f in ELIGIBLE_FLAGS for f in flags)


def plan_view(plan: SafecheckPlan | None) -> dict[str, object]:
    """The plan as the audit log and the change check see it."""
    if plan is None:
        return {"enabled": False}
    return {
        "enabled": plan.enabled,
        "due_time": timing.as_text(plan.due_minute),
        "quiet_start": timing.as_text(plan.quiet_start_minute),
        "quiet_end": timing.as_text(plan.quiet_end_minute),
    }


def first_day(now: datetime, due_minute: int) -> date:
    """Turned on before the day's time, today counts; after it, from tomorrow."""
    today = to_local(now).date()
    return today if timing.minute_of(now) < due_minute else today + timedelta(days=1)


def save_plan(
    db: Session, *, clock: Clock, retiree_id: int, data: PlanSettings, actor: Actor
) -> SafecheckPlan:
    """Turn on, change or turn off. Turning on needs the 独居/空巢 flag; the time must be
    outside the quiet hours. A plan turned off keeps its times for when it is turned on again."""
    due = timing.parse(data.due_time)
    start, end = timing.parse(data.quiet_start), timing.parse(data.quiet_end)
    if data.enabled and timing.is_quiet(due, start, end):
        raise BadRequest(IN_QUIET, code="due_in_quiet_hours")
    plan = plan_of(db, retiree_id)
    now = clock.now()
    was_on = plan is not None and plan.enabled
    if data.enabled and not was_on and not is_eligible(db, retiree_id):
        raise BadRequest(NOT_ELIGIBLE, code="not_eligible")
    if plan is None:
        plan = SafecheckPlan(
            retiree_id=retiree_id,
            starts_on=first_day(now, due),
            created_at=now,
            updated_at=now,
            updated_by=actor.label,
        )
    elif data.enabled and not was_on:
        plan.starts_on = first_day(now, due)
    plan.enabled = data.enabled
    plan.due_minute, plan.quiet_start_minute, plan.quiet_end_minute = due, start, end
    plan.updated_at = now
    plan.updated_by = actor.label
    db.add(plan)
    db.flush()
    return plan


def day_of(db: Session, retiree_id: int, day: date) -> SafecheckDay | None:
    return db.get(SafecheckDay, (retiree_id, day))


def check_in(db: Session, *, clock: Clock, retiree_id: int, actor: Actor) -> SafecheckDay:
    """The day's 报平安: the first tap of a Shanghai day is kept, a second changes nothing.
    After the staff and family were told, they hear that it came."""
    plan = plan_of(db, retiree_id)
    if plan is None or not plan.enabled:
        raise BadRequest(NOT_ON, code="not_enabled")
    now = clock.now()
    today = local_today(clock)
    db.execute(
        fanout.insert_for(db, SafecheckDay)
        .values(retiree_id=retiree_id, day=today, checked_in_at=now, checked_in_by=actor.label)
        .on_conflict_do_update(
            index_elements=["retiree_id", "day"],
            set_={"checked_in_at": now, "checked_in_by": actor.label},
            where=SafecheckDay.__table__.c.checked_in_at.is_(None),  # type: ignore[attr-defined]
        )
    )
    row = db.get(SafecheckDay, (retiree_id, today), populate_existing=True)
    assert row is not None
    _all_clear(db, clock=clock, retiree_id=retiree_id, today=today, actor=actor)
    return row


def _all_clear(db: Session, *, clock: Clock, retiree_id: int, today: date, actor: Actor) -> None:
    """Whoever was told that the 报平安 had not come hears that it has (once per day told)."""
    for day in (today - timedelta(days=1), today):
        told = day_of(db, retiree_id, day)
        if told is None or told.escalated_at is None:
            continue
        who = "工作人员已联系上" if actor.kind == ActorKind.staff else "已经报了平安"
        title, body = wording.all_clear(db, retiree_id=retiree_id, who=who)
        key = f"safecheck:{retiree_id}:{day}:clear"
        recipients.tell_named_staff(
            db,
            clock=clock,
            retiree_id=retiree_id,
            title=title,
            body=body,
            dedupe_key=f"{key}:staff",
        )
        recipients.tell_emergency_contacts(
            db,
            clock=clock,
            retiree_id=retiree_id,
            title=title,
            body=body,
            dedupe_key=f"{key}:family",
        )


def who_label(label: str | None) -> str | None:
    if label is None:
        return None
    kind = label.split(":", 1)[0]
    return {"self": "本人", "family": "家人", "staff": "工作人员"}.get(kind, "")


def state(
    db: Session,
    *,
    clock: Clock,
    retiree_id: int,
    retiree_name: str,
    is_self: bool,
    can_change: bool,
) -> SafecheckState:
    plan = plan_of(db, retiree_id)
    today = local_today(clock)
    row = day_of(db, retiree_id, today)
    listed = pauses.listed(db, retiree_id=retiree_id, today=today)
    paused = any(p.current for p in listed)
    enabled = plan is not None and plan.enabled
    checked = row.checked_in_at if row else None
    due = timing.as_text(plan.due_minute) if plan else "10:00"
    return SafecheckState(
        retiree_id=retiree_id,
        retiree_name=retiree_name,
        eligible=is_eligible(db, retiree_id),
        enabled=enabled,
        due_time=due,
        quiet_start=timing.as_text(plan.quiet_start_minute) if plan else "21:00",
        quiet_end=timing.as_text(plan.quiet_end_minute) if plan else "07:00",
        today=today,
        checked_in_at=checked,
        checked_in_by=who_label(row.checked_in_by) if checked and row else None,
        paused_today=paused,
        pauses=listed,
        can_check_in=enabled and is_self,
        can_change=can_change,
        next_step=_next_step(enabled, checked is not None, paused, due, is_self),
    )


def _next_step(enabled: bool, checked: bool, paused: bool, due: str, is_self: bool) -> str:
    if not enabled:
        return "开通后，每天点一下“我今天挺好”，家人和所里就放心了。"
    if checked:
        return "今天已经报过平安了，明天再点一下就好。"
    if paused:
        return "报平安暂停中，这几天不会提醒。回来后记得每天点一下。"
    if is_self:
        return f"请在每天{due}前点一下“我今天挺好”。没点的话，会先提醒您，再告诉所里和家人。"
    return f"老人每天{due}前在小程序点一下就好。没点的话，会先提醒老人，再告诉所里和家人。"
