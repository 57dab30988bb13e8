"""Counting in working days. A deadline of "N working days" from a start date is the N-th working
day after it (the start itself not counted), and it runs to the end of that day in Shanghai.

The calendar holds only the exceptions, so one query reads every exception in the range asked
about; a clock never loops over the database day by day."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from backend.accounts.audit import record as audit_record
from backend.accounts.models import StaffAccount
from backend.accounts.scope import staff_actor
from backend.core.clock import Clock, as_utc, local_day, to_local
from backend.core.errors import NotFound, Unprocessable
from backend.workdays.models import WorkCalendarDay

# A deadline of N working days never needs more calendar than this (the longest holiday is 9 days).
_SLACK_DAYS = 30


def _exceptions(db: Session, first: date, last: date) -> dict[date, bool]:
    rows = db.exec(
        select(WorkCalendarDay).where(
            col(WorkCalendarDay.day) >= first, col(WorkCalendarDay.day) <= last
        )
    ).all()
    return {row.day: row.working for row in rows}


def _plain(day: date) -> bool:
    return day.weekday() < 5


def is_working_day(db: Session, day: date) -> bool:
    return _exceptions(db, day, day).get(day, _plain(day))


def add_working_days(db: Session, start: date, n: int) -> date:
    """The n-th working day after `start` (start excluded); n = 0 is `start` itself."""
    if n < 0:
        raise ValueError("n must not be negative")
    if n == 0:
        return start
    horizon = start + timedelta(days=n * 2 + _SLACK_DAYS)
    exceptions = _exceptions(db, start, horizon)
    day, counted = start, 0
    while True:
        day += timedelta(days=1)
        if day > horizon:  # a calendar with an absurd run of holidays: read further
            horizon = day + timedelta(days=n * 2 + _SLACK_DAYS)
            exceptions |= _exceptions(db, day, horizon)
        if exceptions.get(day, _plain(day)):
            counted += 1
            if counted == n:
                return day


def working_days_between(db: Session, start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end ≤ start)."""
    if end <= start:
        return 0
    exceptions = _exceptions(db, start + timedelta(days=1), end)
    days = (start + timedelta(days=i) for i in range(1, (end - start).days + 1))
    return sum(1 for d in days if exceptions.get(d, _plain(d)))


def due_at(db: Session, *, start: datetime, working_days: int) -> datetime:
    """The UTC instant a clock of `working_days` started at `start` runs out: the end of the
    Shanghai day that is the n-th working day after the Shanghai date of `start`."""
    last_day = add_working_days(db, to_local(as_utc(start)).date(), working_days)
    return local_day(last_day)[1]


def year_exceptions(db: Session, year: int) -> list[WorkCalendarDay]:
    return list(
        db.exec(
            select(WorkCalendarDay)
            .where(
                col(WorkCalendarDay.day) >= date(year, 1, 1),
                col(WorkCalendarDay.day) <= date(year, 12, 31),
            )
            .order_by(col(WorkCalendarDay.day))
        ).all()
    )


def set_day(
    db: Session, *, clock: Clock, staff: StaffAccount, day: date, working: bool, name: str
) -> WorkCalendarDay | None:
    """Mark a date as a day off or a day worked. A date set back to what the plain week says
    (a weekday worked, a weekend off) is removed from the calendar and None is returned."""
    name = name.strip()
    if len(name) > 30:
        raise Unprocessable("名称最多30个字。")
    row = db.get(WorkCalendarDay, day)
    before = None if row is None else {"working": row.working, "name": row.name}
    actor = f"{staff_actor(staff).label} {staff.display_name}"
    if working == _plain(day):
        if row is None:
            return None
        db.delete(row)
        db.flush()
        _audit(db, clock, staff, day, before, None)
        return None
    if not name:
        raise Unprocessable("请写上这天的名称，比如“春节”或“国庆节调休上班”。")
    if row is None:
        row = WorkCalendarDay(
            day=day, working=working, name=name, updated_by=actor, updated_at=clock.now()
        )
    else:
        row.working, row.name, row.updated_by, row.updated_at = working, name, actor, clock.now()
    db.add(row)
    db.flush()
    _audit(db, clock, staff, day, before, {"working": working, "name": name})
    return row


def remove_day(db: Session, *, clock: Clock, staff: StaffAccount, day: date) -> None:
    row = db.get(WorkCalendarDay, day)
    if row is None:
        raise NotFound("这一天没有特别安排。")
    before = {"working": row.working, "name": row.name}
    db.delete(row)
    db.flush()
    _audit(db, clock, staff, day, before, None)


def _audit(
    db: Session,
    clock: Clock,
    staff: StaffAccount,
    day: date,
    before: dict[str, object] | None,
    after: dict[str, object] | None,
) -> None:
    audit_record(
        db,
        clock=clock,
        staff=staff,
        action="workdays.set" if after is not None else "workdays.remove",
        entity="work_calendar_day",
        entity_id=day.isoformat(),
        unit_id=None,
        before=before,
        after=after,
    )
