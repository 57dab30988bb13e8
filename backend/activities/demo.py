"""Demo activities at the demo 军休所: a spring outing that is full (so a sign-up shows the
waiting list), a weekly calligraphy class for the term, and a visit day; the retiree on WeChat
is enrolled in the class."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlmodel import Session

from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.activities import service
from backend.activities.schemas import ActivityCategory, ActivityIn, WeeklyIn
from backend.bookings import service as bookings
from backend.core.clock import Clock, local_at, local_today


def _at(day_offset: int, hour: int, clock: Clock) -> datetime:
    day = local_today(clock) + timedelta(days=day_offset)
    return local_at(day, time(hour, 0))


def load(
    db: Session, *, clock: Clock, staff: StaffAccount, unit: Unit, retirees: list[Retiree]
) -> int:
    """Returns how many activities were published."""
    outing = service.create(
        db,
        clock=clock,
        staff=staff,
        scope=unit,
        data=ActivityIn(
            category=ActivityCategory.culture_sports,
            title="春游颐和园",
            description="坐大巴去，中午在园内吃饭，下午三点回来。走不动的可以坐游船。",
            place="颐和园东门（所里门口上车）",
            starts_at=_at(10, 8, clock),
            ends_at=_at(10, 15, clock),
            capacity=12,
            accessibility="大巴有升降台，可以推轮椅上车",
            cost="免费",
        ),
    )
    start = _at(2, 9, clock)
    weekly = service.create(
        db,
        clock=clock,
        staff=staff,
        scope=unit,
        data=ActivityIn(
            category=ActivityCategory.university,
            title="书法班（本学期）",
            description="老年大学书法班，从楷书学起。笔墨纸砚所里准备。",
            place="活动中心二楼书画室",
            starts_at=start,
            ends_at=start + timedelta(hours=1, minutes=30),
            capacity=20,
            max_quantity=1,
            accessibility="有电梯",
            cost="免费",
            weekly=WeeklyIn(
                weekdays=sorted({start.isoweekday(), (start + timedelta(days=2)).isoweekday()}),
                until=start.date() + timedelta(weeks=8),
            ),
        ),
    )
    service.create(
        db,
        clock=clock,
        staff=staff,
        scope=unit,
        data=ActivityIn(
            category=ActivityCategory.visit,
            title="重阳节慰问座谈会",
            place="所里会议室",
            starts_at=_at(20, 15, clock),
            capacity=50,
        ),
    )
    outing_bookable = service.get(db, outing.id or 0)[1].id or 0
    weekly_bookable = service.get(db, weekly.id or 0)[1].id or 0
    today = local_today(clock)
    for i, retiree in enumerate(retirees):
        target = weekly_bookable if retiree.wechat_user_id else outing_bookable
        if target == outing_bookable and i > 12:
            continue
        if bookings.why_not_eligible(db, service.get(db, outing.id or 0)[1], retiree, today):
            continue
        bookings.book(
            db,
            clock=clock,
            bookable_id=target,
            retiree=retiree,
            quantity=1,
            notes=None,
            booked_by=f"staff:{staff.id}",
            channel="窗口",
            idempotency_key=None,
        )
    return 3
