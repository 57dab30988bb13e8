"""The whole way (jl 第四十条, mva 第十一条（六）, bj 6.3.3, 6.4.1 b)): a death opens the
checklist for the unit; staff give each task an owner and a date and mark it done; the 讣告 and
生平 are filled from the record, edited and printed; the benefits go 申请 → 审核 → 已发放 (never
back); a survivor is recorded, the family is told, and their page shows where things stand."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlmodel import Session, col, select

from backend.accounts.models import AuditLog, StaffAccount
from backend.bereavement import checklist, family, service, survivors
from backend.bereavement.models import FuneralCase
from backend.bereavement.schemas import (
    BenefitStatus,
    BenefitUpdate,
    FamilyNoteIn,
    SurvivorIn,
    SurvivorRelation,
    TaskKind,
    TaskUpdate,
    TextsUpdate,
)
from backend.core.errors import BadRequest, Conflict, NotFound
from backend.notices.models import Notice
from tests.bereavement.conftest import mark_deceased, scope_of
from tests.factories import World
from tests.pdf_text import pdf_text

DEATH = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)  # 09:00 on 3 March in Shanghai


def _benefit(db: Session, clock, staff: StaffAccount, case_id: int, kind: str, **data) -> None:
    detail = service.detail(db, clock=clock, scope=scope_of(db, staff), case_id=case_id)
    benefit = next(b for b in detail.benefits if b.kind == kind)
    checklist.update_benefit(
        db,
        clock=clock,
        staff=staff,
        scope=scope_of(db, staff),
        benefit_id=benefit.id,
        data=BenefitUpdate(**data),
    )
    db.commit()


def test_a_death_is_tracked_to_paid_and_a_survivor_is_served(
    db: Session, world: World, clock, settings
) -> None:
    staff = db.get(StaffAccount, world.staff1.id)
    assert staff is not None
    staff.phone = "0431-88886666"
    db.add(staff)
    db.commit()
    clock.set(DEATH)
    case_id = mark_deceased(db, clock, world.staff1, world.retiree_a.id)
    scope = scope_of(db, world.staff1)

    # The checklist opened for the unit, with the date of death; other units do not see it.
    queue = service.queue(db, scope=scope)
    assert [(r.retiree_name, r.died_on, r.tasks_done, r.benefits_settled) for r in queue.data] == [
        ("王建国", date(2026, 3, 3), 0, 0)
    ]
    assert service.queue(db, scope=scope_of(db, world.staff2)).count == 0
    with pytest.raises(NotFound):
        service.detail(db, clock=clock, scope=scope_of(db, world.staff2), case_id=case_id)
    detail = service.detail(db, clock=clock, scope=scope, case_id=case_id)
    assert [t.kind for t in detail.tasks] == ["慰问吊唁", "讣告", "生平", "告别仪式"]
    assert [(b.kind, b.status) for b in detail.benefits] == [
        ("丧葬费", "申请"),
        ("一次性抚恤金", "申请"),
        ("遗属生活补助", "申请"),
    ]
    # The 讣告 and 生平 are filled from the record.
    for text in (detail.obituary, detail.biography):
        assert "王建国" in text and "2026年3月3日" in text and "和平里服务站" in text
    assert "男" in detail.obituary and "1936年3月12日" in detail.obituary
    assert "享年89岁" in detail.obituary

    # Each task gets an owner (staff of the unit) and a date; someone of another unit is refused.
    for task in detail.tasks:
        checklist.update_task(
            db,
            clock=clock,
            staff=world.staff1,
            scope=scope,
            task_id=task.id,
            data=TaskUpdate(owner_staff_id=world.staff1.id, due_on=date(2026, 3, 6)),
        )
    db.commit()
    with pytest.raises(BadRequest, match="本单位的工作人员"):
        checklist.update_task(
            db,
            clock=clock,
            staff=world.staff1,
            scope=scope,
            task_id=detail.tasks[0].id,
            data=TaskUpdate(owner_staff_id=world.staff2.id),
        )
    db.rollback()
    clock.set(datetime(2026, 3, 7, 1, 0, tzinfo=UTC))
    detail = service.detail(db, clock=clock, scope=scope, case_id=case_id)
    assert all(t.overdue and t.owner_name == "工作人员" for t in detail.tasks)
    # The farewell date is now in the 讣告's draft.
    assert "兹定于2026年3月6日举行遗体告别仪式" in detail.obituary

    # The texts are edited and printed.
    checklist.save_texts(
        db,
        clock=clock,
        staff=world.staff1,
        scope=scope,
        case_id=case_id,
        data=TextsUpdate(
            obituary=detail.obituary + "\n\n家属已核对。",
            biography=detail.biography.replace("（请在这里补写入伍时间", "1955年入伍（"),
        ),
    )
    db.commit()
    data, filename = checklist.text_pdf(db, scope=scope, case_id=case_id, kind=TaskKind.obituary)
    printed = pdf_text(data)
    assert "讣告" in printed and "王建国" in printed and "家属已核对" in printed
    assert filename == "讣告-王建国.pdf"
    data, _ = checklist.text_pdf(db, scope=scope, case_id=case_id, kind=TaskKind.biography)
    assert "1955年入伍" in pdf_text(data)

    # Benefits: an amount before 审核, forward only, frozen once paid.
    with pytest.raises(BadRequest, match="请先填金额"):
        _benefit(db, clock, world.staff1, case_id, "丧葬费", status=BenefitStatus.reviewing)
    db.rollback()
    _benefit(
        db,
        clock,
        world.staff1,
        case_id,
        "丧葬费",
        status=BenefitStatus.reviewing,
        amount=Decimal("12000.50"),
    )
    with pytest.raises(Conflict, match="不能退回「申请」"):
        _benefit(db, clock, world.staff1, case_id, "丧葬费", status=BenefitStatus.applied)
    db.rollback()
    _benefit(db, clock, world.staff1, case_id, "丧葬费", status=BenefitStatus.paid)
    with pytest.raises(Conflict, match="不能再改"):
        _benefit(
            db,
            clock,
            world.staff1,
            case_id,
            "丧葬费",
            status=BenefitStatus.paid,
            amount=Decimal("1"),
        )
    db.rollback()
    detail = service.detail(db, clock=clock, scope=scope, case_id=case_id)
    paid = next(b for b in detail.benefits if b.kind == "丧葬费")
    assert (paid.status, paid.amount_fen, paid.amount_text) == ("已发放", 1200050, "12000.50元")
    assert paid.next_statuses == []
    # A document attached to a benefit, and read back.
    checklist.add_document(
        db,
        clock=clock,
        staff=world.staff1,
        scope=scope,
        benefit_id=paid.id,
        title="死亡证明",
        data=b"%PDF-1.4 test",
        upload_dir=settings.upload_dir,
    )
    db.commit()
    detail = service.detail(db, clock=clock, scope=scope, case_id=case_id)
    doc = next(b for b in detail.benefits if b.kind == "丧葬费").documents[0]
    path, media = checklist.document_file(
        db, scope=scope, document_id=doc.id, upload_dir=settings.upload_dir
    )
    assert (doc.title, media, path.read_bytes()) == (
        "死亡证明",
        "application/pdf",
        b"%PDF-1.4 test",
    )
    with pytest.raises(NotFound):
        checklist.document_file(
            db,
            scope=scope_of(db, world.staff2),
            document_id=doc.id,
            upload_dir=settings.upload_dir,
        )
    for kind, amount in (("一次性抚恤金", "300000"), ("遗属生活补助", "9600")):
        _benefit(
            db,
            clock,
            world.staff1,
            case_id,
            kind,
            status=BenefitStatus.reviewing,
            amount=Decimal(amount),
        )
        _benefit(db, clock, world.staff1, case_id, kind, status=BenefitStatus.paid)

    # A survivor is recorded; the family is told through their WeChat binding.
    survivors.add(
        db,
        clock=clock,
        staff=world.staff1,
        scope=scope,
        case_id=case_id,
        data=SurvivorIn(
            name="刘桂芳",
            relation=SurvivorRelation.spouse,
            phone="13912345678",
            address="长春市朝阳区1号",
            without_income=True,
            subsidy=Decimal("800"),
        ),
    )
    receiving = survivors.tell_family(
        db,
        clock=clock,
        staff=world.staff1,
        scope=scope,
        case_id=case_id,
        data=FamilyNoteIn(body="告别仪式的照片已经整理好，下周送到家里。"),
    )
    db.commit()
    assert receiving == 1

    # Until the tasks are done the checklist stays open; then it is complete.
    assert not service.queue(db, scope=scope).data[0].completed
    for task in detail.tasks:
        checklist.update_task(
            db,
            clock=clock,
            staff=world.staff1,
            scope=scope,
            task_id=task.id,
            data=TaskUpdate(owner_staff_id=world.staff1.id, due_on=date(2026, 3, 6), done=True),
        )
    db.commit()
    row = service.queue(db, scope=scope).data[0]
    assert (row.completed, row.tasks_done, row.benefits_settled) == (True, 4, 3)
    case_row = db.get(FuneralCase, case_id)
    assert case_row is not None and case_row.completed_at is not None

    # The family's page: what the centre does, every matter, the benefits, who to call.
    page = family.page(db, clock=clock, retiree_id=world.retiree_a.id, retiree_name="王建国")
    assert page.has_case and page.died_on == date(2026, 3, 3)
    assert [(b.name, b.status, b.detail) for b in page.benefits] == [
        ("丧葬费", "已发放", "金额：12000.50元"),
        ("一次性抚恤金", "已发放", "金额：300000.00元"),
        ("遗属生活补助", "已发放", "金额：9600.00元"),
    ]
    assert all(t.status == "已办好" for t in page.tasks)
    assert [(s.name, s.phone, s.subsidy_text) for s in page.survivors] == [
        ("刘桂芳", "139****5678", "生活补助每月800.00元")
    ]
    assert (page.contact_name, page.contact_phone) == ("工作人员", "0431-88886666")
    assert "都办完了" in page.next_step

    # The family was told of each payment and of the staff's message, once each.
    keys = db.exec(
        select(Notice.dedupe_key)
        .where(col(Notice.dedupe_key).startswith(f"funeral:{case_id}:"))
        .order_by(col(Notice.id))
    ).all()
    assert [k.split(":")[2] for k in keys if k] == ["paid", "paid", "paid", "note"]
    bodies = db.exec(
        select(Notice.body).where(col(Notice.dedupe_key).contains(":paid:丧葬费"))
    ).all()
    assert bodies == [
        "王建国同志的丧葬费已经发放，金额12000.50元。请留意银行账户。有疑问请打所里的电话。"
    ]

    # Every staff write is in the audit log, without the survivor's phone or address.
    entries = db.exec(
        select(AuditLog).where(col(AuditLog.entity) == "funeral_case").order_by(col(AuditLog.id))
    ).all()
    actions = {e.action for e in entries}
    assert actions == {
        "funeral.task",
        "funeral.texts",
        "funeral.benefit",
        "funeral.document",
        "survivor.add",
        "funeral.tell_family",
    }
    assert not any("13912345678" in (e.after or "") or "朝阳区" in (e.after or "") for e in entries)


def test_the_event_heard_twice_opens_one_checklist_with_the_date_given(
    db: Session, world: World, clock
) -> None:
    from backend.bereavement import hooks

    retiree = world.retiree_b
    hooks.on_retiree_deceased(db=db, retiree=retiree, clock=clock, died_on=date(2026, 2, 27))
    hooks.on_retiree_deceased(db=db, retiree=retiree, clock=clock, by="staff:1")
    db.commit()
    rows = db.exec(select(FuneralCase).where(FuneralCase.retiree_id == retiree.id)).all()
    assert [(r.died_on, r.unit_id) for r in rows] == [(date(2026, 2, 27), world.unit2.id)]


def test_a_benefit_not_due_is_settled_as_not_applicable(db: Session, world: World, clock) -> None:
    case_id = mark_deceased(db, clock, world.staff1, world.retiree_a.id)
    _benefit(db, clock, world.staff1, case_id, "遗属生活补助", status=BenefitStatus.not_applicable)
    detail = service.detail(db, clock=clock, scope=scope_of(db, world.staff1), case_id=case_id)
    b = next(b for b in detail.benefits if b.kind == "遗属生活补助")
    assert (b.status, b.next_statuses) == ("不适用", [])
    with pytest.raises(Conflict, match="不能再改"):
        _benefit(db, clock, world.staff1, case_id, "遗属生活补助", status=BenefitStatus.paid)


def test_without_family_on_wechat_staff_are_told_to_call(db: Session, world: World, clock) -> None:
    case_id = mark_deceased(db, clock, world.staff2, world.retiree_b.id)
    from backend.accounts.models import FamilyBinding

    binding = db.get(FamilyBinding, world.family_b.id)
    assert binding is not None
    binding.can_receive_notices = False
    db.add(binding)
    db.commit()
    with pytest.raises(Conflict, match="请打电话告诉家属"):
        survivors.tell_family(
            db,
            clock=clock,
            staff=world.staff2,
            scope=scope_of(db, world.staff2),
            case_id=case_id,
            data=FamilyNoteIn(body="您好"),
        )
