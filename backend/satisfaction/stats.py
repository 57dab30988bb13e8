"""Satisfied rate = (满意 + 基本满意) / all ratings given, per unit subtree, per period, per source
(mva-order-5-2021 第三十五条, jl-junxiu-rules-2021 第五十四条: satisfaction is the main measure;
sx-monthly-pension-spec 4.1.5: 90% or more). Only given ratings count; a question nobody answered
is not a "不满意". A rating counts in the period it was first given (Shanghai dates).

Two queries whatever the number of units: the counts grouped by the unit they were given in, and
the units' paths to add each one into every unit above it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import case
from sqlmodel import Session, col, func, select

from backend.accounts import directory
from backend.core.clock import local_day
from backend.satisfaction.models import SatisfactionRating
from backend.satisfaction.schemas import (
    SATISFIED,
    SOURCE_LABELS,
    TARGET,
    RatesReport,
    Source,
    UnitRate,
)


def _bounds(start: date | datetime, end: date | datetime) -> tuple[datetime, datetime]:
    """Dates: Shanghai days, both included. Datetimes: the instants [start, end)."""
    lower = start if isinstance(start, datetime) else local_day(start)[0]
    upper = end if isinstance(end, datetime) else local_day(end)[0] + timedelta(days=1)
    return lower, upper


def _counts(
    db: Session, *, start: date | datetime, end: date | datetime, source: Source | None
) -> dict[int, tuple[int, int]]:
    """(rated, satisfied) by the unit the rating was given in."""
    lower, upper = _bounds(start, end)
    satisfied = func.sum(case((col(SatisfactionRating.score).in_(SATISFIED), 1), else_=0))
    query = (
        select(SatisfactionRating.unit_id, func.count(), satisfied)
        .where(
            col(SatisfactionRating.score).is_not(None),
            col(SatisfactionRating.rated_at) >= lower,
            col(SatisfactionRating.rated_at) < upper,
        )
        .group_by(col(SatisfactionRating.unit_id))
    )
    if source is not None:
        query = query.where(SatisfactionRating.source == source.value)
    return {int(u): (int(n), int(s or 0)) for u, n, s in db.exec(query).all()}


def _rate(rated: int, satisfied: int) -> float | None:
    return satisfied / rated if rated else None


def _rolled_up(
    db: Session, unit_ids: Iterable[int], counts: dict[int, tuple[int, int]]
) -> dict[int, tuple[int, int]]:
    wanted = list(dict.fromkeys(unit_ids))
    units = directory.units(db, [*wanted, *counts])
    totals: dict[int, tuple[int, int]] = {}
    for unit_id in wanted:
        root = units.get(unit_id)
        rated = satisfied = 0
        if root is not None:
            for given_in, (n, s) in counts.items():
                unit = units.get(given_in)
                if unit is not None and unit.path.startswith(root.path):
                    rated += n
                    satisfied += s
        totals[unit_id] = (rated, satisfied)
    return totals


def monthly_figures(
    db: Session,
    *,
    unit_ids: Iterable[int],
    start: date | datetime,
    end: date | datetime,
    source: Source | None = None,
) -> dict[int, dict[str, Any]]:
    """For each unit id (its whole subtree): {"rated", "satisfied", "rate"} over the period.
    `rate` is a fraction (0.93) or None when nobody rated. Dates are Shanghai days, both
    included (a month: its 1st to its last day); datetimes are the instants [start, end)."""
    counts = _counts(db, start=start, end=end, source=source)
    return {
        unit_id: {"rated": n, "satisfied": s, "rate": _rate(n, s)}
        for unit_id, (n, s) in _rolled_up(db, unit_ids, counts).items()
    }


def sheet_figures(
    db: Session, *, unit_ids: list[int], start: datetime, end: datetime
) -> dict[int, dict[str, int]]:
    """For the monthly sheet, which adds units up itself: ratings given in each unit (not its
    subtree) in [start, end)."""
    wanted = set(unit_ids)
    return {
        unit_id: {"ratings": n, "satisfied": s}
        for unit_id, (n, s) in _counts(db, start=start, end=end, source=None).items()
        if unit_id in wanted
    }


def _unit_rate(unit_id: int, name: str, rated: int, satisfied: int) -> UnitRate:
    rate = _rate(rated, satisfied)
    return UnitRate(
        unit_id=unit_id,
        unit_name=name,
        rated=rated,
        satisfied=satisfied,
        rate=rate,
        meets_target=None if rate is None else rate >= TARGET,
    )


def unit_rates(
    db: Session,
    *,
    unit_ids: Iterable[int],
    start: date | datetime,
    end: date | datetime,
    source: Source | None = None,
) -> list[UnitRate]:
    """Each unit's rate (its subtree), in the order given, with its name and whether it reaches
    the 90% line."""
    wanted = list(dict.fromkeys(unit_ids))
    figures = monthly_figures(db, unit_ids=wanted, start=start, end=end, source=source)
    names = directory.unit_names(db, wanted)
    return [
        _unit_rate(u, names.get(u, ""), figures[u]["rated"], figures[u]["satisfied"])
        for u in wanted
    ]


def report(
    db: Session,
    *,
    root_id: int,
    unit_ids: list[int],
    start: date,
    end: date,
    source: Source | None,
) -> RatesReport:
    """The console page and the PDF: the staff member's whole scope, then each unit in it."""
    rows = unit_rates(db, unit_ids=[root_id, *unit_ids], start=start, end=end, source=source)
    total, units = rows[0], [r for r in rows[1:] if r.unit_id != root_id]
    return RatesReport(
        start=start,
        end=end,
        source=source.value if source else None,
        source_label=SOURCE_LABELS[source] if source else "全部",
        target=TARGET,
        total=total,
        units=units,
    )
