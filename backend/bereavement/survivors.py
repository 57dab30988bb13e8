"""Survivors (遗属, mva 第十一条（六）, bj 6.4.1 b)): the spouse or dependants of a deceased
retiree, with their own contact and the monthly subsidy of those without income; and messages
to the family through their existing WeChat binding. Every staff write audited."""

from __future__ import annotations

import hashlib

from sqlmodel import Session

from backend.accounts import audit, directory
from backend.accounts.models import StaffAccount, Unit
from backend.accounts.scope import get_scoped
from backend.bereavement import service, wording
from backend.bereavement.models import Survivor
from backend.bereavement.schemas import FamilyNoteIn, SurvivorIn, to_fen
from backend.core.clock import Clock
from backend.core.errors import BadRequest, Conflict
from backend.notices import service as notices

SUBSIDY_NEEDS_NO_INCOME = (
    "生活补助只发给没有经济收入的遗属。请勾选「无经济收入」，或者把每月补助改成0。"
)
NO_FAMILY = "这位老同志没有绑定微信、能收通知的家属。请打电话告诉家属。"


def _fields(data: SurvivorIn) -> dict[str, object]:
    """The row's fields; a subsidy only for a survivor without income (bj 6.4.1 b))."""
    if data.subsidy and not data.without_income:
        raise BadRequest(SUBSIDY_NEEDS_NO_INCOME, code="subsidy_needs_no_income")
    return {
        "name": data.name,
        "relation": data.relation.value,
        "phone": data.phone,
        "address": data.address,
        "without_income": data.without_income,
        "subsidy_fen_month": to_fen(data.subsidy) if data.subsidy is not None else 0,
        "status": data.status.value,
        "note": data.note,
    }


def _audited(s: Survivor) -> dict[str, object]:
    """What the audit log keeps of a survivor: no phone, no address (personal data)."""
    return {
        "name": s.name,
        "relation": s.relation,
        "without_income": s.without_income,
        "subsidy_fen_month": s.subsidy_fen_month,
        "status": s.status,
        "has_phone": bool(s.phone),
        "has_address": bool(s.address),
    }


def add(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    case_id: int,
    data: SurvivorIn,
) -> Survivor:
    row = service.case_in_scope(db, scope, case_id)
    now = clock.now()
    survivor = Survivor(
        case_id=case_id,
        name=data.name,
        relation=data.relation.value,
        status=data.status.value,
        created_at=now,
        updated_at=now,
    )
    for name, value in _fields(data).items():
        setattr(survivor, name, value)
    db.add(survivor)
    db.flush()
    service.audit_case(
        db,
        clock=clock,
        staff=staff,
        row=row,
        action="survivor.add",
        after={"survivor_id": survivor.id, **_audited(survivor)},
    )
    return survivor


def update(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    survivor_id: int,
    data: SurvivorIn,
) -> Survivor:
    survivor = get_scoped(db, Survivor, survivor_id, scope)
    row = service.case_in_scope(db, scope, survivor.case_id)
    before = _audited(survivor)
    for name, value in _fields(data).items():
        setattr(survivor, name, value)
    survivor.updated_at = clock.now()
    db.add(survivor)
    changed_before, changed_after = audit.changed_fields(before, _audited(survivor))
    service.audit_case(
        db,
        clock=clock,
        staff=staff,
        row=row,
        action="survivor.update",
        before={"survivor_id": survivor_id, **changed_before},
        after={"survivor_id": survivor_id, **changed_after},
    )
    return survivor


def tell_family(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    case_id: int,
    data: FamilyNoteIn,
) -> int:
    """A message to the deceased's family who keep their WeChat binding with notices on; how
    many will receive it. The same words sent twice in a minute go once."""
    row = service.case_in_scope(db, scope, case_id)
    receiving = directory.family_copies_of(db, [row.retiree_id]).get(row.retiree_id, 0)
    if not receiving:
        raise Conflict(NO_FAMILY, code="no_family")
    record = service.record_of(db, row)
    digest = hashlib.sha256(data.body.encode()).hexdigest()[:16]
    minute = clock.now().strftime("%Y%m%d%H%M")
    notices.notify(
        db,
        clock=clock,
        retiree_id=row.retiree_id,
        title=f"关于{record.name}同志",
        body=wording.family_note(record.name, data.body),
        dedupe_key=f"funeral:{row.id}:note:{minute}:{digest}",
        link_page=wording.page_link(row.retiree_id),
        to_retiree=False,
        include_family=True,
    )
    service.audit_case(
        db,
        clock=clock,
        staff=staff,
        row=row,
        action="funeral.tell_family",
        after={"chars": len(data.body), "receiving": receiving},
    )
    return receiving
