"""Console pages of 医疗费补助: the year's claims of the staff's units, one claim with each
receipt's photo and the buttons to take it or send it back with a reason, approving with a pay
date, the 「先救治后补手续」证明 (第二十三条) in one click from the retiree page, and the yearly
summary per unit as .xlsx. Same service functions and input schemas as the staff API; every
write audited there."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from backend.accounts import units
from backend.console.auth import ConsoleStaff, scope_of
from backend.console.forms import attempt, outcome
from backend.console.page_router import page_router
from backend.console.render import page
from backend.core.clock import local_today
from backend.core.deps import ClockDep, SessionDep, SettingsDep
from backend.core.pdf import pdf_response
from backend.core.xlsx import xlsx_response
from backend.medical import certificate, service, views
from backend.medical.schemas import ApproveIn, ReceiptCheckIn

router = page_router("/medical")
HERE = "/console/medical"


@router.get("", response_class=HTMLResponse)
def claims_page(
    request: Request, db: SessionDep, clock: ClockDep, _: ConsoleStaff, year: int | None = None
) -> HTMLResponse:
    this_year = local_today(clock).year
    shown = year if year is not None and 1900 <= year <= this_year + 1 else this_year
    rows = service.claims_under(db, units.subtree_ids(db, scope_of(request)), shown)
    return page(
        request,
        "medical.html",
        {
            "nav": "medical",
            "claims": views.staff(db, rows),
            "year": shown,
            "years": [this_year, this_year - 1, this_year - 2],
        },
    )


@router.get("/claims/{claim_id}", response_class=HTMLResponse)
def claim_page(
    request: Request, claim_id: int, db: SessionDep, clock: ClockDep, _: ConsoleStaff
) -> HTMLResponse:
    claim = service.claim_in_scope(db, scope_of(request), claim_id)
    return page(
        request,
        "medical_claim.html",
        {"nav": "medical", "c": views.staff(db, [claim])[0], "today": local_today(clock)},
    )


@router.get("/receipts/{receipt_id}/photo")
def receipt_photo(
    request: Request, receipt_id: int, db: SessionDep, settings: SettingsDep, _: ConsoleStaff
) -> FileResponse:
    path, media_type = service.receipt_photo(
        db, scope=scope_of(request), receipt_id=receipt_id, upload_dir=settings.upload_dir
    )
    return FileResponse(path, media_type=media_type)


@router.post("/claims/{claim_id}/receipts/{receipt_id}/check")
def check_receipt(
    request: Request,
    claim_id: int,
    receipt_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[ReceiptCheckIn, Form()],
) -> Response:
    _, error = attempt(
        db,
        lambda: service.check_receipt(
            db,
            clock=clock,
            staff=me,
            scope=scope_of(request),
            receipt_id=receipt_id,
            accept=form.accept,
            reason=form.reason,
        ),
    )
    done = "已收下这张票据。" if form.accept else "已退回这张票据，已告诉老同志原因。"
    return outcome(f"{HERE}/claims/{claim_id}", error, done)


@router.post("/claims/{claim_id}/approve")
def approve(
    request: Request,
    claim_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[ApproveIn, Form()],
) -> Response:
    _, error = attempt(
        db,
        lambda: service.approve(
            db,
            clock=clock,
            staff=me,
            scope=scope_of(request),
            claim_id=claim_id,
            pay_on=form.pay_on,
        ),
    )
    return outcome(f"{HERE}/claims/{claim_id}", error, "已批准，已告诉老同志补助金额和发放日期。")


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
    return xlsx_response(data, f"medical-{year}.xlsx")
