"""The demo centre a visitor believes: distinct names whose gender matches how they read,
activities in their season, a week of different meals, rides and notices — loaded once."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, col, select

from backend.accounts.enums import Gender
from backend.accounts.models import Retiree, StaffAccount, WechatUser
from backend.activities import demo as activities_demo
from backend.activities.models import Activity
from backend.bookings.models import Bookable
from backend.core.clock import FrozenClock, to_local
from backend.core.db import transaction
from backend.demo import DEMO_PEOPLE, DEMO_STAFF, load_demo
from backend.meals.models import MealMenu, MealOption
from backend.notices.models import Notice
from backend.rides.models import RideRequest

# Characters that make a given name read as a woman's (in this generation).
FEMALE = set("兰英珍芳梅秀玉凤桂淑素琴娟霞萍")
# Words in a title and the months in which such an event is held.
SEASONS = {
    "春游": {3, 4, 5},
    "植树": {3},
    "清明": {4},
    "端午": {5, 6},
    "建党": {7},
    "八一": {7, 8},
    "中秋": {9, 10},
    "国庆": {9, 10},
    "重阳": {10, 11},
    "秋游": {9, 10, 11},
    "红叶": {10, 11},
    "冬至": {12},
    "元旦": {12, 1},
    "春节": {1, 2},
    "新春": {1, 2},
    "元宵": {2, 3},
    "三八": {3},
    "防暑": {6, 7, 8},
}


def test_demo_people_have_distinct_names_and_the_gender_their_name_reads_as() -> None:
    names = [name for name, _ in DEMO_PEOPLE]
    assert len(names) == len(set(names)) == 40
    for name, gender in DEMO_PEOPLE:
        reads_female = any(ch in FEMALE for ch in name[1:])
        assert (gender == Gender.female) == reads_female, name


@pytest.mark.parametrize(
    "today", [date(2026, 11, 27), date(2026, 12, 28), date(2026, 4, 1), date(2026, 8, 20)]
)
def test_demo_activities_fall_in_their_season(today: date) -> None:
    planned = activities_demo.upcoming(today)
    assert len(planned) >= 2
    for day, event in planned:
        assert today < day <= date(today.year + 1, today.month, 28)
        for word, months in SEASONS.items():
            if word in event.title:
                assert day.month in months, (event.title, day)


def test_the_demo_loads_once_and_reads_true_in_december(engine, cipher) -> None:
    clock = FrozenClock(datetime(2026, 11, 30, 2, 0, tzinfo=UTC))  # 11月30日 10:00
    with transaction(engine) as db:
        summary = load_demo(db, clock=clock, cipher=cipher)
    assert summary.created is True and summary.retirees == 40
    with transaction(engine) as db:
        assert load_demo(db, clock=clock, cipher=cipher).created is False

    with Session(engine) as db:
        people = db.exec(select(Retiree)).all()
        staff = {s.username for s in db.exec(select(StaffAccount)).all()}
        openids = {u.openid for u in db.exec(select(WechatUser)).all()}
        activities = db.exec(select(Activity, Bookable).join(Bookable)).all()
        menus = db.exec(select(MealMenu)).all()
        options = db.exec(select(MealOption)).all()
        rides = db.exec(select(RideRequest)).all()
        notices = db.exec(
            select(Notice).where(Notice.kind == "announcement").order_by(col(Notice.id))
        ).all()
    expected = dict(DEMO_PEOPLE)
    assert Counter(p.name for p in people).most_common(1)[0][1] == 1
    assert all(p.gender == expected[p.name] for p in people)
    assert {u for u, *_ in DEMO_STAFF} <= staff
    assert {"demo-retiree-openid", "demo-family-openid"} <= openids

    titles = {b.title: to_local(b.starts_at).date() for _, b in activities}
    assert "冬至包饺子" in titles and "元旦联欢会" in titles
    assert not any(word in t for t in titles for word in ("春游", "重阳", "中秋", "端午"))
    assert titles["冬至包饺子"].month == 12 and titles["元旦联欢会"].month == 12
    assert any("书法" in t for t in titles) and any("讲座" in t for t in titles)

    assert len({m.day for m in menus}) >= 7
    lunches = {m.id: m.day for m in menus if m.meal == "午餐"}
    first_sets = {o.dishes for o in options if o.menu_id in lunches and o.name == "套餐A"}
    assert len(first_sets) == 7, "a different lunch every day of the week"
    assert len(rides) >= 3
    seasonal = [n for n in notices if not n.title.startswith("问卷：")]
    assert len(seasonal) == 2 and "冬季" in seasonal[0].title
    assert [n.title for n in notices if n not in seasonal] == ["问卷：本月服务满意度调查"]


def test_demo_shows_a_visit_list_and_a_family_sees_care(engine, clock, cipher) -> None:
    """`make run`: 张敏's 我的走访 has people on it (one overdue, one in hospital), and the
    demo daughter's parent shows a recent visit with a follow-up."""
    from sqlmodel import Session, select

    from backend.accounts.models import Retiree, StaffAccount, Unit
    from backend.demo import load_demo
    from backend.visits import family, plans

    with Session(engine) as db:
        load_demo(db, clock=clock, cipher=cipher)
        db.commit()
        staff = db.exec(select(StaffAccount).where(StaffAccount.username == "zhangmin")).one()
        unit = db.get(Unit, staff.unit_id)
        page = plans.due_this_week(db, clock=clock, scope=unit, staff=staff)
        reasons = {r.reason for r in page.data}
        assert "住院" in reasons and "例行走访" in reasons
        assert any(r.overdue for r in page.data)
        parent = db.exec(select(Retiree).where(Retiree.wechat_user_id.is_not(None))).first()
        care = family.care(db, clock=clock, retiree=parent)
        assert care.last_visit_on is not None and care.follow_ups
        assert care.staff_name == "张敏"
        from backend.visits import campaigns

        listed = campaigns.list_in_scope(db, scope=unit).data
        assert listed and any(c.visited for c in listed)  # the festival just past has visits
