"""Console pages of 医疗费补助: the 「先救治后补手续」证明 (第二十三条) in one click from the
retiree page, and the yearly summary per unit as .xlsx. Same service functions as the staff API."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from backend.accounts import units
from backend.console.auth import ConsoleStaff, scope_of
from backend.core.clock import local_today
from backend.core.deps import ClockDep, SessionDep
from backend.core.openapi import XLSX_TYPE
from backend.core.pdf import pdf_response
from backend.medical import certificate, service

router = APIRouter(prefix="/medical")


@router.get("/retirees/{retiree_id}/rescue.pdf")
def rescue_pdf(
    request: Request, retiree_id: int, db: SessionDep, clock: ClockDep, me: ConsoleStaff
) -> Response:
    data = certificate.rescue_pdf(
        db, clock=clock, staff=me, scope=scope_of(request), retiree_id=retiree_id
    )
    return pdf_response(data, "先救治后补手续证明.pdf")


@router.get("/summary.xlsx")
def summary_xlsx(request: Request, db: SessionDep, clock: ClockDep, _: ConsoleStaff) -> Response:
    year = local_today(clock).year
    data = service.summary_xlsx(db, units.subtree_ids(db, scope_of(request)), year)
    return Response(
        data,
        media_type=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="medical-{year}.xlsx"'},
    )
