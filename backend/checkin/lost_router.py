"""Staff API for 失联 cases: the same service functions and input models as the console."""

from __future__ import annotations

from fastapi import Query
from fastapi.responses import Response

from backend.accounts.deps import CurrentStaff, StaffScope
from backend.checkin import lost, lost_actions
from backend.checkin.lost_schemas import (
    CloseIn,
    InvestigationIn,
    LostCaseDetail,
    LostCasesPage,
    NoteIn,
    PauseDecisionIn,
)
from backend.core.deps import ClockDep, SessionDep
from backend.core.inputs import Count, Id
from backend.core.openapi import XLSX_DOWNLOAD
from backend.core.routing import APIRouter
from backend.core.xlsx import xlsx_response

router = APIRouter(prefix="/api/v1/staff/lost-cases", tags=["工作人员：失联"])


@router.get("", response_model=LostCasesPage, summary="失联记录（处理中的在前）")
def list_cases(
    db: SessionDep,
    clock: ClockDep,
    scope: StaffScope,
    status: str | None = Query(default=None, pattern="^(open|closed)$"),
    limit: int = Query(default=100, ge=1, le=500),
    offset: Count = 0,
) -> LostCasesPage:
    return lost.list_cases(db, clock=clock, scope=scope, status=status, limit=limit, offset=offset)


@router.get("/reports", response_model=LostCasesPage, summary="下级单位报上来的失联情况")
def reports(
    db: SessionDep,
    clock: ClockDep,
    scope: StaffScope,
    limit: int = Query(default=100, ge=1, le=500),
    offset: Count = 0,
) -> LostCasesPage:
    return lost.reports(db, clock=clock, scope=scope, limit=limit, offset=offset)


@router.get(
    "/reports.xlsx",
    summary="失联情况报告（Excel）",
    responses=XLSX_DOWNLOAD,
    response_class=Response,
)
def reports_xlsx(db: SessionDep, clock: ClockDep, scope: StaffScope) -> Response:
    data = lost.report_xlsx(db, clock=clock, scope=scope)
    return xlsx_response(data, "lost-contact-report.xlsx")


@router.get("/{lost_case_id}", response_model=LostCaseDetail, summary="一个失联记录和它的经过")
def get_case(
    lost_case_id: Id, db: SessionDep, clock: ClockDep, scope: StaffScope
) -> LostCaseDetail:
    return lost_actions.detail(db, clock=clock, scope=scope, case_id=lost_case_id)


@router.post(
    "/{lost_case_id}/investigation", response_model=LostCaseDetail, summary="定调查人和期限"
)
def assign(
    lost_case_id: Id,
    body: InvestigationIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> LostCaseDetail:
    lost_actions.assign(db, clock=clock, staff=me, scope=scope, case_id=lost_case_id, data=body)
    return lost_actions.detail(db, clock=clock, scope=scope, case_id=lost_case_id)


@router.post("/{lost_case_id}/notes", response_model=LostCaseDetail, summary="记下调查情况")
def add_note(
    lost_case_id: Id,
    body: NoteIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> LostCaseDetail:
    lost_actions.add_note(db, clock=clock, staff=me, scope=scope, case_id=lost_case_id, data=body)
    return lost_actions.detail(db, clock=clock, scope=scope, case_id=lost_case_id)


@router.post(
    "/{lost_case_id}/pause-decision", response_model=LostCaseDetail, summary="决定是否暂停发放"
)
def decide_pause(
    lost_case_id: Id,
    body: PauseDecisionIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> LostCaseDetail:
    lost_actions.decide_pause(
        db, clock=clock, staff=me, scope=scope, case_id=lost_case_id, data=body
    )
    return lost_actions.detail(db, clock=clock, scope=scope, case_id=lost_case_id)


@router.post("/{lost_case_id}/close", response_model=LostCaseDetail, summary="结案：联系上了")
def close(
    lost_case_id: Id,
    body: CloseIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> LostCaseDetail:
    lost_actions.close(db, clock=clock, staff=me, scope=scope, case_id=lost_case_id, data=body)
    return lost_actions.detail(db, clock=clock, scope=scope, case_id=lost_case_id)
