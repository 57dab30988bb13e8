"""The one way to make a printable PDF (审批表, 案卷, 讣告, 月报, 证明): a `PdfDoc` that takes
headings, paragraphs, label/value grids, tables, bar charts and signature lines, and renders A4.

Chinese text uses reportlab's built-in STSong-Light CID font: the PDF names the font and the
reader supplies the glyphs (every PDF reader ships the Adobe Asian font packs or substitutes),
so no font file is shipped or embedded and a document stays a few KB.

reportlab is imported when a document is rendered, not with the server (a worker that never
prints anything does not carry it)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from fastapi import Response

FONT = "STSong-Light"
_font_registered = False


def _register_font() -> None:
    global _font_registered
    if _font_registered:
        return
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    _font_registered = True


def _escape(text: str) -> str:
    """Paragraph text is reportlab's mini-markup: escape it, keep line breaks."""
    cleaned = "".join(ch for ch in text if ch in "\n\t" or ord(ch) >= 32)
    return html.escape(cleaned, quote=False).replace("\n", "<br/>")


@dataclass
class _Chart:
    title: str
    labels: list[str]
    values: list[float]
    line: float | None
    percent: bool


@dataclass
class PdfDoc:
    """Build a document top to bottom, then `render()` it to bytes."""

    title: str
    subtitle: str | None = None
    _parts: list[tuple[str, Any]] = field(default_factory=list)

    def heading(self, text: str) -> PdfDoc:
        self._parts.append(("heading", text))
        return self

    def paragraph(self, text: str) -> PdfDoc:
        self._parts.append(("paragraph", text))
        return self

    def fields(self, rows: list[tuple[str, str]]) -> PdfDoc:
        """A label/value grid, two pairs per line, like a printed form."""
        self._parts.append(("fields", [(str(k), "" if v is None else str(v)) for k, v in rows]))
        return self

    def table(
        self, header: list[str], rows: list[list[str]], col_widths: list[float] | None = None
    ) -> PdfDoc:
        """col_widths are fractions of the page's text width (they should add up to 1)."""
        body = [[("" if c is None else str(c)) for c in row] for row in rows]
        self._parts.append(("table", (list(header), body, col_widths)))
        return self

    def bar_chart(
        self,
        title: str,
        labels: list[str],
        values: list[float],
        *,
        line: float | None = None,
        percent: bool = False,
    ) -> PdfDoc:
        """Vertical bars; `line` draws a target (e.g. 0.90 for the 90% line); `percent` shows
        values 0–1 as percentages."""
        self._parts.append(("chart", _Chart(title, list(labels), list(values), line, percent)))
        return self

    def signatures(self, labels: list[str]) -> PdfDoc:
        """A signature line and a date line for each label (负责人, 上级主管部门 …)."""
        self._parts.append(("signatures", list(labels)))
        return self

    def page_break(self) -> PdfDoc:
        self._parts.append(("page_break", None))
        return self

    def render(self) -> bytes:
        return _render(self)


def _render(doc: PdfDoc) -> bytes:
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    _register_font()
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=doc.title,
        author="军休服务助手",
    )
    flow = _Flow(template.width)
    flow.title(doc.title, doc.subtitle)
    for kind, value in doc._parts:
        getattr(flow, kind)(value)
    template.build(flow.items, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()


def _footer(canvas: Any, document: Any) -> None:
    from reportlab.lib.units import mm

    canvas.saveState()
    canvas.setFont(FONT, 9)
    canvas.drawCentredString(document.pagesize[0] / 2, 10 * mm, f"第 {document.page} 页")
    canvas.restoreState()


class _Flow:
    """Turns the document's parts into reportlab flowables."""

    def __init__(self, width: float) -> None:
        from reportlab.lib.styles import ParagraphStyle

        self.width = width
        self.items: list[Any] = []
        self.styles = {
            "title": ParagraphStyle("t", fontName=FONT, fontSize=18, leading=26, alignment=1),
            "subtitle": ParagraphStyle("s", fontName=FONT, fontSize=11, leading=16, alignment=1),
            "heading": ParagraphStyle(
                "h", fontName=FONT, fontSize=13, leading=20, spaceBefore=8, spaceAfter=4
            ),
            "body": ParagraphStyle("b", fontName=FONT, fontSize=11, leading=18, spaceAfter=4),
            "cell": ParagraphStyle("c", fontName=FONT, fontSize=10, leading=14),
        }

    def _p(self, text: str, style: str) -> Any:
        from reportlab.platypus import Paragraph

        return Paragraph(_escape(text), self.styles[style])

    def _space(self, height: float = 6) -> None:
        from reportlab.platypus import Spacer

        self.items.append(Spacer(1, height))

    def title(self, title: str, subtitle: str | None) -> None:
        self.items.append(self._p(title, "title"))
        if subtitle:
            self.items.append(self._p(subtitle, "subtitle"))
        self._space(10)

    def heading(self, text: str) -> None:
        self.items.append(self._p(text, "heading"))

    def paragraph(self, text: str) -> None:
        self.items.append(self._p(text, "body"))

    def fields(self, rows: list[tuple[str, str]]) -> None:
        cells = [[self._p(k, "cell"), self._p(v, "cell")] for k, v in rows]
        grid = [
            cells[i] + (cells[i + 1] if i + 1 < len(cells) else ["", ""])
            for i in range(0, len(cells), 2)
        ]
        label, value = 0.16 * self.width, 0.34 * self.width
        self._grid(grid, [label, value, label, value], shade_columns=(0, 2))

    def table(self, value: tuple[list[str], list[list[str]], list[float] | None]) -> None:
        header, rows, fractions = value
        columns = max(len(header), 1)
        widths = [f * self.width for f in (fractions or [1 / columns] * columns)]
        grid = [[self._p(h, "cell") for h in header]] + [
            [self._p(c, "cell") for c in row] for row in rows
        ]
        self._grid(grid, widths, header=True)

    def _grid(
        self,
        grid: list[list[Any]],
        widths: list[float],
        *,
        header: bool = False,
        shade_columns: tuple[int, ...] = (),
    ) -> None:
        from reportlab.lib import colors
        from reportlab.platypus import Table, TableStyle

        if not grid:
            return
        style: list[tuple[Any, ...]] = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")))
        for column in shade_columns:
            style.append(("BACKGROUND", (column, 0), (column, -1), colors.HexColor("#F4F4F4")))
        table = Table(grid, colWidths=widths, repeatRows=1 if header else 0)
        table.setStyle(TableStyle(style))
        self.items.append(table)
        self._space(8)

    def chart(self, chart: _Chart) -> None:
        self.heading(chart.title)
        self.items.append(_bar_drawing(chart, self.width))
        self._space(8)

    def signatures(self, labels: list[str]) -> None:
        self._space(16)
        for label in labels:
            self.items.append(
                self._p(f"{label}（签字）：__________________    日期：____年____月____日", "body")
            )
            self._space(10)

    def page_break(self, _: None) -> None:
        from reportlab.platypus import PageBreak

        self.items.append(PageBreak())


def _bar_drawing(chart: _Chart, width: float) -> Any:
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, Line, String
    from reportlab.lib import colors

    height = 200
    drawing = Drawing(width, height)
    bars = VerticalBarChart()
    bars.x, bars.y = 40, 40
    bars.width, bars.height = width - 60, height - 60
    values = [float(v) for v in chart.values] or [0.0]
    top = max(values + [chart.line or 0.0])
    top = 1.0 if chart.percent and top <= 1.0 else (top * 1.15 or 1.0)
    bars.data = [values]
    bars.valueAxis.valueMin = 0
    bars.valueAxis.valueMax = top
    bars.valueAxis.labels.fontName = FONT
    bars.valueAxis.labelTextFormat = (lambda v: f"{v * 100:.0f}%") if chart.percent else None
    bars.categoryAxis.categoryNames = chart.labels or [""]
    bars.categoryAxis.labels.fontName = FONT
    bars.categoryAxis.labels.fontSize = 8
    bars.bars[0].fillColor = colors.HexColor("#3A6EA5")
    bars.barLabelFormat = (lambda v: f"{v * 100:.1f}%") if chart.percent else (lambda v: f"{v:g}")
    bars.barLabels.fontName = FONT
    bars.barLabels.fontSize = 8
    bars.barLabels.nudge = 7
    drawing.add(bars)
    if chart.line is not None and top:
        y = bars.y + bars.height * (chart.line / top)
        drawing.add(Line(bars.x, y, bars.x + bars.width, y, strokeColor=colors.red, strokeWidth=1))
        text = f"{chart.line * 100:.0f}%" if chart.percent else f"{chart.line:g}"
        drawing.add(String(bars.x + bars.width - 30, y + 3, text, fontName=FONT, fontSize=8))
    return drawing


def pdf_response(content: bytes, filename: str) -> Response:
    """Shown in the browser (inline), saved under a Chinese name with an ASCII fallback."""
    safe = "".join(ch for ch in filename if ch not in '\\/:*?"<>|\r\n') or "document.pdf"
    if not safe.lower().endswith(".pdf"):
        safe += ".pdf"
    disposition = f"inline; filename=\"document.pdf\"; filename*=UTF-8''{quote(safe)}"
    return Response(
        content=content,
        media_type="application/pdf",
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
    )
