"""The monthly statistics sheet for the higher department (sx-monthly-pension-spec 7.1.1–7.1.3,
mva-order-5-2021 第三十五条): per unit of the staff member's subtree, plus a total, for one
Shanghai calendar month. Every figure comes from its owning domain (registry.py); each domain
answers for all units at once, so the sheet costs the same few queries for 3 units or 30."""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlmodel import Session

from backend.accounts import units
from backend.accounts.models import Unit
from backend.core.actors import persisted_id
from backend.core.clock import Clock, local_at, to_local
from backend.core.errors import BadRequest
from backend.reports.registry import Column, Section, sections
from backend.reports.schemas import (
    MonthlySheet,
    SheetChart,
    SheetColumn,
    SheetRow,
    SheetSection,
)

FIRST_YEAR = 2000
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
BAD_MONTH = "月份不对。请选一个月份，比如 2026-11。"
FUTURE_MONTH = "这个月还没到，没有数字。请选本月或以前的月份。"


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def key(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) in UTC: Shanghai midnight of the 1st to midnight of the next 1st."""
        following = Month(self.year + self.month // 12, self.month % 12 + 1)
        return local_at(self.first_day, time(0)), local_at(following.first_day, time(0))


def this_month(clock: Clock) -> Month:
    local = to_local(clock.now())
    return Month(local.year, local.month)


def parse_month(clock: Clock, text: str | None) -> Month:
    """'2026-11' → that month; empty → this month. Not a month, or a month still to come, is a
    clear 400."""
    if not text or not text.strip():
        return this_month(clock)
    match = _MONTH.match(text.strip())
    if match is None:
        raise BadRequest(BAD_MONTH)
    month = Month(int(match.group(1)), int(match.group(2)))
    if not (1 <= month.month <= 12) or month.year < FIRST_YEAR:
        raise BadRequest(BAD_MONTH)
    current = this_month(clock)
    if (month.year, month.month) > (current.year, current.month):
        raise BadRequest(FUTURE_MONTH)
    return month


def _value(column: Column, figures: Mapping[str, int], ready: bool) -> float | None:
    if not ready:
        return None
    if column.ratio is None:
        return float(figures.get(column.key, 0))
    numerator, denominator = (figures.get(k, 0) for k in column.ratio)
    return round(numerator / denominator, 4) if denominator else None


def build(db: Session, *, clock: Clock, scope: Unit, month: str | None) -> MonthlySheet:
    chosen = parse_month(clock, month)
    start, end = chosen.bounds()
    now = clock.now()
    cut = min(end, now)  # the current month counts up to now
    tree = units.subtree(db, scope)
    unit_ids = [persisted_id(u) for u in tree]
    registered = sections()
    per_unit: dict[int, dict[str, int]] = {uid: {} for uid in unit_ids}
    for section in registered:
        if section.fn is None:
            continue
        for unit_id, figures in section.fn(db, unit_ids=unit_ids, start=start, end=cut).items():
            target = per_unit.get(unit_id)
            if target is None:
                continue
            for key, count in figures.items():
                target[key] = target.get(key, 0) + int(count)
    totals: dict[str, int] = {}
    for figures in per_unit.values():
        for key, count in figures.items():
            totals[key] = totals.get(key, 0) + count
    columns = [(s, c, s.fn is not None) for s in registered for c in s.columns]
    base_depth = scope.path.count("/")
    rows = [
        SheetRow(
            unit_id=persisted_id(u),
            unit_name=u.name,
            depth=u.path.count("/") - base_depth,
            values=[_value(c, per_unit[persisted_id(u)], ok) for _s, c, ok in columns],
        )
        for u in tree
    ]
    total = SheetRow(
        unit_id=None,
        unit_name="合计",
        depth=0,
        values=[_value(c, totals, ok) for _s, c, ok in columns],
    )
    last = min(chosen.last_day, to_local(now).date())
    return MonthlySheet(
        month=chosen.key,
        title=f"{chosen.label}军休服务情况统计表",
        unit_name=scope.name,
        period=f"{chosen.first_day.isoformat()} 至 {last.isoformat()}",
        generated_at=now,
        sections=[SheetSection(key=s.key, title=s.title, span=len(s.columns)) for s in registered],
        columns=[
            SheetColumn(key=c.key, label=c.label, section=s.key, rate=c.ratio is not None, ready=ok)
            for s, c, ok in columns
        ],
        rows=rows,
        total=total,
        charts=_charts(columns, rows),
    )


def _charts(columns: list[tuple[Section, Column, bool]], rows: list[SheetRow]) -> list[SheetChart]:
    charts = []
    for index, (_section, column, ready) in enumerate(columns):
        if not column.chart or not ready:
            continue
        charts.append(
            SheetChart(
                title=f"各单位{column.label}",
                labels=[r.unit_name for r in rows],
                values=[r.values[index] or 0.0 for r in rows],
                percent=column.ratio is not None,
                line=column.line,
            )
        )
    return charts
