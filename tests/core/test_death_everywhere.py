"""A retiree's death ends every open item in every domain (issue 19): no car comes, no meal is
cooked, no reminder or quarterly question is sent, nobody can bind to the record.

Two guards. Every table holding a retiree_id is answered for: a domain registered in
core/open_items.py lists what is open in it, or the table is declared history with a reason, so
a new domain cannot forget. And on the demo centre — which has activities, terms, meals,
standing orders, rides, recurring rides, 报平安, visits, 失联, matters and binding codes — every
retiree with something open is marked 去世 through the one service, and every domain is then
asked what is still open: nothing."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, select

from backend import domains
from backend.accounts import binding, retirees
from backend.accounts.enums import RetireeStatus
from backend.accounts.models import Retiree, StaffAccount
from backend.core import open_items
from backend.core.clock import FrozenClock
from backend.demo import load_demo
from backend.meals import standing
from backend.meals.models import MealStandingOrder
from backend.meals.schemas import StandingOrderIn
from backend.models_registry import metadata
from backend.rides.models import RideSeries

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai


def test_every_table_about_a_retiree_is_answered_for() -> None:
    domains.install_hooks()
    about_retirees = {t.name for t in metadata.sorted_tables if "retiree_id" in t.columns}
    covered = open_items.covered_tables()
    history = set(open_items.HISTORY)
    assert not covered & history, "a table is either ended on a death or history, not both"
    assert history <= about_retirees, f"stale history entries: {history - about_retirees}"
    forgotten = about_retirees - covered - history
    assert not forgotten, f"tables with a retiree_id nobody ends on a death: {sorted(forgotten)}"


def _extra_open_items(db: Session, clock: FrozenClock, people: list[Retiree]) -> None:
    """What the demo does not hold on its own: a standing order, a recurring ride and an
    unused binding code, for the first few people."""
    staff = db.exec(select(StaffAccount).order_by(col(StaffAccount.id))).first()
    assert staff is not None
    for person in people[:3]:
        standing.create(
            db,
            clock=clock,
            retiree=person,
            data=StandingOrderIn(retiree_id=person.id or 0, meal="晚餐", weekdays=[1, 3, 5]),
            by="本人",
        )
        db.add(
            RideSeries(
                retiree_id=person.id or 0,
                unit_id=person.unit_id,
                weekdays="2,5",
                until=date(2027, 3, 1),
                created_at=clock.now(),
            )
        )
        binding.issue_binding_code(db, clock=clock, staff=staff, retiree=person)
    db.flush()


def test_a_death_leaves_nothing_open_anywhere(engine, cipher) -> None:
    domains.install_hooks()
    clock = FrozenClock(NOW)
    with Session(engine) as db:
        load_demo(db, clock=clock, cipher=cipher)
        db.commit()
        people = list(
            db.exec(
                select(Retiree)
                .where(Retiree.status == RetireeStatus.active)
                .order_by(col(Retiree.id))
            ).all()
        )
        _extra_open_items(db, clock, people)
        db.commit()
        before = {p.id or 0: open_items.for_retiree(db, p.id or 0, clock.now()) for p in people}
        domains_seen = Counter(d for found in before.values() for d in found)
        # the walk means something only if the demo holds open items of many kinds
        assert {"bookings", "meals", "rides", "accounts"} <= set(domains_seen), domains_seen
        assert len(domains_seen) >= 6, domains_seen
        admin = db.exec(select(StaffAccount).where(StaffAccount.role == "admin")).first()
        for person in people:
            if not before[person.id or 0]:
                continue
            retirees.change_status(
                db,
                clock=clock,
                staff=admin,
                retiree=person,
                status=RetireeStatus.deceased,
                note="测试",
                died_on=date(2026, 11, 29),
            )
            db.flush()
            left = open_items.for_retiree(db, person.id or 0, clock.now())
            assert left == {}, (person.name, left)
        db.commit()
        # the next days' jobs put nothing back: standing orders place no meal for the dead
        clock.advance(timedelta(days=1))
        standing.apply(db, clock=clock)
        for person in people:
            assert open_items.for_retiree(db, person.id or 0, clock.now()) == {}, person.name
        dead = [p.id for p in people if before[p.id or 0]]
        still = db.exec(
            select(MealStandingOrder).where(
                MealStandingOrder.active == True,  # noqa: E712
                col(MealStandingOrder.retiree_id).in_(dead),
            )
        ).all()
        assert still == []


def test_marking_a_death_needs_its_date_in_the_past(engine, world, clock) -> None:
    from backend.core.errors import Unprocessable

    domains.install_hooks()
    with Session(engine) as db:
        person = db.get(Retiree, world.retiree_a.id)
        staff = db.get(StaffAccount, world.staff1.id)
        assert person is not None
        for died_on, words in ((None, "日期"), (date(2026, 3, 3), "不能晚于今天")):
            try:
                retirees.change_status(
                    db,
                    clock=clock,
                    staff=staff,
                    retiree=person,
                    status=RetireeStatus.deceased,
                    note=None,
                    died_on=died_on,
                )
            except Unprocessable as exc:
                assert words in exc.message
            else:
                raise AssertionError("a death without a proper date was accepted")
            db.rollback()
            person = db.get(Retiree, world.retiree_a.id)
            assert person is not None and person.status == RetireeStatus.active


def test_an_admin_takes_back_a_death_marked_by_mistake_within_30_days(engine, world, clock) -> None:
    from backend.core.errors import Conflict, Forbidden
    from backend.notices.models import Notice

    domains.install_hooks()
    with Session(engine) as db:
        person = db.get(Retiree, world.retiree_a.id)
        admin = db.get(StaffAccount, world.admin.id)
        staff = db.get(StaffAccount, world.staff1.id)
        assert person is not None and admin is not None and staff is not None
        standing.create(
            db,
            clock=clock,
            retiree=person,
            data=StandingOrderIn(retiree_id=person.id or 0, meal="午餐", weekdays=[1, 2]),
            by="本人",
        )
        retirees.change_status(
            db,
            clock=clock,
            staff=staff,
            retiree=person,
            status=RetireeStatus.deceased,
            note="家属告知",
            died_on=date(2026, 3, 1),
        )
        db.commit()
        assert open_items.for_retiree(db, person.id or 0, clock.now()) == {}
        clock.advance(timedelta(days=29))
        try:
            retirees.revoke_death(db, clock=clock, staff=staff, retiree=person, reason="登记错了")
        except Forbidden:
            pass
        else:
            raise AssertionError("only admins may take a death back")
        restored, not_restored = retirees.revoke_death(
            db, clock=clock, staff=admin, retiree=person, reason="登记错了人"
        )
        db.commit()
        assert person.status == RetireeStatus.active and person.died_on is None
        assert "长期订午餐已恢复" in restored and "丧事清单已撤销" in restored
        assert open_items.for_retiree(db, person.id or 0, clock.now()) == {
            "meals": ["长期订餐 1（午餐）"]
        }
        titles = db.exec(select(Notice.title).order_by(col(Notice.id))).all()
        assert sum(1 for t in titles if t.startswith("更正")) == 1
        assert not_restored == [] or all(isinstance(w, str) for w in not_restored)
        # a second mistake, found too late, cannot be taken back here
        retirees.change_status(
            db,
            clock=clock,
            staff=staff,
            retiree=person,
            status=RetireeStatus.deceased,
            note="家属告知",
            died_on=date(2026, 3, 30),
        )
        db.commit()
        clock.advance(timedelta(days=30, minutes=1))
        try:
            retirees.revoke_death(db, clock=clock, staff=admin, retiree=person, reason="登记错了")
        except Conflict as exc:
            assert "30天" in exc.message
        else:
            raise AssertionError("a death marked over 30 days ago was taken back")
