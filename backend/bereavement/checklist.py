"""Staff writes on a funeral checklist (console and JSON API alike): a task's owner, date and
done; the 讣告 and 生平 texts; a benefit's amount and status (forward only); documents.
Every write audited; the family is told when a benefit is paid."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from backend.accounts import audit, directory
from backend.accounts.models import StaffAccount, Unit
from backend.accounts.scope import ancestor_ids, contains, get_scoped, staff_actor
from backend.bereavement import service, texts, wording
from backend.bereavement.models import FuneralBenefit, FuneralCase, FuneralDocument, FuneralTask
from backend.bereavement.schemas import (
    SETTLED,
    STEPS,
    BenefitStatus,
    BenefitUpdate,
    TaskKind,
    TaskUpdate,
    TextsUpdate,
    to_fen,
)
from backend.core import uploads
from backend.core.clock import Clock
from backend.core.errors import BadRequest, Conflict, NotFound
from backend.notices import service as notices

WRONG_OWNER = "负责人请从列表里选本单位的工作人员。"
NEED_AMOUNT = "请先填金额，再送审核或发放。"


def _check_owner(db: Session, *, scope: Unit, row: FuneralCase, staff_id: int) -> None:
    """The owner is an active staff member of the unit (or a unit above it, or below it inside
    the scope of whoever assigns)."""
    owner = directory.staff_members(db, [staff_id]).get(staff_id)
    if owner is None or not owner.active:
        raise BadRequest(WRONG_OWNER, code="wrong_owner")
    case_unit = directory.unit(db, row.unit_id)
    owner_unit = directory.unit(db, owner.unit_id)
    if case_unit is None or owner_unit is None:
        raise BadRequest(WRONG_OWNER, code="wrong_owner")
    if owner.unit_id not in ancestor_ids(case_unit) and not (
        contains(case_unit, owner_unit) and contains(scope, owner_unit)
    ):
        raise BadRequest(WRONG_OWNER, code="wrong_owner")


def _task_view(t: FuneralTask) -> dict[str, object]:
    return {
        "kind": t.kind,
        "owner_staff_id": t.owner_staff_id,
        "due_on": t.due_on,
        "done": t.done_at is not None,
        "note": t.note,
    }


def update_task(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    task_id: int,
    data: TaskUpdate,
) -> FuneralTask:
    task = get_scoped(db, FuneralTask, task_id, scope)
    row = service.case_in_scope(db, scope, task.case_id)
    if data.owner_staff_id is not None and data.owner_staff_id != task.owner_staff_id:
        _check_owner(db, scope=scope, row=row, staff_id=data.owner_staff_id)
    before = _task_view(task)
    now = clock.now()
    task.owner_staff_id = data.owner_staff_id
    task.due_on = data.due_on
    task.note = data.note
    if data.done and task.done_at is None:
        task.done_at = now
    elif not data.done:
        task.done_at = None
    task.updated_at = now
    db.add(task)
    service.refresh_completed(db, clock=clock, row=row)
    changed_before, changed_after = audit.changed_fields(before, _task_view(task))
    service.audit_case(
        db,
        clock=clock,
        staff=staff,
        row=row,
        action="funeral.task",
        before={"kind": task.kind, **changed_before},
        after={"kind": task.kind, **changed_after},
    )
    return task


def save_texts(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    case_id: int,
    data: TextsUpdate,
) -> FuneralCase:
    row = service.case_in_scope(db, scope, case_id)
    before = {
        "obituary_chars": len(row.obituary or ""),
        "biography_chars": len(row.biography or ""),
    }
    row.obituary = data.obituary
    row.biography = data.biography
    row.updated_at = clock.now()
    db.add(row)
    after = {"obituary_chars": len(data.obituary), "biography_chars": len(data.biography)}
    service.audit_case(
        db, clock=clock, staff=staff, row=row, action="funeral.texts", before=before, after=after
    )
    return row


def text_pdf(db: Session, *, scope: Unit, case_id: int, kind: TaskKind) -> tuple[bytes, str]:
    """The printable 讣告 or 生平 (the saved text, else the draft from the record) and its
    file name."""
    row = service.case_in_scope(db, scope, case_id)
    record = service.record_of(db, row)
    if kind == TaskKind.obituary:
        body = row.obituary if row.obituary is not None else texts.obituary(record)
        return texts.pdf("讣告", body, unit_name=record.unit_name), f"讣告-{record.name}.pdf"
    body = row.biography if row.biography is not None else texts.biography(record)
    title = f"{record.name}同志生平"
    return texts.pdf(title, body, unit_name=record.unit_name), f"{title}.pdf"


def _benefit_view(b: FuneralBenefit) -> dict[str, object]:
    return {"status": b.status, "amount_fen": b.amount_fen, "note": b.note}


def _check_move(benefit: FuneralBenefit, data: BenefitUpdate, amount_fen: int | None) -> None:
    current, wanted = benefit.status, data.status.value
    if current in SETTLED:
        if wanted != current or amount_fen != benefit.amount_fen:
            raise Conflict(wording.settled(benefit.kind, current), code="benefit_settled")
        return
    if wanted in {s.value for s in STEPS}:
        if STEPS.index(BenefitStatus(wanted)) < STEPS.index(BenefitStatus(current)):
            raise Conflict(wording.backwards(current, wanted), code="benefit_backwards")
        if wanted != BenefitStatus.applied and not amount_fen:
            raise BadRequest(NEED_AMOUNT, code="amount_missing")


def update_benefit(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    benefit_id: int,
    data: BenefitUpdate,
) -> FuneralBenefit:
    benefit = get_scoped(db, FuneralBenefit, benefit_id, scope)
    row = service.case_in_scope(db, scope, benefit.case_id)
    amount_fen = to_fen(data.amount) if data.amount is not None else benefit.amount_fen
    _check_move(benefit, data, amount_fen)
    before = _benefit_view(benefit)
    now = clock.now()
    newly_paid = data.status == BenefitStatus.paid and benefit.status != BenefitStatus.paid
    if data.status == BenefitStatus.reviewing and benefit.reviewed_at is None:
        benefit.reviewed_at = now
    if newly_paid:
        benefit.paid_at = now
    benefit.status = data.status.value
    benefit.amount_fen = amount_fen
    benefit.note = data.note
    benefit.updated_at = now
    benefit.updated_by = staff_actor(staff).label
    db.add(benefit)
    service.refresh_completed(db, clock=clock, row=row)
    changed_before, changed_after = audit.changed_fields(before, _benefit_view(benefit))
    service.audit_case(
        db,
        clock=clock,
        staff=staff,
        row=row,
        action="funeral.benefit",
        before={"kind": benefit.kind, **changed_before},
        after={"kind": benefit.kind, **changed_after},
    )
    if newly_paid:
        record = service.record_of(db, row)
        notices.notify(
            db,
            clock=clock,
            retiree_id=row.retiree_id,
            title=f"{benefit.kind}已发放",
            body=wording.paid(record.name, benefit.kind, amount_fen or 0),
            dedupe_key=f"funeral:{row.id}:paid:{benefit.kind}",
            link_page=wording.page_link(row.retiree_id),
            to_retiree=False,
            include_family=True,
        )
    return benefit


def add_document(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    benefit_id: int,
    title: str,
    data: bytes,
    upload_dir: Path,
) -> FuneralDocument:
    benefit = get_scoped(db, FuneralBenefit, benefit_id, scope)
    row = service.case_in_scope(db, scope, benefit.case_id)
    path = uploads.store_document(upload_dir, "funeral", data)
    clean = "".join(ch for ch in title if ch.isprintable()).strip()[:60] or "材料"
    doc = FuneralDocument(
        benefit_id=benefit_id,
        title=clean,
        path=path,
        uploaded_at=clock.now(),
        uploaded_by=staff_actor(staff).label,
    )
    db.add(doc)
    db.flush()
    service.audit_case(
        db,
        clock=clock,
        staff=staff,
        row=row,
        action="funeral.document",
        after={"kind": benefit.kind, "document_id": doc.id, "title": clean},
    )
    return doc


def document_file(
    db: Session, *, scope: Unit, document_id: int, upload_dir: Path
) -> tuple[Path, str]:
    doc = get_scoped(db, FuneralDocument, document_id, scope)
    found = uploads.document_file(upload_dir, doc.path)
    if found is None:
        raise NotFound("这份材料的文件找不到了，请重新上传。")
    return found


def case_of_benefit(db: Session, *, scope: Unit, benefit_id: int) -> int:
    return get_scoped(db, FuneralBenefit, benefit_id, scope).case_id
