"""The funeral checklist: opened when a retiree is marked 去世 (core/events.py), read by staff
of the unit as a queue and one page per deceased. Writes are in checklist.py and survivors.py."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import case as sql_case
from sqlmodel import Session, col, delete, select

from backend.accounts import audit, directory
from backend.accounts import staff as staff_accounts
from backend.accounts.models import StaffAccount, Unit
from backend.accounts.scope import get_scoped, unit_in
from backend.bereavement import texts
from backend.bereavement.models import (
    FuneralBenefit,
    FuneralCase,
    FuneralDocument,
    FuneralTask,
    Survivor,
)
from backend.bereavement.schemas import (
    SETTLED,
    STEPS,
    BenefitKind,
    BenefitPublic,
    BenefitStatus,
    DocumentPublic,
    FuneralDetail,
    FuneralQueue,
    FuneralSummary,
    StaffChoice,
    SurvivorPublic,
    TaskKind,
    TaskPublic,
    yuan,
    yuan_text,
)
from backend.core.clock import Clock, local_today
from backend.core.errors import NotFound

QUEUE_LIMIT = 200


def open_case(
    db: Session, *, clock: Clock, retiree_id: int, unit_id: int, died_on: date
) -> FuneralCase:
    """The checklist for this death, opened once: its four tasks and three benefits (申请).
    A second call (the event heard again) returns the one already open."""
    found = db.exec(select(FuneralCase).where(FuneralCase.retiree_id == retiree_id)).first()
    if found is not None:
        return found
    now = clock.now()
    row = FuneralCase(
        retiree_id=retiree_id, unit_id=unit_id, died_on=died_on, opened_at=now, updated_at=now
    )
    db.add(row)
    db.flush()
    case_id = row.id or 0
    for i, kind in enumerate(TaskKind):
        db.add(FuneralTask(case_id=case_id, kind=kind.value, position=i, updated_at=now))
    for i, benefit in enumerate(BenefitKind):
        db.add(
            FuneralBenefit(
                case_id=case_id,
                kind=benefit.value,
                position=i,
                status=BenefitStatus.applied.value,
                updated_at=now,
                updated_by="system:deceased",
            )
        )
    db.flush()
    return row


def case_in_scope(db: Session, scope: Unit, case_id: int) -> FuneralCase:
    return get_scoped(db, FuneralCase, case_id, scope)


def audit_case(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    row: FuneralCase,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Every staff write on a checklist, its benefits or its survivors, in the audit log."""
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action=action,
        entity="funeral_case",
        entity_id=row.id,
        unit_id=row.unit_id,
        before=before,
        after=after,
    )


def withdraw_case(db: Session, *, retiree_id: int) -> bool:
    """Delete the checklist of a death marked by mistake, with its tasks, benefits, documents
    and survivor records — unless a benefit was paid (then nothing is deleted: False)."""
    case = case_of_retiree(db, retiree_id)
    if case is None or case.id is None:
        return False
    benefits = benefits_of(db, [case.id]).get(case.id, [])
    if any(b.status == BenefitStatus.paid for b in benefits):
        return False
    benefit_ids = [b.id for b in benefits if b.id is not None]
    if benefit_ids:
        db.exec(delete(FuneralDocument).where(col(FuneralDocument.benefit_id).in_(benefit_ids)))
    db.exec(delete(FuneralBenefit).where(col(FuneralBenefit.case_id) == case.id))
    db.exec(delete(FuneralTask).where(col(FuneralTask.case_id) == case.id))
    db.exec(delete(Survivor).where(col(Survivor.case_id) == case.id))
    db.delete(case)
    db.flush()
    return True


def case_of_retiree(db: Session, retiree_id: int) -> FuneralCase | None:
    return db.exec(select(FuneralCase).where(FuneralCase.retiree_id == retiree_id)).first()


def tasks_of(db: Session, case_ids: list[int]) -> dict[int, list[FuneralTask]]:
    found: dict[int, list[FuneralTask]] = defaultdict(list)
    if case_ids:
        for t in db.exec(
            select(FuneralTask)
            .where(col(FuneralTask.case_id).in_(case_ids))
            .order_by(col(FuneralTask.case_id), col(FuneralTask.position))
        ).all():
            found[t.case_id].append(t)
    return found


def benefits_of(db: Session, case_ids: list[int]) -> dict[int, list[FuneralBenefit]]:
    found: dict[int, list[FuneralBenefit]] = defaultdict(list)
    if case_ids:
        for b in db.exec(
            select(FuneralBenefit)
            .where(col(FuneralBenefit.case_id).in_(case_ids))
            .order_by(col(FuneralBenefit.case_id), col(FuneralBenefit.position))
        ).all():
            found[b.case_id].append(b)
    return found


def survivors_of(db: Session, case_id: int) -> list[Survivor]:
    return list(
        db.exec(
            select(Survivor).where(Survivor.case_id == case_id).order_by(col(Survivor.id))
        ).all()
    )


def is_complete(tasks: list[FuneralTask], benefits: list[FuneralBenefit]) -> bool:
    return all(t.done_at is not None for t in tasks) and all(b.status in SETTLED for b in benefits)


def refresh_completed(db: Session, *, clock: Clock, row: FuneralCase) -> None:
    """Mark the checklist done when every task is done and every benefit settled (or undone)."""
    case_id = row.id or 0
    db.flush()
    done = is_complete(tasks_of(db, [case_id])[case_id], benefits_of(db, [case_id])[case_id])
    now = clock.now()
    if done and row.completed_at is None:
        row.completed_at = now
    elif not done:
        row.completed_at = None
    row.updated_at = now
    db.add(row)


def queue(db: Session, *, scope: Unit) -> FuneralQueue:
    """Every checklist in the scope, open ones first, each group by date of death (earliest
    first). A constant number of queries."""
    rows = db.exec(
        select(FuneralCase)
        .where(unit_in(FuneralCase.unit_id, scope))
        .order_by(
            sql_case((col(FuneralCase.completed_at).is_(None), 0), else_=1),
            col(FuneralCase.died_on),
            col(FuneralCase.id),
        )
        .limit(QUEUE_LIMIT)
    ).all()
    ids = [r.id or 0 for r in rows]
    tasks, benefits = tasks_of(db, ids), benefits_of(db, ids)
    names = directory.retiree_names(db, [r.retiree_id for r in rows])
    units = directory.unit_names(db, [r.unit_id for r in rows])
    data = []
    for r in rows:
        ts, bs = tasks[r.id or 0], benefits[r.id or 0]
        open_dates = [t.due_on for t in ts if t.done_at is None and t.due_on is not None]
        data.append(
            FuneralSummary(
                id=r.id or 0,
                retiree_id=r.retiree_id,
                retiree_name=names.get(r.retiree_id, ""),
                unit_name=units.get(r.unit_id, ""),
                died_on=r.died_on,
                tasks_done=sum(1 for t in ts if t.done_at is not None),
                tasks_total=len(ts),
                benefits_settled=sum(1 for b in bs if b.status in SETTLED),
                benefits_total=len(bs),
                next_due_on=min(open_dates) if open_dates else None,
                completed=r.completed_at is not None,
            )
        )
    return FuneralQueue(data=data, count=len(data))


def record_of(db: Session, row: FuneralCase) -> texts.Record:
    retiree = directory.retiree(db, row.retiree_id)
    if retiree is None:
        raise NotFound("没有找到这位老同志。")
    farewell = next(
        (t.due_on for t in tasks_of(db, [row.id or 0])[row.id or 0] if t.kind == TaskKind.farewell),
        None,
    )
    return texts.Record(
        name=retiree.name,
        gender=retiree.gender,
        birth_date=retiree.birth_date,
        died_on=row.died_on,
        unit_name=directory.unit_names(db, [row.unit_id]).get(row.unit_id, ""),
        category=retiree.category,
        level=retiree.level,
        farewell_on=farewell,
    )


def next_statuses(status: str) -> list[str]:
    if status in SETTLED:
        return []
    here = STEPS.index(BenefitStatus(status))
    return [s.value for s in STEPS[here + 1 :]] + [BenefitStatus.not_applicable.value]


def documents_of(db: Session, benefit_ids: list[int]) -> dict[int, list[FuneralDocument]]:
    found: dict[int, list[FuneralDocument]] = defaultdict(list)
    if benefit_ids:
        for d in db.exec(
            select(FuneralDocument)
            .where(col(FuneralDocument.benefit_id).in_(benefit_ids))
            .order_by(col(FuneralDocument.id))
        ).all():
            found[d.benefit_id].append(d)
    return found


def survivor_public(s: Survivor) -> SurvivorPublic:
    return SurvivorPublic(
        id=s.id or 0,
        name=s.name,
        relation=s.relation,
        phone=s.phone,
        address=s.address,
        without_income=s.without_income,
        subsidy_fen_month=s.subsidy_fen_month,
        subsidy_yuan=yuan(s.subsidy_fen_month),
        subsidy_text=f"每月{yuan_text(s.subsidy_fen_month)}",
        status=s.status,
        note=s.note,
    )


def detail(db: Session, *, clock: Clock, scope: Unit, case_id: int) -> FuneralDetail:
    row = case_in_scope(db, scope, case_id)
    record = record_of(db, row)
    today = local_today(clock)
    tasks = tasks_of(db, [case_id])[case_id]
    benefits = benefits_of(db, [case_id])[case_id]
    docs = documents_of(db, [b.id or 0 for b in benefits])
    owners = directory.staff_names(db, [t.owner_staff_id for t in tasks])
    choices = [
        StaffChoice(id=s.id or 0, name=s.display_name)
        for s in staff_accounts.list_in_scope(db, scope)
        if s.active
    ]
    return FuneralDetail(
        id=case_id,
        retiree_id=row.retiree_id,
        retiree_name=record.name,
        gender=record.gender,
        birth_date=record.birth_date,
        category=record.category,
        level=record.level,
        unit_id=row.unit_id,
        unit_name=record.unit_name,
        died_on=row.died_on,
        obituary=row.obituary if row.obituary is not None else texts.obituary(record),
        biography=row.biography if row.biography is not None else texts.biography(record),
        texts_saved=row.obituary is not None,
        completed_at=row.completed_at,
        tasks=[
            TaskPublic(
                id=t.id or 0,
                kind=t.kind,
                owner_staff_id=t.owner_staff_id,
                owner_name=owners.get(t.owner_staff_id or 0),
                due_on=t.due_on,
                done=t.done_at is not None,
                done_at=t.done_at,
                note=t.note,
                overdue=t.done_at is None and t.due_on is not None and t.due_on < today,
            )
            for t in tasks
        ],
        benefits=[
            BenefitPublic(
                id=b.id or 0,
                kind=b.kind,
                status=b.status,
                amount_fen=b.amount_fen,
                amount_yuan=yuan(b.amount_fen),
                amount_text=yuan_text(b.amount_fen),
                note=b.note,
                paid_at=b.paid_at,
                next_statuses=next_statuses(b.status),
                documents=[
                    DocumentPublic(id=d.id or 0, title=d.title, uploaded_at=d.uploaded_at)
                    for d in docs[b.id or 0]
                ],
            )
            for b in benefits
        ],
        survivors=[survivor_public(s) for s in survivors_of(db, case_id)],
        family_receiving=directory.family_copies_of(db, [row.retiree_id]).get(row.retiree_id, 0),
        staff_choices=choices,
    )
