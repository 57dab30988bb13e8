"""Visit tasks: a hospital stay or a family event (hn 6.6.3 重大变故必访, mva 第九条 and
第十五条) reported by the retiree, family or staff becomes a visit due within a few days for the
named staff member; a 「请工作人员给我回电话」 becomes a call-back task for them."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from backend.accounts import audit, directory
from backend.accounts import staff as staff_accounts
from backend.accounts.enums import RetireeStatus
from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.accounts.scope import get_scoped
from backend.core import events
from backend.core.clock import Clock, local_today
from backend.core.errors import BadRequest
from backend.notices import alerts
from backend.notices import service as notices_service
from backend.visits import plans
from backend.visits.models import VisitTask
from backend.visits.schemas import CallbackOut, EventIn, EventKind, TaskOut

# How many days staff have to visit after hearing of the event.
DUE_DAYS = {EventKind.hospital: 3, EventKind.family: 3}
CALLBACK = "回电话"
CALLBACK_DAYS = 1


def _open_task(db: Session, retiree_id: int, reason: str) -> VisitTask | None:
    return db.exec(
        select(VisitTask).where(
            VisitTask.retiree_id == retiree_id,
            VisitTask.reason == reason,
            VisitTask.status == "open",
        )
    ).first()


def report_event(
    db: Session,
    *,
    clock: Clock,
    retiree: Retiree,
    data: EventIn,
    reported_by: str,
    staff: StaffAccount | None = None,
) -> VisitTask:
    """A visit task for the named staff member (an open one of the same kind is kept, with the
    new words added). The unit's staff are told on the console home page."""
    if retiree.status == RetireeStatus.deceased:
        raise BadRequest("这位老同志已去世。如有需要请联系工作人员。")
    detail = (data.detail or "").strip() or None
    task = _open_task(db, retiree.id or 0, data.kind.value)
    if task is not None:
        if detail:
            task.detail = ((task.detail + "；") if task.detail else "") + detail
            task.detail = task.detail[:300]
        return task
    task = VisitTask(
        retiree_id=retiree.id or 0,
        unit_id=retiree.unit_id,
        reason=data.kind.value,
        detail=detail,
        due_on=local_today(clock) + timedelta(days=DUE_DAYS[data.kind]),
        staff_id=plans.assigned_staff_id(db, retiree.id or 0),
        reported_by=reported_by,
        created_at=clock.now(),
    )
    db.add(task)
    db.flush()
    _tell_staff(db, clock=clock, task=task, retiree=retiree)
    if data.kind == EventKind.hospital:
        events.publish(
            events.HOSPITAL_ADMITTED,
            db=db,
            retiree=retiree,
            clock=clock,
            on=local_today(clock),
            reported_by=reported_by,
            detail=detail,
        )
    if staff is not None:
        audit.record(
            db,
            clock=clock,
            staff=staff,
            action="visit.task",
            entity="retiree",
            entity_id=retiree.id,
            unit_id=retiree.unit_id,
            after={"task_id": task.id, "reason": task.reason},
        )
    return task


def report_event_as_staff(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, data: EventIn
) -> VisitTask:
    retiree = get_scoped(db, Retiree, data.retiree_id, scope)
    return report_event(
        db,
        clock=clock,
        retiree=retiree,
        data=data,
        staff=staff,
        reported_by=staff_accounts.label(staff),
    )


def _tell_staff(db: Session, *, clock: Clock, task: VisitTask, retiree: Retiree) -> None:
    owner = directory.staff_name(db, task.staff_id) if task.staff_id else None
    who = f"请{owner}" if owner else "还没有定人包户，请安排人"
    due = f"{task.due_on.month}月{task.due_on.day}日"
    if task.reason == CALLBACK:
        title = f"{retiree.name}请工作人员回电话"
        body = f"{who}在{due}前给{retiree.name}回电话。"
    else:
        title = f"{retiree.name}：{task.reason}，要去看望"
        body = f"{task.reported_by}说{retiree.name}{task.reason}。{who}在{due}前去看望。"
    alerts.alert_staff(
        db,
        clock=clock,
        unit_id=retiree.unit_id,
        title=title,
        body=body,
        dedupe_key=f"visit-task:{task.id}",
        link="/console/visits",
    )


def request_callback(
    db: Session, *, clock: Clock, retiree: Retiree, reported_by: str, note: str | None
) -> CallbackOut:
    if retiree.status == RetireeStatus.deceased:
        raise BadRequest("这位老同志已去世。如有需要请联系工作人员。")
    staff_id = plans.assigned_staff_id(db, retiree.id or 0)
    name = (directory.staff_name(db, staff_id) if staff_id else None) or "工作人员"
    existing = _open_task(db, retiree.id or 0, CALLBACK)
    if existing is not None:
        return CallbackOut(task_id=existing.id or 0, message=f"已经告诉{name}了，请留意接听电话。")
    task = VisitTask(
        retiree_id=retiree.id or 0,
        unit_id=retiree.unit_id,
        reason=CALLBACK,
        detail=(note or "").strip() or None,
        due_on=local_today(clock) + timedelta(days=CALLBACK_DAYS),
        staff_id=staff_id,
        reported_by=reported_by,
        created_at=clock.now(),
    )
    db.add(task)
    db.flush()
    _tell_staff(db, clock=clock, task=task, retiree=retiree)
    message = f"已告诉{name}，最晚明天给您回电话。请留意接听。"
    notices_service.notify(
        db,
        clock=clock,
        retiree_id=retiree.id or 0,
        title="已请工作人员回电话",
        body=message,
        dedupe_key=f"visit-callback:{task.id}",
    )
    return CallbackOut(task_id=task.id or 0, message=message)


def close_task(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, task_id: int
) -> VisitTask:
    task = get_scoped(db, VisitTask, task_id, scope)
    if task.status != "open":
        raise BadRequest("这项任务已经办完了。")
    task.status = "done"
    task.closed_at = clock.now()
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="visit.task_close",
        entity="retiree",
        entity_id=task.retiree_id,
        unit_id=task.unit_id,
        before={"status": "open"},
        after={"status": "done"},
    )
    return task


def task_out(db: Session, task: VisitTask) -> TaskOut:
    return TaskOut(
        id=task.id or 0,
        retiree_id=task.retiree_id,
        reason=task.reason,
        detail=task.detail,
        due_on=task.due_on,
        staff_name=directory.staff_name(db, task.staff_id) if task.staff_id else None,
        reported_by=task.reported_by,
        status="待办" if task.status == "open" else "已办",
    )


def open_tasks_of(db: Session, retiree_id: int) -> list[VisitTask]:
    return list(
        db.exec(
            select(VisitTask)
            .where(VisitTask.retiree_id == retiree_id, VisitTask.status == "open")
            .order_by(col(VisitTask.id))
        )
    )
