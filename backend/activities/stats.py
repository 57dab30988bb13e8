"""Figures of the activities domain for the monthly sheet, per unit, for [start, end):

- activities_held: one-off activities that took place (not cancelled), plus each meeting of a
  weekly class;
- attendance: people marked present (到了) at them.

Two GROUP BY queries (one-off activities; class sessions) whatever the number of units."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, case, exists
from sqlmodel import Session, col, func, select

from backend.activities.models import Activity, ActivitySession, SessionAttendance
from backend.bookings import queries as bookings
from backend.core.figures import Figures, fold


def monthly_figures(db: Session, *, unit_ids: list[int], start: datetime, end: datetime) -> Figures:
    if not unit_ids:
        return {}
    bookable = bookings.bookable_rows()
    booking = bookings.confirmed_rows()
    has_sessions = exists().where(col(ActivitySession.activity_id) == col(Activity.id))
    one_off = db.execute(
        select(
            bookable.c.unit_id,
            func.count(func.distinct(Activity.id)),
            func.sum(case((booking.c.attended.is_(True), 1), else_=0)),
        )
        .select_from(Activity)
        .join(bookable, bookable.c.id == col(Activity.bookable_id))
        .outerjoin(booking, booking.c.bookable_id == bookable.c.id)
        .where(
            bookable.c.unit_id.in_(unit_ids),
            bookable.c.open.is_(True),
            bookable.c.starts_at >= start,
            bookable.c.starts_at < end,
            ~has_sessions,
        )
        .group_by(bookable.c.unit_id)
    ).all()
    result = fold(one_off, ["activities_held", "attendance"])
    sessions = db.execute(
        select(
            bookable.c.unit_id,
            func.count(func.distinct(ActivitySession.id)),
            func.count(col(SessionAttendance.id)),
        )
        .select_from(ActivitySession)
        .join(Activity, col(Activity.id) == col(ActivitySession.activity_id))
        .join(bookable, bookable.c.id == col(Activity.bookable_id))
        .outerjoin(
            SessionAttendance,
            and_(
                col(SessionAttendance.session_id) == col(ActivitySession.id),
                col(SessionAttendance.attended).is_(True),
            ),
        )
        .where(
            bookable.c.unit_id.in_(unit_ids),
            bookable.c.open.is_(True),
            col(ActivitySession.starts_at) >= start,
            col(ActivitySession.starts_at) < end,
        )
        .group_by(bookable.c.unit_id)
    ).all()
    return fold(sessions, ["activities_held", "attendance"], into=result)
