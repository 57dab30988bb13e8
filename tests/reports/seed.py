"""Rows for the monthly sheet's tests, written directly (each figure's own rules are tested in
its domain; here what matters is which rows a figure counts)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session

from backend.activities.models import Activity, ActivitySession, SessionAttendance
from backend.bookings.models import Bookable, Booking
from backend.checkin.models import CheckinCampaign, CheckinSubmission, ContactLog, LostContactCase
from backend.meals.models import MealMenu, MealOption, MealOrder
from backend.rides.models import RideRequest
from backend.visits.models import VisitRecord

# February 2026 in Shanghai is [2026-01-31 16:00 UTC, 2026-02-28 16:00 UTC).
FEB_START = datetime(2026, 1, 31, 16, 0, tzinfo=UTC)
FEB_END = datetime(2026, 2, 28, 16, 0, tzinfo=UTC)
INSIDE = FEB_START + timedelta(days=10)
JUST_BEFORE = FEB_START - timedelta(minutes=1)  # 2026-01-31 23:59 in Shanghai
FIRST_MINUTE = FEB_START  # 2026-02-01 00:00 in Shanghai
AFTER = FEB_END  # 2026-03-01 00:00 in Shanghai


def contact(db: Session, *, retiree_id: int, unit_id: int, at: datetime) -> None:
    db.add(ContactLog(retiree_id=retiree_id, unit_id=unit_id, at=at, channel="电话"))


def lost_case(
    db: Session,
    *,
    retiree_id: int,
    unit_id: int,
    opened_at: datetime,
    closed_at: datetime | None = None,
) -> None:
    db.add(
        LostContactCase(
            retiree_id=retiree_id,
            unit_id=unit_id,
            open_retiree_id=None,
            status="closed" if closed_at else "open",
            last_contact_at=opened_at - timedelta(days=190),
            lost_on=opened_at.date(),
            opened_at=opened_at,
            investigation_due=opened_at.date() + timedelta(days=10),
            closed_at=closed_at,
        )
    )


def campaign(db: Session, *, unit_id: int, staff_id: int, year: int = 2026) -> int:
    row = CheckinCampaign(
        year=year,
        unit_id=unit_id,
        opens_on=date(year, 1, 1),
        closes_on=date(year, 3, 31),
        created_by_staff_id=staff_id,
        created_at=FEB_START,
        updated_at=FEB_START,
    )
    db.add(row)
    db.flush()
    return row.id or 0


def submission(
    db: Session,
    *,
    campaign_id: int,
    retiree_id: int,
    unit_id: int,
    status: str,
    submitted_at: datetime | None,
    reviewed_at: datetime | None = None,
) -> None:
    db.add(
        CheckinSubmission(
            campaign_id=campaign_id,
            retiree_id=retiree_id,
            unit_id=unit_id,
            status=status,
            submitted_at=submitted_at,
            reviewed_at=reviewed_at,
            created_at=FEB_START,
            updated_at=FEB_START,
        )
    )


def visit(
    db: Session, *, retiree_id: int, unit_id: int, staff_id: int, at: datetime, kind: str = "上门"
) -> None:
    db.add(
        VisitRecord(
            retiree_id=retiree_id,
            unit_id=unit_id,
            kind=kind,
            visited_at=at,
            visitors="张干事",
            met="本人",
            staff_id=staff_id,
            created_at=at,
        )
    )


def bookable(db: Session, *, kind: str, unit_id: int, at: datetime, status: str = "open") -> int:
    row = Bookable(
        kind=kind,
        unit_id=unit_id,
        title="项目",
        capacity=100,
        starts_at=at,
        opens_at=at - timedelta(days=7),
        closes_at=at - timedelta(days=1),
        cancel_deadline=at - timedelta(days=1),
        status=status,
        created_at=at - timedelta(days=8),
        updated_at=at - timedelta(days=8),
    )
    db.add(row)
    db.flush()
    return row.id or 0


def booking(
    db: Session,
    *,
    bookable_id: int,
    retiree_id: int,
    unit_id: int,
    status: str = "confirmed",
    quantity: int = 1,
    attended: bool | None = None,
) -> int:
    row = Booking(
        bookable_id=bookable_id,
        retiree_id=retiree_id,
        unit_id=unit_id,
        quantity=quantity,
        status=status,
        booked_by="self",
        created_at=FEB_START,
        attended=attended,
    )
    db.add(row)
    db.flush()
    return row.id or 0


def activity(db: Session, *, unit_id: int, at: datetime, status: str = "open") -> tuple[int, int]:
    """(activity id, bookable id)"""
    bookable_id = bookable(db, kind="activity", unit_id=unit_id, at=at, status=status)
    row = Activity(bookable_id=bookable_id, category="文体活动", place="活动室")
    db.add(row)
    db.flush()
    return row.id or 0, bookable_id


def session(db: Session, *, activity_id: int, at: datetime) -> int:
    row = ActivitySession(activity_id=activity_id, starts_at=at, ends_at=at + timedelta(hours=1))
    db.add(row)
    db.flush()
    return row.id or 0


def mark(db: Session, *, session_id: int, booking_id: int, attended: bool) -> None:
    db.add(
        SessionAttendance(
            session_id=session_id, booking_id=booking_id, attended=attended, marked_at=FEB_START
        )
    )


def menu(
    db: Session, *, unit_id: int, at: datetime, status: str = "open", meal: str = "午餐"
) -> int:
    """A menu served at `at` with one option; returns the option's bookable id and option id."""
    row = MealMenu(
        unit_id=unit_id,
        day=(at + timedelta(hours=8)).date(),
        meal=meal,
        serve_at=at,
        cutoff_at=at - timedelta(hours=3),
        status=status,
        created_at=FEB_START,
        updated_at=FEB_START,
    )
    db.add(row)
    db.flush()
    return row.id or 0


def option(db: Session, *, menu_id: int, unit_id: int, at: datetime) -> tuple[int, int]:
    bookable_id = bookable(db, kind="meal", unit_id=unit_id, at=at)
    row = MealOption(
        menu_id=menu_id, bookable_id=bookable_id, name="套餐A", price_fen=1500, subsidised_fen=500
    )
    db.add(row)
    db.flush()
    return row.id or 0, bookable_id


def meal_order(
    db: Session, *, booking_id: int, option_id: int, retiree_id: int, mode: str = "堂食"
) -> None:
    db.add(
        MealOrder(
            booking_id=booking_id,
            option_id=option_id,
            retiree_id=retiree_id,
            mode=mode,
            amount_fen=1000,
        )
    )


def ride(
    db: Session,
    *,
    retiree_id: int,
    unit_id: int,
    at: datetime,
    status: str = "completed",
    passengers: int = 1,
) -> None:
    db.add(
        RideRequest(
            retiree_id=retiree_id,
            unit_id=unit_id,
            pickup_address="家",
            destination="医院",
            pickup_at=at,
            passengers=passengers,
            status=status,
            requested_by="self",
            created_at=FEB_START,
            updated_at=FEB_START,
        )
    )
