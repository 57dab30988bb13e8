"""The State Council's 2026 holiday schedule (国办发明电〔2025〕7号): days off on weekdays and
weekend days worked. Seeded by migration 0021; later years are entered by staff."""

from __future__ import annotations

from datetime import date, timedelta


def _span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


OFF: dict[str, list[date]] = {
    "元旦": _span(date(2026, 1, 1), date(2026, 1, 3)),
    "春节": _span(date(2026, 2, 15), date(2026, 2, 23)),
    "清明节": _span(date(2026, 4, 4), date(2026, 4, 6)),
    "劳动节": _span(date(2026, 5, 1), date(2026, 5, 5)),
    "端午节": _span(date(2026, 6, 19), date(2026, 6, 21)),
    "中秋节": _span(date(2026, 9, 25), date(2026, 9, 27)),
    "国庆节": _span(date(2026, 10, 1), date(2026, 10, 7)),
}

WORKED: dict[str, list[date]] = {
    "元旦调休上班": [date(2026, 1, 4)],
    "春节调休上班": [date(2026, 2, 14), date(2026, 2, 28)],
    "劳动节调休上班": [date(2026, 5, 9)],
    "国庆节调休上班": [date(2026, 9, 20), date(2026, 10, 10)],
}


def rows() -> list[tuple[date, bool, str]]:
    """(day, working, name) for every date that differs from the plain week."""
    out: list[tuple[date, bool, str]] = []
    for name, days in OFF.items():
        out += [(d, False, name) for d in days if d.weekday() < 5]
    for name, days in WORKED.items():
        out += [(d, True, name) for d in days]
    return sorted(out)
