"""Working days: weekends, the 2026 holidays and make-up days the migration seeds, staff edits,
and deadlines that end at midnight in Shanghai."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from backend.accounts.models import AuditLog
from backend.core.errors import NotFound, Unprocessable
from backend.workdays import service
from backend.workdays.models import WorkCalendarDay


@pytest.fixture
def db(engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


def test_a_plain_week(db: Session) -> None:
    assert service.is_working_day(db, date(2026, 3, 6))  # Friday
    assert not service.is_working_day(db, date(2026, 3, 7))  # Saturday
    assert service.add_working_days(db, date(2026, 3, 6), 1) == date(2026, 3, 9)  # → Monday
    assert service.add_working_days(db, date(2026, 3, 2), 10) == date(2026, 3, 16)
    assert service.add_working_days(db, date(2026, 3, 2), 0) == date(2026, 3, 2)


def test_the_seeded_2026_holidays_and_make_up_days(db: Session) -> None:
    assert not service.is_working_day(db, date(2026, 10, 5))  # 国庆 on a Monday
    assert service.is_working_day(db, date(2026, 10, 10))  # Saturday worked
    assert service.is_working_day(db, date(2026, 2, 14))  # Saturday before 春节 worked
    # 10 working days from Wednesday 30 September: 9-30 is the start; 10-1..7 off; 10-8, 9,
    # 10 (Saturday worked), 12–16, 19, 20 → the 10th is 10-20
    assert service.add_working_days(db, date(2026, 9, 30), 10) == date(2026, 10, 20)
    # 春节: from Friday 13 February, 14 (Saturday worked) counts, 15–23 off
    assert service.add_working_days(db, date(2026, 2, 13), 2) == date(2026, 2, 24)


def test_counting_between_two_dates(db: Session) -> None:
    assert service.working_days_between(db, date(2026, 9, 30), date(2026, 10, 20)) == 10
    assert service.working_days_between(db, date(2026, 3, 9), date(2026, 3, 9)) == 0
    assert service.working_days_between(db, date(2026, 3, 9), date(2026, 3, 2)) == 0


def test_a_deadline_ends_at_midnight_in_shanghai(db: Session) -> None:
    # 2026-03-06 23:30 in Shanghai is Friday 15:30 UTC; 1 working day → Monday 9 March, ending
    # at 00:00 on the 10th in Shanghai = 16:00 UTC on the 9th
    start = datetime(2026, 3, 6, 15, 30, tzinfo=UTC)
    assert service.due_at(db, start=start, working_days=1) == datetime(2026, 3, 9, 16, tzinfo=UTC)
    # 16:30 UTC on Friday is already Saturday in Shanghai: the count starts from Saturday
    later = start + timedelta(hours=1)
    assert service.due_at(db, start=later, working_days=1) == datetime(2026, 3, 9, 16, tzinfo=UTC)


def test_staff_mark_a_day_off_and_a_day_worked_audited(db: Session, world, clock) -> None:
    admin = world.admin
    service.set_day(db, clock=clock, staff=admin, day=date(2027, 2, 8), working=False, name="春节")
    service.set_day(
        db, clock=clock, staff=admin, day=date(2027, 2, 6), working=True, name="春节调休上班"
    )
    assert not service.is_working_day(db, date(2027, 2, 8))
    assert service.is_working_day(db, date(2027, 2, 6))
    assert [d.name for d in service.year_exceptions(db, 2027)] == ["春节调休上班", "春节"]
    # set back to the plain week: the exception goes
    assert (
        service.set_day(db, clock=clock, staff=admin, day=date(2027, 2, 8), working=True, name="")
        is None
    )
    assert db.get(WorkCalendarDay, date(2027, 2, 8)) is None
    service.remove_day(db, clock=clock, staff=admin, day=date(2027, 2, 6))
    actions = db.exec(select(AuditLog.action).order_by(AuditLog.id)).all()  # type: ignore[arg-type]
    assert actions == ["workdays.set", "workdays.set", "workdays.remove", "workdays.remove"]


def test_bad_edits_are_refused_in_chinese(db: Session, world, clock) -> None:
    with pytest.raises(Unprocessable, match="名称"):
        service.set_day(
            db, clock=clock, staff=world.admin, day=date(2027, 1, 1), working=False, name=" "
        )
    with pytest.raises(NotFound):
        service.remove_day(db, clock=clock, staff=world.admin, day=date(2027, 3, 3))
