"""Smaller rules of the bereavement domain: a survivor's change is audited without their phone or
address; without an owner with a phone the family are given whoever answers for the unit; the
notices link to the family's page; a document over 10 MB is refused in Chinese."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import Session, col, select

from backend.accounts.models import AuditLog
from backend.bereavement import checklist, family, service, survivors
from backend.bereavement.schemas import BenefitStatus, BenefitUpdate, SurvivorIn, SurvivorRelation
from backend.core.errors import BadRequest, PayloadTooLarge
from backend.core.uploads import DOCUMENT_MAX_BYTES
from backend.notices.models import Notice
from tests.bereavement.conftest import mark_deceased, scope_of
from tests.factories import World


def test_a_survivor_change_is_audited_without_phone_or_address(
    db: Session, world: World, clock
) -> None:
    case_id = mark_deceased(db, clock, world.staff1, world.retiree_a.id)
    scope = scope_of(db, world.staff1)
    data = SurvivorIn(name="刘桂芳", relation=SurvivorRelation.spouse, phone="13912345678")
    row = survivors.add(
        db, clock=clock, staff=world.staff1, scope=scope, case_id=case_id, data=data
    )
    changed = data.model_copy(
        update={"address": "长春市朝阳区1号", "without_income": True, "subsidy": Decimal("650.5")}
    )
    survivors.update(
        db, clock=clock, staff=world.staff1, scope=scope, survivor_id=row.id or 0, data=changed
    )
    db.commit()
    with pytest.raises(BadRequest, match="没有经济收入"):
        survivors.update(
            db,
            clock=clock,
            staff=world.staff1,
            scope=scope,
            survivor_id=row.id or 0,
            data=changed.model_copy(update={"without_income": False}),
        )
    db.rollback()
    detail = service.detail(db, clock=clock, scope=scope, case_id=case_id)
    assert [(s.subsidy_fen_month, s.subsidy_text) for s in detail.survivors] == [
        (65050, "每月650.50元")
    ]
    entry = db.exec(
        select(AuditLog).where(AuditLog.action == "survivor.update").order_by(col(AuditLog.id))
    ).one()
    assert '"subsidy_fen_month": 65050' in (entry.after or "")
    assert "朝阳区" not in (entry.after or "") and "13912345678" not in (entry.after or "")


def test_without_an_owner_the_family_are_given_whoever_answers_for_the_unit(
    db: Session, world: World, clock
) -> None:
    mark_deceased(db, clock, world.staff1, world.retiree_a.id)
    page = family.page(db, clock=clock, retiree_id=world.retiree_a.id, retiree_name="王建国")
    assert page.contact_phone is None
    assert page.contact_text.startswith("没有查到所里的电话")  # contact.describe([])


def test_a_paid_benefit_notice_links_to_the_family_page(db: Session, world: World, clock) -> None:
    case_id = mark_deceased(db, clock, world.staff1, world.retiree_a.id)
    scope = scope_of(db, world.staff1)
    grant = service.detail(db, clock=clock, scope=scope, case_id=case_id).benefits[0]
    checklist.update_benefit(
        db,
        clock=clock,
        staff=world.staff1,
        scope=scope,
        benefit_id=grant.id,
        data=BenefitUpdate(status=BenefitStatus.paid, amount=Decimal("8000")),
    )
    db.commit()
    notice = db.exec(select(Notice).where(col(Notice.dedupe_key).contains(":paid:"))).one()
    assert notice.link_page == f"pages/survivor/survivor?retiree_id={world.retiree_a.id}"


def test_a_document_over_10_mb_is_refused(db: Session, world: World, clock, settings) -> None:
    case_id = mark_deceased(db, clock, world.staff1, world.retiree_a.id)
    scope = scope_of(db, world.staff1)
    grant = service.detail(db, clock=clock, scope=scope, case_id=case_id).benefits[0]
    with pytest.raises(PayloadTooLarge, match="小于10MB"):
        checklist.add_document(
            db,
            clock=clock,
            staff=world.staff1,
            scope=scope,
            benefit_id=grant.id,
            title="证明",
            data=b"%PDF-" + b"0" * DOCUMENT_MAX_BYTES,
            upload_dir=settings.upload_dir,
        )
