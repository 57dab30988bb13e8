"""Shapes of the monthly sheet (the JSON staff API returns MonthlySheet; the console, the .xlsx
and the PDF render the same object)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class SheetColumn(BaseModel):
    key: str
    label: str
    section: str
    rate: bool  # a percentage (value 0–1) rather than a count
    ready: bool  # False while the owning domain has not landed: its values are null ("—")


class SheetSection(BaseModel):
    key: str
    title: str
    span: int  # how many columns it has


class SheetRow(BaseModel):
    unit_id: int | None  # None on the total row
    unit_name: str
    depth: int  # how far below the staff member's own unit (0 for it, and for the total)
    values: list[float | None]  # one per column: a count, a rate 0–1, or null ("—")


class SheetChart(BaseModel):
    title: str
    labels: list[str]
    values: list[float]
    percent: bool
    line: float | None


class MonthlySheet(BaseModel):
    month: str  # "2026-11"
    title: str  # "2026年11月军休服务情况统计表"
    unit_name: str
    period: str  # "2026-11-01 至 2026-11-30" (up to today in the current month)
    generated_at: datetime
    sections: list[SheetSection]
    columns: list[SheetColumn]
    rows: list[SheetRow]
    total: SheetRow
    charts: list[SheetChart]
