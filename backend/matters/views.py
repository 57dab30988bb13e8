"""How a matter reads: plain words for the person's screen, a card for staff."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from backend.accounts import directory
from backend.core.clock import Clock, as_utc, local_today
from backend.matters import service, wording
from backend.matters.models import OPEN, Kind, Matter, MatterEvent, Status
from backend.matters.schemas import MatterCard, MatterPublic, StepPublic
from backend.workdays import service as workdays

LABELS = {
    "destination": "去哪里",
    "depart_on": "出发",
    "return_on": "回来",
    "purpose": "做什么",
    "organisation": "社会组织",
    "post": "职务",
    "title": "书名或题目",
    "venue": "出版社或地点",
    "spouse_name": "对方姓名",
    "new_address": "新地址",
    "also_residence": "也搬到这里住",
    "award": "表彰奖励",
    "awarded_by": "颁发单位",
    "on_date": "日期",
    "note": "补充说明",
}


def lines(matter: Matter) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for key, value in service.details_of(matter).items():
        if isinstance(value, bool):
            value = "是" if value else "否"
        out.append((LABELS.get(key, key), str(value)))
    if matter.passport_tail:
        out.append(("护照号码", f"****{matter.passport_tail}"))
    if matter.returned_on:
        out.append(("实际回来", matter.returned_on.isoformat()))
    return out


def summary(matter: Matter) -> str:
    d = service.details_of(matter)
    if matter.kind == Kind.travel:
        return f"{d.get('destination', '')} {d.get('depart_on', '')}至{d.get('return_on', '')}"
    for key in ("organisation", "title", "spouse_name", "new_address", "award"):
        if d.get(key):
            return str(d[key])
    return ""


def _steps(rows: list[MatterEvent]) -> list[StepPublic]:
    return [
        StepPublic(at=r.at, what=wording.STEP_WORDS.get(r.what, r.what), by=r.by, note=r.note)
        for r in rows
    ]


def public(db: Session, rows: list[Matter], *, clock: Clock) -> list[MatterPublic]:
    steps = service.steps_of(db, [r.id or 0 for r in rows])
    today = local_today(clock)
    out = []
    for m in rows:
        can_return = service.can_report_return(m, today)
        out.append(
            MatterPublic(
                id=m.id or 0,
                retiree_id=m.retiree_id,
                kind=m.kind,
                flow=m.flow,
                status=m.status,
                headline=wording.headline(m),
                next_step=wording.next_step(m, can_return=can_return),
                lines=lines(m),
                submitted_at=m.submitted_at,
                due_at=m.due_at,
                decided_at=m.decided_at,
                decision_note=m.decision_note,
                can_withdraw=m.status in OPEN,
                can_report_return=can_return,
                can_report_quarter=service.can_report_quarter(m, today),
                steps=_steps(steps.get(m.id or 0, [])),
            )
        )
    return out


def is_late(matter: Matter, now: datetime) -> bool:
    due = as_utc(matter.due_at)
    if matter.status in OPEN:
        return due <= now
    return (
        matter.decided_at is not None
        and as_utc(matter.decided_at) > due
        and (matter.status not in (Status.withdrawn, Status.ended))
    )


def cards(db: Session, rows: list[Matter], *, clock: Clock) -> list[MatterCard]:
    now = clock.now()
    today = local_today(clock)
    ids = [r.id or 0 for r in rows]
    steps = service.steps_of(db, ids)
    people = directory.people(db, [r.retiree_id for r in rows])
    names = directory.staff_names(
        db, {s for r in rows for s in (r.signed_by_staff_id, r.decided_by_staff_id) if s}
    )
    out = []
    for m in rows:
        person = people.get(m.retiree_id)
        left = None
        if m.status in OPEN:
            left = workdays.working_days_between(db, today, wording.due_day(m.due_at))
        out.append(
            MatterCard(
                id=m.id or 0,
                retiree_id=m.retiree_id,
                retiree_name=person.name if person else "",
                retiree_level=m.level,
                unit_name=person.unit_name if person else "",
                kind=m.kind,
                flow=m.flow,
                status=m.status,
                status_label=wording.STAFF_LABELS[Status(m.status)],
                summary=summary(m),
                lines=lines(m),
                submitted_at=m.submitted_at,
                submitted_by=m.submitted_by,
                due_at=m.due_at,
                due_day=wording.due_day(m.due_at),
                late=is_late(m, now),
                open=m.status in OPEN,
                working_days_left=left,
                signed_at=m.signed_at,
                signed_by=names.get(m.signed_by_staff_id or 0),
                sign_note=m.sign_note,
                decided_at=m.decided_at,
                decided_by=names.get(m.decided_by_staff_id or 0),
                decision_note=m.decision_note,
                to_province=m.to_province,
                returned_on=m.returned_on,
                steps=_steps(steps.get(m.id or 0, [])),
            )
        )
    return out
