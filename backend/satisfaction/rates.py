"""The rates page: every unit in the staff member's scope over a period, against the 90% line;
the same as a PDF with a bar chart."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import Session

from backend.accounts import units
from backend.core.pdf import PdfDoc
from backend.satisfaction import stats
from backend.satisfaction.schemas import RatesQuery, RatesReport

if TYPE_CHECKING:
    from backend.accounts.models import Unit


def unit_ids(db: Session, scope: Unit) -> list[int]:
    return [u.id or 0 for u in units.subtree(db, scope)]


def for_scope(db: Session, *, scope: Unit, query: RatesQuery) -> RatesReport:
    """The scope as a whole, then each unit under it (each with its own subtree)."""
    below = [u.id or 0 for u in units.subtree(db, scope) if u.id != scope.id]
    return stats.report(
        db,
        root_id=scope.id or 0,
        unit_ids=below,
        start=query.start,
        end=query.end,
        source=query.source,
    )


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def to_pdf(report: RatesReport, scope_name: str) -> bytes:
    period = f"{report.start:%Y年%m月%d日}至{report.end:%Y年%m月%d日}"
    doc = PdfDoc("满意率统计", subtitle=f"{scope_name}　{period}　{report.source_label}")
    rows = [report.total, *report.units]
    doc.paragraph(
        f"满意率 =（满意 + 基本满意）÷ 评价总数。目标：90%以上（山西省地方标准 4.1.5，"
        f"征求意见稿）。合计 {report.total.rated} 条评价，满意率 {percent(report.total.rate)}。"
    )
    rated = [r for r in rows if r.rate is not None]
    if rated:
        doc.bar_chart(
            "各单位满意率",
            [r.unit_name for r in rated],
            [r.rate or 0.0 for r in rated],
            line=report.target,
            percent=True,
        )
    doc.table(
        ["单位", "评价数", "满意和基本满意", "满意率", "是否达到90%"],
        [
            [
                r.unit_name,
                str(r.rated),
                str(r.satisfied),
                percent(r.rate),
                "—" if r.meets_target is None else ("达到" if r.meets_target else "未达到"),
            ]
            for r in rows
        ],
    )
    return doc.render()
