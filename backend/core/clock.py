"""An injectable clock: all code asks `clock.now()` so tests can move time without sleeping."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """A clock that only moves when told to (tests, demos)."""

    def __init__(self, start: datetime) -> None:
        self._lock = threading.Lock()
        self._now = as_utc(start)

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, value: datetime) -> None:
        with self._lock:
            self._now = as_utc(value)

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self._now = self._now + delta


def as_utc(value: datetime) -> datetime:
    """Treat naive datetimes (as SQLite returns them) as UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def to_local(value: datetime) -> datetime:
    return as_utc(value).astimezone(SHANGHAI)


def format_local(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if value is None:
        return ""
    return to_local(value).strftime(fmt)


def month_day(day: date) -> str:
    """A day as a retiree reads it in a sentence: 3月19日."""
    return f"{day.month}月{day.day}日"


def full_date(day: date) -> str:
    """A day with its year, for documents and records: 2026年3月19日."""
    return f"{day.year}年{month_day(day)}"


def local_today(clock: Clock) -> date:
    """Today's date in Shanghai."""
    return to_local(clock.now()).date()


def from_local(value: datetime) -> datetime:
    """A time as people type it: without a zone it is a Shanghai wall-clock time. In UTC."""
    return as_utc(value.replace(tzinfo=SHANGHAI) if value.tzinfo is None else value)


def local_at(day: date, at: time) -> datetime:
    """The UTC instant of a Shanghai wall-clock time on a Shanghai date."""
    return as_utc(datetime.combine(day, at, tzinfo=SHANGHAI))


def local_day(day: date) -> tuple[datetime, datetime]:
    """[start, end) in UTC of a Shanghai calendar day."""
    start = local_at(day, time(0, 0))
    return start, start + timedelta(days=1)
