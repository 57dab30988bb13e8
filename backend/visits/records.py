"""Recording a visit (sx 5.3.2) and its follow-ups. A recorded visit is also the month's
contact: it goes through the check-in domain's contact service, so the monthly-contact and
失联 clocks start again."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from backend.accounts import audit, directory
from backend.accounts.enums import RetireeStatus
from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.accounts.scope import contains, get_scoped
from backend.checkin import contacts
from backend.checkin.schemas import ContactChannel, ContactIn
from backend.core.clock import Clock, FrozenClock, local_today
from backend.core.errors import BadRequest
from backend.visits.models import VisitCampaign, VisitFollowUp, VisitRecord, VisitTask
from backend.visits.schemas import (
    CloseIn,
    FollowUpIn,
    FollowUpOut,
    FollowUpsOut,
    VisitIn,
    VisitKind,
    VisitOut,
    VisitsOut,
)

CHANNEL = {
    VisitKind.home: ContactChannel.home_visit,
    VisitKind.phone: ContactChannel.phone,
    VisitKind.video: ContactChannel.wechat,
}


def record(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, data: VisitIn
) -> VisitRecord:
    retiree = get_scoped(db, Retiree, data.retiree_id, scope)
    if retiree.status == RetireeStatus.deceased:
        raise BadRequest("这位老同志已去世，不用再记走访。")
    now = clock.now()
    visited_at = data.visited_at or now
    if visited_at > now + timedelta(minutes=5):
        raise BadRequest("走访时间不能晚于现在。")
    if visited_at < now - timedelta(days=60):
        raise BadRequest("只能补记两个月以内的走访。")
    campaign_id = None
    if data.campaign_id is not None:
        campaign = get_scoped(db, VisitCampaign, data.campaign_id, scope, refuse=BadRequest)
        unit = directory.unit(db, retiree.unit_id)
        top = directory.unit(db, campaign.unit_id)
        if unit is None or top is None or not contains(top, unit):
            raise BadRequest("这位老同志不在这次走访活动的范围里。")
        campaign_id = campaign.id
    if data.task_id is not None:
        task = get_scoped(db, VisitTask, data.task_id, scope, refuse=BadRequest)
        if task.retiree_id != retiree.id:
            raise BadRequest("这项任务不是这位老同志的，请从列表里选择。")
    visit = VisitRecord(
        retiree_id=retiree.id or 0,
        unit_id=retiree.unit_id,
        kind=data.kind.value,
        visited_at=visited_at,
        visitors=data.visitors.strip(),
        met=data.met.strip(),
        health=_clean(data.health),
        mood=_clean(data.mood),
        family=_clean(data.family),
        activities=_clean(data.activities),
        needs=_clean(data.needs),
        campaign_id=campaign_id,
        staff_id=staff.id or 0,
        created_at=now,
    )
    db.add(visit)
    db.flush()
    # A visit answers every open task of this retiree (住院, 家庭变故, 回电话).
    for task in db.exec(
        select(VisitTask).where(VisitTask.retiree_id == retiree.id, VisitTask.status == "open")
    ):
        task.status = "done"
        task.visit_id = visit.id
        task.closed_at = now
    if (data.follow_up or "").strip():
        assert data.follow_up_owner_id is not None and data.follow_up_due is not None
        add_follow_up(
            db,
            clock=clock,
            staff=staff,
            scope=scope,
            visit=visit,
            data=FollowUpIn(
                text=data.follow_up or "",
                owner_staff_id=data.follow_up_owner_id,
                due_on=data.follow_up_due,
            ),
            audited=False,
        )
    # The contact happened when the visit did (a visit recorded later still dates the 失联 clock).
    contacts.log(
        db,
        clock=FrozenClock(visited_at),
        staff=staff,
        scope=scope,
        data=ContactIn(retiree_id=retiree.id or 0, channel=CHANNEL[data.kind], note="走访"),
    )
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="visit.record",
        entity="retiree",
        entity_id=retiree.id,
        unit_id=retiree.unit_id,
        after={"visit_id": visit.id, "kind": visit.kind, "follow_up": data.follow_up},
    )
    return visit


def _clean(value: str | None) -> str | None:
    return (value or "").strip() or None


def add_follow_up(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    visit: VisitRecord,
    data: FollowUpIn,
    audited: bool = True,
) -> VisitFollowUp:
    owner = get_scoped(
        db,
        StaffAccount,
        data.owner_staff_id,
        scope,
        refuse=BadRequest,
        missing="请从列表里选择谁来办。",
    )
    if not owner.active:
        raise BadRequest("这个账号已停用，请另选一位工作人员来办。")
    if data.due_on < local_today(clock):
        raise BadRequest("办结日期不能早于今天。")
    text = data.text.strip()
    if not text:
        raise BadRequest("请写上要办的事。")
    row = VisitFollowUp(
        visit_id=visit.id or 0,
        retiree_id=visit.retiree_id,
        unit_id=visit.unit_id,
        text=text,
        owner_staff_id=owner.id or 0,
        due_on=data.due_on,
        created_at=clock.now(),
    )
    db.add(row)
    db.flush()
    if audited:
        audit.record(
            db,
            clock=clock,
            staff=staff,
            action="visit.follow_up",
            entity="retiree",
            entity_id=visit.retiree_id,
            unit_id=visit.unit_id,
            after={
                "follow_up_id": row.id,
                "text": text,
                "owner": owner.display_name,
                "due_on": data.due_on.isoformat(),
            },
        )
    return row


def close_follow_up(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    follow_up_id: int,
    data: CloseIn,
) -> VisitFollowUp:
    row = get_scoped(db, VisitFollowUp, follow_up_id, scope)
    if row.status != "open":
        raise BadRequest("这件事已经办结了。")
    row.status = "closed"
    row.close_note = _clean(data.note)
    row.closed_at = clock.now()
    row.closed_by_staff_id = staff.id
    db.flush()
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="visit.follow_up_close",
        entity="retiree",
        entity_id=row.retiree_id,
        unit_id=row.unit_id,
        before={"status": "open"},
        after={"status": "closed", "note": row.close_note},
    )
    return row


def follow_ups(
    db: Session,
    *,
    clock: Clock,
    scope: Unit,
    staff: StaffAccount | None = None,
    retiree_id: int | None = None,
    open_only: bool = True,
) -> FollowUpsOut:
    """Follow-ups in the scope: `staff` given, only theirs; open ones first by due date."""
    query = select(VisitFollowUp).where(
        col(VisitFollowUp.retiree_id).in_(directory.ids_under(scope, statuses=tuple(RetireeStatus)))
    )
    if staff is not None:
        query = query.where(VisitFollowUp.owner_staff_id == staff.id)
    if retiree_id is not None:
        query = query.where(VisitFollowUp.retiree_id == retiree_id)
    if open_only:
        query = query.where(VisitFollowUp.status == "open")
    rows = list(db.exec(query.order_by(col(VisitFollowUp.due_on), col(VisitFollowUp.id))))
    data = shape_follow_ups(db, clock=clock, rows=rows)
    return FollowUpsOut(data=data, count=len(data))


def shape_follow_ups(db: Session, *, clock: Clock, rows: list[VisitFollowUp]) -> list[FollowUpOut]:
    names = directory.retiree_names(db, {r.retiree_id for r in rows})
    owners = directory.staff_names(db, {r.owner_staff_id for r in rows})
    today = local_today(clock)
    return [
        FollowUpOut(
            id=r.id or 0,
            visit_id=r.visit_id,
            retiree_id=r.retiree_id,
            retiree_name=names.get(r.retiree_id, ""),
            text=r.text,
            owner_staff_id=r.owner_staff_id,
            owner_name=owners.get(r.owner_staff_id, ""),
            due_on=r.due_on,
            overdue=r.status == "open" and r.due_on < today,
            status="待办" if r.status == "open" else "已办结",
            close_note=r.close_note,
        )
        for r in rows
    ]


def visit_out(db: Session, *, clock: Clock, visit: VisitRecord) -> VisitOut:
    rows = list(
        db.exec(
            select(VisitFollowUp)
            .where(VisitFollowUp.visit_id == visit.id)
            .order_by(col(VisitFollowUp.id))
        )
    )
    return VisitOut(
        id=visit.id or 0,
        retiree_id=visit.retiree_id,
        retiree_name=directory.retiree_names(db, [visit.retiree_id]).get(visit.retiree_id, ""),
        kind=visit.kind,
        visited_at=visit.visited_at,
        visitors=visit.visitors,
        met=visit.met,
        health=visit.health,
        mood=visit.mood,
        family=visit.family,
        activities=visit.activities,
        needs=visit.needs,
        campaign_id=visit.campaign_id,
        follow_ups=shape_follow_ups(db, clock=clock, rows=rows),
    )


def history(
    db: Session, *, clock: Clock, scope: Unit, retiree_id: int, limit: int = 50
) -> VisitsOut:
    retiree = get_scoped(db, Retiree, retiree_id, scope)
    visits = db.exec(
        select(VisitRecord)
        .where(VisitRecord.retiree_id == retiree.id)
        .order_by(col(VisitRecord.visited_at).desc())
        .limit(limit)
    ).all()
    data = [visit_out(db, clock=clock, visit=v) for v in visits]
    return VisitsOut(data=data, count=len(data))


def picked(db: Session, *, scope: Unit, retiree_id: int) -> directory.Person | None:
    """The retiree a form starts with (from the week's list), as the picker shows them."""
    retiree = get_scoped(db, Retiree, retiree_id, scope)
    return directory.person(db, retiree.id or 0)


def last_visit(db: Session, retiree_id: int) -> VisitRecord | None:
    return db.exec(
        select(VisitRecord)
        .where(VisitRecord.retiree_id == retiree_id)
        .order_by(col(VisitRecord.visited_at).desc())
        .limit(1)
    ).first()
