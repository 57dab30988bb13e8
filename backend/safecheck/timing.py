"""Times of day as minutes after Shanghai midnight, and quiet hours, in Python and in SQL.

Quiet hours run from `start` up to (not including) `end`; 21:00–07:00 wraps past midnight;
equal start and end mean no quiet hours. The scheduler asks the same question in SQL for every
plan at once (`quiet_sql`), so the two must agree (tests/safecheck/test_timing.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, literal, or_

from backend.core.clock import to_local

DAY_MINUTES = 24 * 60


def minute_of(moment: datetime) -> int:
    """Minutes after midnight of a moment, on the Shanghai clock."""
    local = to_local(moment)
    return local.hour * 60 + local.minute


def as_text(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def parse(value: str) -> int:
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def is_quiet(minute: int, start: int, end: int) -> bool:
    if start < end:
        return start <= minute < end
    if start > end:
        return minute >= start or minute < end
    return False


def quiet_sql(minute: int, start: Any, end: Any) -> ColumnElement[bool]:
    """SQL: the Shanghai minute `minute` lies in the quiet hours held in these columns."""
    m = literal(minute)
    return or_(
        and_(start < end, m >= start, m < end),
        and_(start > end, or_(m >= start, m < end)),
    )
