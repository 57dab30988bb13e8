"""Demo health record: a check-up of the first 军休所 open for sign-up (category 体检, with a car
offered), and the demo retiree's record — last year's check-up with its report, and a hospital
stay he is home from — so both the console pages and the mini-program page show something.
张敏 is the first 军休所's medical staff member."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlmodel import Session

from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.activities import service as activities
from backend.activities.schemas import ActivityCategory, ActivityIn
from backend.core.clock import SHANGHAI, Clock, full_date, local_today
from backend.core.pdf import PdfDoc
from backend.health_record import service
from backend.health_record.models import EntryKind
from backend.health_record.schemas import EntryIn, EntryUpdate


def _report(name: str, on: date) -> bytes:
    doc = PdfDoc("体检报告（演示）", subtitle="解放军总医院体检中心")
    doc.fields([("姓名", name), ("体检日期", full_date(on))])
    doc.heading("结论")
    doc.paragraph("血压偏高（146/88），血脂略高。其余项目未见明显异常。")
    doc.heading("建议")
    doc.paragraph("低盐低脂饮食，每天散步半小时，三个月后复查血压。")
    return doc.render()


def load(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    retiree: Retiree,
    upload_dir: Path | None,
) -> None:
    today = local_today(clock)
    first_group = datetime.combine(today + timedelta(days=20), time(8, 0), tzinfo=SHANGHAI)
    checkup = activities.create(
        db,
        clock=clock,
        staff=staff,
        scope=scope,
        data=ActivityIn(
            category=ActivityCategory.checkup,
            title=f"{today.year}年度健康体检（第一组）",
            description="空腹前往，带上医保卡和去年的体检报告。要车接送的，报名后点「约车去体检」。",
            place="解放军总医院体检中心",
            starts_at=first_group,
            capacity=30,
            accessibility="有轮椅和陪检人员。",
        ),
    )
    # He signed up by phone: his activity page offers 「约车去体检」.
    _, bookable = activities.get(db, checkup.id or 0)
    activities.staff_signup(
        db,
        clock=clock,
        staff=staff,
        scope=scope,
        bookable=bookable,
        retiree_id=retiree.id or 0,
        quantity=1,
        notes=None,
        channel="电话",
        idempotency_key=None,
    )
    last_year = date(today.year - 1, 5, 12)
    last_checkup = service.add_entry(
        db,
        clock=clock,
        staff=staff,
        scope=scope,
        data=EntryIn(
            retiree_id=retiree.id or 0,
            kind=EntryKind.checkup,
            happened_on=last_year,
            place="解放军总医院体检中心",
            summary="血压偏高，血脂略高，其余正常。建议低盐低脂饮食，三个月后复查血压。",
        ),
    )
    if upload_dir is not None:
        service.attach_report(
            db,
            clock=clock,
            staff=staff,
            scope=scope,
            entry_id=last_checkup.id or 0,
            data=_report(retiree.name, last_year),
            upload_dir=upload_dir,
        )
    stay = service.add_entry(
        db,
        clock=clock,
        staff=staff,
        scope=scope,
        data=EntryIn(
            retiree_id=retiree.id or 0,
            kind=EntryKind.admission,
            happened_on=today - timedelta(days=40),
            place="北京医院",
            summary="肺部感染，住院治疗。",
        ),
    )
    service.update_entry(
        db,
        clock=clock,
        staff=staff,
        scope=scope,
        entry_id=stay.id or 0,
        data=EntryUpdate(
            place="北京医院",
            summary="肺部感染，住院治疗，已好转出院。",
            discharged_on=today - timedelta(days=31),
        ),
    )
