"""The day-before reminder for activities (09:00–20:00 Shanghai, once per booking)."""

from __future__ import annotations

from backend.bookings import service as bookings
from backend.core.clock import to_local
from backend.core.context import AppContext
from backend.core.db import transaction
from backend.core.scheduler import IntervalJob, current_context


def send_reminders(ctx: AppContext) -> int:
    if not 9 <= to_local(ctx.clock.now()).hour < 20:
        return 0
    with transaction(ctx.engine) as db:
        return bookings.remind_tomorrow(db, clock=ctx.clock, kinds=("activity",))


def job_send_reminders() -> None:
    send_reminders(current_context())


JOBS = [IntervalJob(id="activities.reminders", func=job_send_reminders, seconds=1800)]
