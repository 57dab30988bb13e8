"""The 遗属 page of the mini-program: what the bound family of a deceased retiree sees (their
binding keeps view and receive_notices after the death, accounts/identity.py): what the centre
does for them, where each matter stands, the benefits, the survivors' records (phones masked),
and who to call."""

from __future__ import annotations

from sqlmodel import Session

from backend.accounts import directory
from backend.bereavement import service, wording
from backend.bereavement.models import FuneralTask
from backend.bereavement.schemas import (
    SETTLED,
    BenefitStatus,
    FamilyItem,
    FamilySurvivor,
    SurvivorPage,
    TaskKind,
    yuan_text,
)
from backend.contact import service as contact
from backend.core.clock import Clock, full_date
from backend.core.security import mask_phone


def page(db: Session, *, clock: Clock, retiree_id: int, retiree_name: str) -> SurvivorPage:
    row = service.case_of_retiree(db, retiree_id)
    if row is None:
        return SurvivorPage(
            retiree_id=retiree_id,
            retiree_name=retiree_name,
            has_case=False,
            died_on=None,
            what_we_do=[],
            tasks=[],
            benefits=[],
            survivors=[],
            contact_name=None,
            contact_phone=None,
            contact_text="",
            next_step="这里没有需要办理的事情。",
        )
    case_id = row.id or 0
    tasks = service.tasks_of(db, [case_id])[case_id]
    benefits = service.benefits_of(db, [case_id])[case_id]
    task_items = [
        FamilyItem(
            name=t.kind,
            status="已办好" if t.done_at else "正在办",
            detail=f"日期：{full_date(t.due_on)}" if t.due_on else None,
        )
        for t in tasks
    ]
    benefit_items = [
        FamilyItem(
            name=b.kind,
            status={"申请": "正在申请", "审核": "正在审核"}.get(b.status, b.status),
            detail=f"金额：{yuan_text(b.amount_fen)}"
            if b.amount_fen and b.status != BenefitStatus.not_applicable
            else None,
        )
        for b in benefits
    ]
    survivors = [
        FamilySurvivor(
            name=s.name,
            relation=s.relation,
            phone=mask_phone(s.phone),
            subsidy_text=f"生活补助每月{yuan_text(s.subsidy_fen_month)}"
            if s.without_income and s.subsidy_fen_month
            else None,
            status=s.status,
        )
        for s in service.survivors_of(db, case_id)
    ]
    name, phone, text = _who_to_call(db, clock, row.unit_id, tasks)
    return SurvivorPage(
        retiree_id=retiree_id,
        retiree_name=retiree_name,
        has_case=True,
        died_on=row.died_on,
        what_we_do=wording.WHAT_WE_DO,
        tasks=task_items,
        benefits=benefit_items,
        survivors=survivors,
        contact_name=name,
        contact_phone=phone,
        contact_text=text,
        next_step=wording.next_step(
            sum(1 for t in tasks if t.done_at is None),
            sum(1 for b in benefits if b.status not in SETTLED),
        ),
    )


def _who_to_call(
    db: Session, clock: Clock, unit_id: int, tasks: list[FuneralTask]
) -> tuple[str | None, str | None, str]:
    """The staff member in charge of the condolence visit when they have a phone, else whoever
    answers for the unit now."""
    owner_id = next(
        (t.owner_staff_id for t in tasks if t.kind == TaskKind.condolence and t.owner_staff_id),
        None,
    )
    if owner_id is not None:
        owner = directory.staff_members(db, [owner_id]).get(owner_id)
        if owner is not None and owner.active and owner.phone:
            return (
                owner.display_name,
                owner.phone,
                f"负责的工作人员是{owner.display_name}，电话 {owner.phone}。",
            )
    found = contact.on_duty(db, unit_id=unit_id, at=clock.now())
    first = found[0] if found else None
    return (
        first.name if first else None,
        first.phone if first else None,
        contact.describe(found),
    )
