"""Staff API for the monthly statistics sheet: the figures as JSON, and the same sheet as .xlsx
or as a printable PDF. The console calls the same service functions."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from fastapi.responses import Response

from backend.accounts.deps import CurrentStaff, StaffScope
from backend.core.deps import ClockDep, SessionDep
from backend.core.openapi import PDF_DOWNLOAD, XLSX_DOWNLOAD
from backend.core.pdf import pdf_response
from backend.core.routing import APIRouter
from backend.core.xlsx import xlsx_response
from backend.reports import export, monthly
from backend.reports.schemas import MonthlySheet

router = APIRouter(prefix="/api/v1/staff/reports", tags=["工作人员：统计报表"])

# "2026-11"; empty for this month. Checked by the service (a clear Chinese message).
MonthParam = Annotated[str | None, Query(max_length=20, description="月份，如 2026-11")]


@router.get("/monthly", response_model=MonthlySheet, summary="月度统计表（各单位）")
def sheet(
    db: SessionDep, clock: ClockDep, scope: StaffScope, month: MonthParam = None
) -> MonthlySheet:
    return monthly.build(db, clock=clock, scope=scope, month=month)


@router.get(
    "/monthly.xlsx",
    summary="导出月度统计表（Excel）",
    responses=XLSX_DOWNLOAD,
    response_class=Response,
)
def sheet_xlsx(
    db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope, month: MonthParam = None
) -> Response:
    name, data = export.xlsx(db, clock=clock, staff=me, scope=scope, month=month)
    return xlsx_response(data, "monthly.xlsx", name=name)


@router.get(
    "/monthly.pdf",
    summary="打印月度统计表（PDF，带图表）",
    responses=PDF_DOWNLOAD,
    response_class=Response,
)
def sheet_pdf(
    db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope, month: MonthParam = None
) -> Response:
    name, data = export.pdf(db, clock=clock, staff=me, scope=scope, month=month)
    return pdf_response(data, name)
