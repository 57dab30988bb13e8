"""The day-before reminder for activities and for each session of a weekly class (09:00–20:00
Shanghai, once per booking and session)."""

from __future__ import annotations

from backend.activities import ratings, series
from backend.bookings import api as bookings
from backend.bookings.enums import BookableKind
from backend.core.clock import to_local
from backend.core.context import AppContext
from backend.core.db import transaction
from backend.core.scheduler import IntervalJob, current_context


def send_reminders(ctx: AppContext) -> int:
    if not 9 <= to_local(ctx.clock.now()).hour < 20:
        return 0
    with transaction(ctx.engine) as db:
        sent = bookings.remind_tomorrow(db, clock=ctx.clock, kinds=(BookableKind.activity,))
        return sent + series.remind_sessions_tomorrow(db, clock=ctx.clock)


def ask_ratings(ctx: AppContext) -> int:
    if not 9 <= to_local(ctx.clock.now()).hour < 21:  # no 请评价 notice at night
        return 0
    with transaction(ctx.engine) as db:
        return ratings.ask_ratings(db, clock=ctx.clock)


def job_send_reminders() -> None:
    send_reminders(current_context())


def job_ask_ratings() -> None:
    ask_ratings(current_context())


JOBS = [
    IntervalJob(id="activities.reminders", func=job_send_reminders, seconds=1800),
    IntervalJob(id="activities.ask_ratings", func=job_ask_ratings, seconds=1800),
]
