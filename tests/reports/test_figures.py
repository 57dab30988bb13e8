"""Each domain's monthly figures count exactly the rows of the month (Shanghai calendar), of
the units asked for, in the states that count — one test per figure group."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from backend.accounts import stats as accounts_stats
from backend.accounts.enums import RetireeStatus
from backend.accounts.models import Retiree
from backend.activities import stats as activities_stats
from backend.checkin import stats as checkin_stats
from backend.meals import stats as meals_stats
from backend.rides import stats as rides_stats
from backend.visits import stats as visits_stats
from tests.factories import World, make_retiree
from tests.reports import seed
from tests.reports.seed import AFTER, FEB_END, FEB_START, FIRST_MINUTE, INSIDE, JUST_BEFORE


def _ids(world: World) -> tuple[int, int, int]:
    return world.station1.id or 0, world.retiree_a.id or 0, world.retiree_b.id or 0


def test_contacts_count_the_month_in_shanghai_and_distinct_people(
    db: Session, world: World
) -> None:
    station, a, b = _ids(world)
    for at in (FIRST_MINUTE, INSIDE, INSIDE + timedelta(days=3), JUST_BEFORE, AFTER):
        seed.contact(db, retiree_id=a, unit_id=station, at=at)
    seed.contact(db, retiree_id=b, unit_id=world.unit2.id or 0, at=INSIDE)  # not asked for
    db.commit()
    figures = checkin_stats.monthly_figures(
        db, unit_ids=[station, world.unit1.id or 0], start=FEB_START, end=FEB_END
    )
    assert figures[station]["contacts"] == 3
    assert figures[station]["contacted"] == 1
    assert world.unit2.id not in figures


def test_lost_cases_open_at_month_end_and_new_in_month(db: Session, world: World) -> None:
    station, a, _ = _ids(world)
    before = FEB_START - timedelta(days=20)
    seed.lost_case(db, retiree_id=a, unit_id=station, opened_at=before)  # open, old
    seed.lost_case(db, retiree_id=a, unit_id=station, opened_at=INSIDE)  # open, new
    seed.lost_case(  # new, closed in the month: not open at its end
        db, retiree_id=a, unit_id=station, opened_at=INSIDE, closed_at=INSIDE + timedelta(days=2)
    )
    seed.lost_case(  # old, closed after the month: still open at its end
        db, retiree_id=a, unit_id=station, opened_at=before, closed_at=AFTER
    )
    seed.lost_case(  # closed before the month: not counted
        db, retiree_id=a, unit_id=station, opened_at=before, closed_at=JUST_BEFORE
    )
    seed.lost_case(db, retiree_id=a, unit_id=station, opened_at=AFTER)  # after: not counted
    db.commit()
    figures = checkin_stats.monthly_figures(db, unit_ids=[station], start=FEB_START, end=FEB_END)
    assert figures[station]["lost_open"] == 3
    assert figures[station]["lost_new"] == 2


def test_checkin_progress_counts_the_years_submissions_by_the_month_end(
    db: Session, world: World, engine, clock, cipher
) -> None:
    station, a, _ = _ids(world)
    others = [
        make_retiree(engine, clock, cipher, unit=world.station1, name=f"老同志{i}").id or 0
        for i in range(4)
    ]
    gone = db.get(Retiree, others[3])
    assert gone is not None
    gone.status = RetireeStatus.deceased
    db.add(gone)
    this_year = seed.campaign(db, unit_id=world.centre.id or 0, staff_id=world.admin.id or 0)
    last_year = seed.campaign(
        db, unit_id=world.centre.id or 0, staff_id=world.admin.id or 0, year=2025
    )
    seed.submission(  # approved within the month
        db,
        campaign_id=this_year,
        retiree_id=a,
        unit_id=station,
        status="approved",
        submitted_at=INSIDE,
        reviewed_at=INSIDE + timedelta(days=1),
    )
    seed.submission(  # submitted in the month, approved after it: submitted only
        db,
        campaign_id=this_year,
        retiree_id=others[0],
        unit_id=station,
        status="approved",
        submitted_at=INSIDE,
        reviewed_at=AFTER,
    )
    seed.submission(  # a draft
        db,
        campaign_id=this_year,
        retiree_id=others[1],
        unit_id=station,
        status="draft",
        submitted_at=None,
    )
    seed.submission(  # submitted after the month
        db,
        campaign_id=this_year,
        retiree_id=others[2],
        unit_id=station,
        status="submitted",
        submitted_at=AFTER,
    )
    seed.submission(  # last year's campaign
        db,
        campaign_id=last_year,
        retiree_id=others[2],
        unit_id=station,
        status="approved",
        submitted_at=INSIDE,
        reviewed_at=INSIDE,
    )
    db.commit()
    figures = checkin_stats.monthly_figures(db, unit_ids=[station], start=FEB_START, end=FEB_END)
    assert figures[station]["checkin_submitted"] == 2
    assert figures[station]["checkin_approved"] == 1
    assert figures[station]["checkin_total"] == 4  # 王建国 and three living; the deceased not


def test_retirees_on_the_roll_leave_out_the_deceased(db: Session, world: World) -> None:
    retiree = db.get(Retiree, world.retiree_b.id)
    assert retiree is not None
    retiree.status = RetireeStatus.deceased
    db.add(retiree)
    db.commit()
    ids = [world.station1.id or 0, world.unit2.id or 0]
    figures = accounts_stats.monthly_figures(db, unit_ids=ids, start=FEB_START, end=FEB_END)
    assert figures == {world.station1.id: {"retirees": 1}}


def test_visits_count_the_month_and_home_visits(db: Session, world: World) -> None:
    station, a, _ = _ids(world)
    staff = world.staff1.id or 0
    seed.visit(db, retiree_id=a, unit_id=station, staff_id=staff, at=INSIDE)
    seed.visit(db, retiree_id=a, unit_id=station, staff_id=staff, at=FIRST_MINUTE, kind="电话")
    seed.visit(db, retiree_id=a, unit_id=station, staff_id=staff, at=JUST_BEFORE)
    seed.visit(db, retiree_id=a, unit_id=station, staff_id=staff, at=AFTER)
    db.commit()
    figures = visits_stats.monthly_figures(db, unit_ids=[station], start=FEB_START, end=FEB_END)
    assert figures == {station: {"visits": 2, "home_visits": 1}}


def test_activities_held_and_attendance(db: Session, world: World) -> None:
    station, a, b = _ids(world)
    activity_id, bookable_id = seed.activity(db, unit_id=station, at=INSIDE)
    for attended, status in ((True, "confirmed"), (False, "confirmed"), (True, "cancelled")):
        seed.booking(
            db,
            bookable_id=bookable_id,
            retiree_id=a,
            unit_id=station,
            attended=attended,
            status=status,
        )
    seed.activity(db, unit_id=station, at=INSIDE, status="cancelled")  # not held
    seed.activity(db, unit_id=station, at=JUST_BEFORE)  # last month
    # A weekly class: each session in the month counts, with who was marked present.
    class_id, class_bookable = seed.activity(db, unit_id=station, at=JUST_BEFORE)
    enrolled_a = seed.booking(db, bookable_id=class_bookable, retiree_id=a, unit_id=station)
    enrolled_b = seed.booking(db, bookable_id=class_bookable, retiree_id=b, unit_id=station)
    first = seed.session(db, activity_id=class_id, at=INSIDE)
    second = seed.session(db, activity_id=class_id, at=INSIDE + timedelta(days=7))
    seed.session(db, activity_id=class_id, at=AFTER)
    seed.mark(db, session_id=first, booking_id=enrolled_a, attended=True)
    seed.mark(db, session_id=first, booking_id=enrolled_b, attended=True)
    seed.mark(db, session_id=second, booking_id=enrolled_a, attended=False)
    db.commit()
    assert activity_id
    figures = activities_stats.monthly_figures(db, unit_ids=[station], start=FEB_START, end=FEB_END)
    assert figures == {station: {"activities_held": 3, "attendance": 3}}


def test_meals_served_count_portions_of_menus_served_in_the_month(
    db: Session, world: World
) -> None:
    station, a, b = _ids(world)
    menu_id = seed.menu(db, unit_id=station, at=INSIDE)
    option_id, bookable_id = seed.option(db, menu_id=menu_id, unit_id=station, at=INSIDE)
    one = seed.booking(db, bookable_id=bookable_id, retiree_id=a, unit_id=station)
    seed.meal_order(db, booking_id=one, option_id=option_id, retiree_id=a)
    two = seed.booking(db, bookable_id=bookable_id, retiree_id=b, unit_id=station, quantity=2)
    seed.meal_order(db, booking_id=two, option_id=option_id, retiree_id=b, mode="送餐")
    seed.booking(db, bookable_id=bookable_id, retiree_id=a, unit_id=station, status="cancelled")
    cancelled = seed.menu(db, unit_id=station, at=INSIDE, status="cancelled")
    _, cancelled_bookable = seed.option(db, menu_id=cancelled, unit_id=station, at=INSIDE)
    seed.booking(db, bookable_id=cancelled_bookable, retiree_id=a, unit_id=station)
    later = seed.menu(db, unit_id=station, at=AFTER)
    _, later_bookable = seed.option(db, menu_id=later, unit_id=station, at=AFTER)
    seed.booking(db, bookable_id=later_bookable, retiree_id=a, unit_id=station)
    db.commit()
    figures = meals_stats.monthly_figures(db, unit_ids=[station], start=FEB_START, end=FEB_END)
    assert figures == {station: {"meals_served": 3, "meals_delivered": 2}}


def test_rides_completed_in_the_month(db: Session, world: World) -> None:
    station, a, _ = _ids(world)
    seed.ride(db, retiree_id=a, unit_id=station, at=INSIDE, passengers=2)
    seed.ride(db, retiree_id=a, unit_id=station, at=FIRST_MINUTE)
    seed.ride(db, retiree_id=a, unit_id=station, at=INSIDE, status="cancelled")
    seed.ride(db, retiree_id=a, unit_id=station, at=INSIDE, status="dispatched")
    seed.ride(db, retiree_id=a, unit_id=station, at=AFTER)
    db.commit()
    figures = rides_stats.monthly_figures(db, unit_ids=[station], start=FEB_START, end=FEB_END)
    assert figures == {station: {"rides_completed": 2, "ride_passengers": 3}}


def test_no_units_asks_nothing(db: Session) -> None:
    for module in (
        accounts_stats,
        checkin_stats,
        visits_stats,
        activities_stats,
        meals_stats,
        rides_stats,
    ):
        assert module.monthly_figures(db, unit_ids=[], start=FEB_START, end=FEB_END) == {}
