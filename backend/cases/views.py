"""How a case reads: to the person (only the pages of the file meant for them) and to staff
(the whole file, names, whether it is late)."""

from __future__ import annotations

from sqlmodel import Session

from backend.accounts import directory
from backend.cases import service
from backend.cases.models import Case, CaseEvent
from backend.cases.rules import STATUS_WORDS, Status
from backend.cases.schemas import CaseMessage, CasePublic, StaffCase, StaffEvent
from backend.core.clock import Clock, local_today


def _next_step(case: Case) -> str:
    if case.status == Status.replied.value:
        return "请看答复，再点一下满不满意。不满意的，我们再办一次。"
    if case.status == Status.closed.value:
        return "这件事已办结。还有别的事，可以再写，或打电话给所里。"
    again = "重新办理中，" if case.follow_ups else ""
    return f"{again}工作人员会在{case.due_on.month}月{case.due_on.day}日前答复您。"


def person(db: Session, cases: list[Case]) -> list[CasePublic]:
    events = service.events_of(db, [c.id or 0 for c in cases])
    return [
        CasePublic(
            id=c.id or 0,
            number=c.number,
            kind=c.kind,
            body=c.body,
            status=c.status,
            status_text=STATUS_WORDS[Status(c.status)],
            created_at=c.created_at,
            due_on=c.due_on,
            reply=c.reply,
            rating=c.rating,
            can_rate=c.status == Status.replied.value,
            next_step=_next_step(c),
            messages=[
                CaseMessage(at=e.at, what=e.what, by=e.by, text=e.text)
                for e in events[c.id or 0]
                if e.public
            ],
        )
        for c in cases
    ]


def _staff_event(e: CaseEvent) -> StaffEvent:
    return StaffEvent(
        id=e.id or 0,
        at=e.at,
        what=e.what,
        by=e.by,
        text=e.text,
        public=e.public,
        has_attachment=bool(e.attachment_path),
    )


def staff(
    db: Session, cases: list[Case], *, clock: Clock, with_events: bool = False
) -> list[StaffCase]:
    names = directory.retiree_names(db, [c.retiree_id for c in cases if c.retiree_id])
    units = directory.unit_names(db, [c.unit_id for c in cases])
    handlers = directory.staff_names(db, [c.handler_staff_id for c in cases])
    events = service.events_of(db, [c.id or 0 for c in cases]) if with_events else {}
    today = local_today(clock)
    return [
        StaffCase(
            id=c.id or 0,
            number=c.number,
            retiree_id=c.retiree_id,
            retiree_name=names.get(c.retiree_id, "") if c.retiree_id else service.ANONYMOUS,
            unit_id=c.unit_id,
            unit_name=units.get(c.unit_id, ""),
            kind=c.kind,
            channel=c.channel,
            body=c.body,
            submitted_by=c.submitted_by,
            created_at=c.created_at,
            due_on=c.due_on,
            late=c.status == Status.open.value and c.due_on < today,
            handler_staff_id=c.handler_staff_id,
            handler_name=handlers.get(c.handler_staff_id or 0),
            status=c.status,
            status_text=STATUS_WORDS[Status(c.status)],
            follow_ups=c.follow_ups,
            reply=c.reply,
            rating=c.rating,
            events=[_staff_event(e) for e in events.get(c.id or 0, [])],
        )
        for c in cases
    ]
