"""The monthly sheet as a file for the higher department: .xlsx, or a printable PDF with its
charts. Every export is audited (who took which month of which units)."""

from __future__ import annotations

from sqlmodel import Session

from backend.accounts import audit
from backend.accounts.models import StaffAccount, Unit
from backend.core.clock import Clock, format_local
from backend.core.pdf import PdfDoc
from backend.core.xlsx import Book
from backend.reports import monthly, views
from backend.reports.schemas import MonthlySheet


def _audit(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, sheet: MonthlySheet, fmt: str
) -> None:
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="report.monthly.export",
        entity="monthly_report",
        entity_id=sheet.month,
        unit_id=scope.id,
        after={"format": fmt, "month": sheet.month, "units": len(sheet.rows)},
    )


def _filename(sheet: MonthlySheet, ext: str) -> str:
    return f"月报-{sheet.month}.{ext}"


def xlsx(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, month: str | None
) -> tuple[str, bytes]:
    sheet = monthly.build(db, clock=clock, scope=scope, month=month)
    header, body = views.table(sheet)
    book = Book(sheet.month)
    ws = book.first
    ws.bold(ws.append([sheet.title]))
    ws.append([f"单位：{sheet.unit_name}", f"统计期间：{sheet.period}"])
    groups: list[object] = [""]
    for section in sheet.sections:
        groups.extend([section.title] + [""] * (section.span - 1))
    ws.append(groups)
    head = ws.append(header)
    for column in range(1, len(header) + 1):
        ws.bold(head, column)
    last = head
    for row in body:
        last = ws.append(row[:1] + [_number(text) for text in row[1:]])
    ws.bold(last)  # the total
    ws.append([])
    ws.append(["“—”：这一项的数字还没有接入。", f"导出时间：{format_local(clock.now())}"])
    ws.widths([18] + [11] * (len(header) - 1))
    _audit(db, clock=clock, staff=staff, scope=scope, sheet=sheet, fmt="xlsx")
    return _filename(sheet, "xlsx"), book.to_bytes()


def _number(text: str) -> object:
    """Counts go in as numbers (the department adds them up); rates and "—" stay text."""
    return int(text) if text.isdigit() else text


def pdf(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, month: str | None
) -> tuple[str, bytes]:
    sheet = monthly.build(db, clock=clock, scope=scope, month=month)
    doc = PdfDoc(sheet.title, subtitle=f"{sheet.unit_name} · 统计期间 {sheet.period}")
    for section in sheet.sections:
        columns = [c for c in sheet.columns if c.section == section.key]
        indexes = [sheet.columns.index(c) for c in columns]
        doc.heading(section.title)
        rows = [
            [r.unit_name, *(views.cell(r.values[i], sheet.columns[i].rate) for i in indexes)]
            for r in [*sheet.rows, sheet.total]
        ]
        doc.table(["单位", *(c.label for c in columns)], rows)
    for chart in sheet.charts:
        doc.bar_chart(
            chart.title, chart.labels, chart.values, line=chart.line, percent=chart.percent
        )
    doc.paragraph(f"“—”表示这一项的数字还没有接入。制表时间：{format_local(clock.now())}")
    doc.signatures(["填报单位负责人", "上级主管部门"])
    _audit(db, clock=clock, staff=staff, scope=scope, sheet=sheet, fmt="pdf")
    return _filename(sheet, "pdf"), doc.render()
