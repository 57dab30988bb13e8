"""The staff queue: what is open and when it is due, what is late, per kind; the export for the
higher department."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select

from backend.core.clock import Clock, as_utc, format_local
from backend.core.xlsx import Book
from backend.matters import views
from backend.matters.models import OPEN, Kind, Matter
from backend.matters.schemas import MattersPage


class Show(StrEnum):
    open = "open"
    late = "late"
    all = "all"


def _where(unit_ids: list[int], show: Show, kind: Kind | None, now: datetime) -> list[Any]:
    conditions: list[ColumnElement[bool]] = [col(Matter.unit_id).in_(unit_ids)]
    if kind is not None:
        conditions.append(col(Matter.kind) == kind.value)
    if show != Show.all:
        conditions.append(col(Matter.status).in_([s.value for s in OPEN]))
    if show == Show.late:
        conditions.append(col(Matter.due_at) <= now)
    return conditions


def page(
    db: Session,
    *,
    clock: Clock,
    unit_ids: list[int],
    show: Show = Show.open,
    kind: Kind | None = None,
    limit: int = 100,
    offset: int = 0,
) -> MattersPage:
    """Open matters by deadline (the nearest first); `all`: newest first."""
    now = clock.now()
    where = _where(unit_ids, show, kind, now)
    order = (
        [col(Matter.submitted_at).desc(), col(Matter.id).desc()]
        if show == Show.all
        else [col(Matter.due_at), col(Matter.id)]
    )
    rows = db.exec(select(Matter).where(*where).order_by(*order).offset(offset).limit(limit)).all()
    total = db.exec(select(func.count()).select_from(Matter).where(*where)).one()
    due, late = counts(db, unit_ids=unit_ids, now=now)
    return MattersPage(
        data=views.cards(db, list(rows), clock=clock), count=int(total), due=due, late=late
    )


def counts(
    db: Session, *, unit_ids: list[int], now: datetime
) -> tuple[dict[str, int], dict[str, int]]:
    """Open matters per kind: still within their deadline, and past it."""
    rows = db.exec(
        select(Matter.kind, Matter.due_at).where(
            col(Matter.unit_id).in_(unit_ids), col(Matter.status).in_([s.value for s in OPEN])
        )
    ).all()
    due = {k.value: 0 for k in Kind}
    late = {k.value: 0 for k in Kind}
    for kind, due_at in rows:
        bucket = late if as_utc(due_at) <= now else due
        bucket[kind] = bucket.get(kind, 0) + 1
    return due, late


HEADER = [
    "编号",
    "老同志",
    "职级",
    "单位",
    "事项",
    "办理方式",
    "内容",
    "提交时间",
    "期限",
    "状态",
    "是否超期",
    "军休所意见",
    "审批/阅知",
    "报省厅",
    "实际回来",
]


def export_xlsx(
    db: Session, *, clock: Clock, unit_ids: list[int], start: datetime, end: datetime
) -> bytes:
    """Every matter reported in [start, end), for the higher department: one row each."""
    rows = db.exec(
        select(Matter)
        .where(
            col(Matter.unit_id).in_(unit_ids),
            col(Matter.submitted_at) >= start,
            col(Matter.submitted_at) < end,
        )
        .order_by(col(Matter.submitted_at), col(Matter.id))
    ).all()
    book = Book("事项报告")
    sheet = book.first
    sheet.append(
        [f"事项报告 {format_local(start, '%Y-%m-%d')} 至 {format_local(end, '%Y-%m-%d')}（不含）"]
    )
    sheet.bold(sheet.append(HEADER), 1)
    for c in views.cards(db, list(rows), clock=clock):
        sheet.append(
            [
                c.id,
                c.retiree_name,
                c.retiree_level,
                c.unit_name,
                c.kind,
                c.flow,
                "；".join(f"{k}：{v}" for k, v in c.lines),
                format_local(c.submitted_at),
                c.due_day.isoformat(),
                c.status_label,
                "超期" if c.late else "",
                f"{c.signed_by or ''} {c.sign_note or ''}".strip(),
                " ".join(filter(None, [c.decided_by, format_local(c.decided_at), c.decision_note])),
                "是" if c.to_province else "",
                c.returned_on.isoformat() if c.returned_on else "",
            ]
        )
    sheet.widths([6, 10, 10, 14, 12, 8, 50, 16, 12, 10, 8, 20, 30, 8, 12])
    return book.to_bytes()
