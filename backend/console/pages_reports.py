"""Console page for the monthly statistics sheet: a month picker, the table per unit, bar
charts, and one-click .xlsx and PDF (the same services as the staff API)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, Response

from backend.console.auth import ConsoleStaff, scope_of
from backend.console.page_router import page_router
from backend.console.render import page
from backend.core.deps import ClockDep, SessionDep
from backend.core.pdf import pdf_response
from backend.core.xlsx import xlsx_response
from backend.reports import export, monthly, views

router = page_router("/reports")
Month = Annotated[str | None, Query(max_length=20)]


@router.get("/monthly", response_class=HTMLResponse)
def sheet(
    request: Request, db: SessionDep, clock: ClockDep, _: ConsoleStaff, month: Month = None
) -> HTMLResponse:
    result = monthly.build(db, clock=clock, scope=scope_of(request), month=month)
    header, body = views.table(result)
    return page(
        request,
        "reports_monthly.html",
        {
            "nav": "reports",
            "s": result,
            "header": header,
            "body": body,
            "charts": [views.svg_chart(c) for c in result.charts],
            "latest": monthly.this_month(clock).key,
        },
    )


@router.get("/monthly.xlsx")
def sheet_xlsx(
    request: Request, db: SessionDep, clock: ClockDep, me: ConsoleStaff, month: Month = None
) -> Response:
    name, data = export.xlsx(db, clock=clock, staff=me, scope=scope_of(request), month=month)
    return xlsx_response(data, "monthly.xlsx", name=name)


@router.get("/monthly.pdf")
def sheet_pdf(
    request: Request, db: SessionDep, clock: ClockDep, me: ConsoleStaff, month: Month = None
) -> Response:
    name, data = export.pdf(db, clock=clock, staff=me, scope=scope_of(request), month=month)
    return pdf_response(data, name)
