"""Demo activities at the demo 军休所, in their season: the next festivals and outings of the
calendar from today (冬至包饺子 and 元旦联欢 in December, 春游 in spring, 重阳 in October …),
a health talk, and the term's weekly calligraphy class. The first event is small and fills up
(a sign-up then shows the waiting list); the retiree on WeChat is enrolled in the class."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session

from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.accounts.scope import staff_actor
from backend.activities import service
from backend.activities.schemas import ActivityCategory, ActivityIn, WeeklyIn
from backend.bookings import api as bookings
from backend.bookings import eligibility
from backend.core.clock import Clock, local_at, local_today

CULTURE, VISIT = ActivityCategory.culture_sports, ActivityCategory.visit


@dataclass(frozen=True)
class Seasonal:
    month: int
    day: int
    title: str
    category: ActivityCategory
    place: str
    hour: int
    hours: int
    description: str


# Festivals by their usual Gregorian date (lunar ones at a typical date), outings in season.
CALENDAR: list[Seasonal] = [
    Seasonal(
        1, 20, "迎新春团拜会", VISIT, "所里多功能厅", 9, 2, "所领导给大家拜年，有茶点和节目。"
    ),
    Seasonal(
        2, 12, "元宵节猜灯谜", CULTURE, "活动中心一楼", 14, 2, "猜灯谜、吃元宵，猜中有小奖品。"
    ),
    Seasonal(3, 8, "三八节女同志座谈会", VISIT, "所里会议室", 9, 2, "请女同志们聊聊身体和生活。"),
    Seasonal(3, 12, "植树节义务植树", CULTURE, "和平里公园", 9, 2, "量力而行，有椅子可以休息。"),
    Seasonal(4, 3, "清明祭扫烈士陵园", VISIT, "八宝山革命公墓", 8, 4, "大巴接送，请带好花。"),
    Seasonal(
        4,
        20,
        "春游颐和园",
        CULTURE,
        "颐和园东门（所里门口上车）",
        8,
        7,
        "坐大巴去，中午在园内吃饭，下午三点回来。走不动的可以坐游船。",
    ),
    Seasonal(5, 12, "春季健步走", CULTURE, "地坛公园", 9, 2, "慢慢走一圈，有医生随行。"),
    Seasonal(6, 10, "端午节包粽子", CULTURE, "活动中心一楼", 9, 3, "一起包粽子，包好的带回家。"),
    Seasonal(7, 1, "建党节重温入党誓词", VISIT, "所里会议室", 9, 2, "党员同志重温入党誓词。"),
    Seasonal(
        7, 30, "八一建军节座谈会", VISIT, "所里多功能厅", 9, 2, "老战友聚一聚，讲讲当年的故事。"
    ),
    Seasonal(
        9, 20, "中秋节联欢会", CULTURE, "所里多功能厅", 14, 2, "吃月饼、看节目，家属可以一起来。"
    ),
    Seasonal(
        9, 28, "国庆观看阅兵纪录片", CULTURE, "活动中心放映室", 9, 2, "一起看纪录片，有茶水。"
    ),
    Seasonal(10, 18, "重阳节慰问座谈会", VISIT, "所里会议室", 15, 2, "所领导看望大家，发重阳糕。"),
    Seasonal(
        10,
        25,
        "秋游香山看红叶",
        CULTURE,
        "香山公园东门（所里门口上车）",
        8,
        7,
        "坐大巴去，山上不爬高，坐缆车的费用所里出。",
    ),
    Seasonal(
        11, 10, "冬季防跌倒讲座", CULTURE, "所里会议室", 9, 2, "下雪路滑，康复科医生讲怎么防跌倒。"
    ),
    Seasonal(
        12, 21, "冬至包饺子", CULTURE, "活动中心一楼", 9, 3, "一起包饺子、吃饺子，家属可以一起来。"
    ),
    Seasonal(
        12, 30, "元旦联欢会", CULTURE, "所里多功能厅", 14, 2, "合唱、京剧、快板，欢迎报节目。"
    ),
]
LOOK_AHEAD = timedelta(days=45)


def _next_date(event: Seasonal, today: date) -> date:
    this_year = date(today.year, event.month, event.day)
    return this_year if this_year > today else date(today.year + 1, event.month, event.day)


def upcoming(today: date, limit: int = 3) -> list[tuple[date, Seasonal]]:
    """The next events of the calendar within 45 days (at least two days away), soonest first;
    when fewer than two fall in that window, the next two whatever the distance."""
    dated = sorted(((_next_date(e, today), e) for e in CALENDAR), key=lambda pair: pair[0])
    dated = [(d, e) for d, e in dated if d >= today + timedelta(days=2)]
    near = [(d, e) for d, e in dated if d <= today + LOOK_AHEAD]
    return (near if len(near) >= 2 else dated[:2])[:limit]


def _at(day: date, hour: int) -> datetime:
    return local_at(day, time(hour, 0))


def load(
    db: Session, *, clock: Clock, staff: StaffAccount, unit: Unit, retirees: list[Retiree]
) -> int:
    """Returns how many activities were published."""
    today = local_today(clock)
    created = []
    for index, (day, event) in enumerate(upcoming(today)):
        created.append(
            service.create(
                db,
                clock=clock,
                staff=staff,
                scope=unit,
                data=ActivityIn(
                    category=event.category,
                    title=event.title,
                    description=event.description,
                    place=event.place,
                    starts_at=_at(day, event.hour),
                    ends_at=_at(day, event.hour + event.hours),
                    capacity=12 if index == 0 else 60,
                    accessibility="有无障碍通道，可以推轮椅",
                    cost="免费",
                ),
            )
        )
    service.create(
        db,
        clock=clock,
        staff=staff,
        scope=unit,
        data=ActivityIn(
            category=CULTURE,
            title="健康讲座：高血压老人怎么吃",
            description="社区医院的医生讲饮食和用药，可以现场量血压。",
            place="所里会议室",
            starts_at=_at(today + timedelta(days=5), 9),
            ends_at=_at(today + timedelta(days=5), 11),
            capacity=40,
            cost="免费",
        ),
    )
    start = _at(today + timedelta(days=2), 9)
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
    popular = service.get(db, created[0].id or 0)[1]
    weekly_bookable = service.get(db, weekly.id or 0)[1].id or 0
    for i, retiree in enumerate(retirees):
        target = weekly_bookable if retiree.wechat_user_id else popular.id or 0
        if target == popular.id and i > 12:
            continue
        if eligibility.why_not_eligible(db, popular, retiree, today):
            continue
        bookings.book(
            db,
            clock=clock,
            bookable_id=target,
            retiree=retiree,
            quantity=1,
            notes=None,
            booked_by=staff_actor(staff).label,
            channel="窗口",
            idempotency_key=None,
        )
    return len(created) + 2
