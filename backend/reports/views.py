"""How the monthly sheet reads: cell text ("12", "93.5%", "—") and the console's inline SVG bar
charts (geometry computed here, drawn by the template)."""

from __future__ import annotations

from dataclasses import dataclass

from backend.reports.schemas import MonthlySheet, SheetChart, SheetRow

DASH = "—"


def cell(value: float | None, rate: bool) -> str:
    if value is None:
        return DASH
    if rate:
        return f"{value * 100:.1f}%"
    return str(int(value))


def row_cells(sheet: MonthlySheet, row: SheetRow) -> list[str]:
    return [cell(v, c.rate) for v, c in zip(row.values, sheet.columns, strict=True)]


def table(sheet: MonthlySheet) -> tuple[list[str], list[list[str]]]:
    """Header and body (units, then the total) as text, for the .xlsx, the PDF and the page."""
    header = ["单位", *(c.label for c in sheet.columns)]
    body = [
        ["　" * r.depth + r.unit_name, *row_cells(sheet, r)] for r in [*sheet.rows, sheet.total]
    ]
    return header, body


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    text: str


@dataclass(frozen=True)
class SvgChart:
    title: str
    width: int
    height: int
    bars: list[Bar]
    line_y: float | None
    line_text: str
    baseline: float


def svg_chart(chart: SheetChart) -> SvgChart:
    """Bars scaled to the chart's largest value (or to 100% for rates)."""
    width, height, top, bottom, left = 640, 240, 20, 48, 10
    plot = height - top - bottom
    peak = 1.0 if chart.percent else max([*chart.values, 1.0])
    slot = (width - 2 * left) / max(len(chart.values), 1)
    bars = []
    for i, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        h = plot * min(value / peak, 1.0)
        bars.append(
            Bar(
                x=round(left + i * slot + slot * 0.15, 1),
                y=round(top + plot - h, 1),
                width=round(slot * 0.7, 1),
                height=round(h, 1),
                label=label,
                text=cell(value, chart.percent),
            )
        )
    line_y = None
    if chart.line is not None:
        line_y = round(top + plot - plot * min(chart.line / peak, 1.0), 1)
    line_text = cell(chart.line, chart.percent) if chart.line is not None else ""
    return SvgChart(chart.title, width, height, bars, line_y, line_text, float(top + plot))
