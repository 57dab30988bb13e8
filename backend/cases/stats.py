"""信访 figures for the monthly sheet (reports/sections.py), per unit, with GROUP BY in SQL.

- opened: cases received in [start, end) (every channel, the 意见箱 included);
- closed: cases closed in [start, end);
- late: cases whose due date fell in the period (up to today, when the period is not over)
  and that were not answered by then — still open, or answered after it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from backend.cases.models import Case
from backend.core.clock import to_local


def sheet_figures(
    db: Session, *, unit_ids: list[int], start: datetime, end: datetime
) -> dict[int, dict[str, int]]:
    in_units = col(Case.unit_id).in_(unit_ids)
    out: dict[int, dict[str, int]] = {}

    def put(key: str, rows: Sequence[tuple[int, int]]) -> None:
        for unit_id, n in rows:
            out.setdefault(int(unit_id), {})[key] = int(n)

    put(
        "cases_opened",
        db.exec(
            select(Case.unit_id, func.count())
            .where(in_units, col(Case.created_at) >= start, col(Case.created_at) < end)
            .group_by(col(Case.unit_id))
        ).all(),
    )
    put(
        "cases_closed",
        db.exec(
            select(Case.unit_id, func.count())
            .where(in_units, col(Case.closed_at) >= start, col(Case.closed_at) < end)
            .group_by(col(Case.unit_id))
        ).all(),
    )
    # Late: the due day ended inside the period (the sheet's `end` is now for the current
    # month) without an answer given by then (Shanghai days). Few rows: counted here.
    first_day = to_local(start).date()
    last_day = to_local(end).date()  # due days before this one have ended
    due = db.exec(
        select(col(Case.unit_id), col(Case.due_on), col(Case.replied_at)).where(
            in_units, col(Case.due_on) >= first_day, col(Case.due_on) < last_day
        )
    ).all()
    for unit_id, due_on, replied_at in due:
        if replied_at is None or to_local(replied_at).date() > due_on:
            figures = out.setdefault(int(unit_id), {})
            figures["cases_late"] = figures.get("cases_late", 0) + 1
    return out
