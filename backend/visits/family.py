"""What family at a distance (and the retiree) see: that care happens. The date and kind of the
last contact and visit, open follow-ups about their parent, the named staff member."""

from __future__ import annotations

from sqlmodel import Session

from backend.accounts import directory
from backend.accounts.models import Retiree
from backend.checkin import contacts
from backend.core.clock import Clock, to_local
from backend.visits import plans, records, tasks
from backend.visits.schemas import CareFollowUp, CareOut


def care(db: Session, *, clock: Clock, retiree: Retiree) -> CareOut:
    rid = retiree.id or 0
    staff_id = plans.assigned_staff_id(db, rid)
    staff_name = directory.staff_name(db, staff_id) if staff_id else None
    last_contact = next(iter(contacts.history(db, retiree=retiree, limit=1)), None)
    visit = records.last_visit(db, rid)
    open_rows = records.follow_ups(db, clock=clock, scope=_unit(db, retiree), retiree_id=rid)
    pending = any(t.reason == tasks.CALLBACK for t in tasks.open_tasks_of(db, rid))
    if pending:
        message = f"已经请{staff_name or '工作人员'}回电话了，请留意接听。"
    elif staff_name:
        message = (
            f"{staff_name}负责照顾{retiree.name}。有事可以点下面的按钮，请{staff_name}回电话。"
        )
    else:
        message = "有事可以请工作人员回电话。"
    return CareOut(
        retiree_id=rid,
        retiree_name=retiree.name,
        staff_name=staff_name,
        last_contact_on=to_local(last_contact.at).date() if last_contact else None,
        last_contact_kind=last_contact.channel if last_contact else None,
        last_visit_on=to_local(visit.visited_at).date() if visit else None,
        last_visit_kind=visit.kind if visit else None,
        follow_ups=[
            CareFollowUp(text=f.text, due_on=f.due_on, owner_name=f.owner_name)
            for f in open_rows.data
        ],
        callback_pending=pending,
        message=message,
    )


def _unit(db: Session, retiree: Retiree):  # type: ignore[no-untyped-def]
    unit = directory.unit(db, retiree.unit_id)
    assert unit is not None
    return unit
