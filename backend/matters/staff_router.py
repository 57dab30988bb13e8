"""Staff API for 事项报告: the same service functions and input schemas as the console."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query, Response
from sqlmodel import Session

from backend.accounts import units
from backend.accounts.deps import CurrentStaff, StaffScope
from backend.core.clock import Clock, local_day, local_today
from backend.core.deps import ClockDep, SessionDep
from backend.core.errors import BadRequest
from backend.core.inputs import Count, Day, Id
from backend.core.openapi import XLSX_DOWNLOAD
from backend.core.pdf import pdf_response
from backend.core.routing import APIRouter
from backend.core.xlsx import xlsx_response
from backend.matters import printing, queue, service, views
from backend.matters.models import Kind, Matter
from backend.matters.schemas import (
    AcknowledgeIn,
    DecisionIn,
    MatterCard,
    MatterIn,
    MattersPage,
    QuarterlyIn,
    ReturnIn,
)

router = APIRouter(prefix="/api/v1/staff/matters", tags=["工作人员：事项报告"])


def _card(db: Session, clock: Clock, matter: Matter) -> MatterCard:
    return views.cards(db, [matter], clock=clock)[0]


@router.get("", response_model=MattersPage, summary="事项：待办、超期、全部（按类别）")
def list_matters(
    db: SessionDep,
    clock: ClockDep,
    scope: StaffScope,
    show: queue.Show = queue.Show.open,
    kind: Kind | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 100,
    offset: Count = 0,
) -> MattersPage:
    ids = units.subtree_ids(db, scope)
    return queue.page(
        db, clock=clock, unit_ids=ids, show=show, kind=kind, limit=limit, offset=offset
    )


def period(clock: Clock, start: date | None, end: date | None) -> tuple[date, date]:
    """[start, end] in Shanghai dates; by default this month so far."""
    today = local_today(clock)
    first = start or today.replace(day=1)
    last = end or today
    if last < first:
        raise BadRequest("结束日期不能早于开始日期。")
    return first, last


@router.get(
    "/export.xlsx",
    summary="事项报告汇总（Excel，报上级部门）",
    responses=XLSX_DOWNLOAD,
    response_class=Response,
)
def export(
    db: SessionDep,
    clock: ClockDep,
    scope: StaffScope,
    start: Day | None = None,
    end: Day | None = None,
) -> Response:
    first, last = period(clock, start, end)
    data = queue.export_xlsx(
        db,
        clock=clock,
        unit_ids=units.subtree_ids(db, scope),
        start=local_day(first)[0],
        end=local_day(last)[1],
    )
    return xlsx_response(data, "matters.xlsx")


@router.post("", response_model=MatterCard, status_code=201, summary="替老同志登记一件事项")
def submit(
    body: MatterIn, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> MatterCard:
    return _card(db, clock, service.record_for(db, clock=clock, staff=me, scope=scope, data=body))


@router.get("/{matter_id}", response_model=MatterCard, summary="一件事项")
def get_matter(matter_id: Id, db: SessionDep, clock: ClockDep, scope: StaffScope) -> MatterCard:
    return _card(db, clock, service.get_in_scope(db, scope=scope, matter_id=matter_id))


@router.get("/{matter_id}/form.pdf", summary="打印审批表（PDF）", response_class=Response)
def form_pdf(matter_id: Id, db: SessionDep, clock: ClockDep, scope: StaffScope) -> Response:
    matter = service.get_in_scope(db, scope=scope, matter_id=matter_id)
    return pdf_response(printing.form_pdf(db, clock=clock, matter=matter), f"事项{matter.id}.pdf")


@router.post("/{matter_id}/sign", response_model=MatterCard, summary="军休所负责人签署意见")
def sign(
    matter_id: Id,
    body: DecisionIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> MatterCard:
    matter = service.sign(db, clock=clock, staff=me, scope=scope, matter_id=matter_id, data=body)
    return _card(db, clock, matter)


@router.post("/{matter_id}/decide", response_model=MatterCard, summary="上级主管部门审批")
def decide(
    matter_id: Id,
    body: DecisionIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> MatterCard:
    matter = service.decide(db, clock=clock, staff=me, scope=scope, matter_id=matter_id, data=body)
    return _card(db, clock, matter)


@router.post("/{matter_id}/acknowledge", response_model=MatterCard, summary="报备已阅知")
def acknowledge(
    matter_id: Id,
    body: AcknowledgeIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> MatterCard:
    matter = service.acknowledge(
        db, clock=clock, staff=me, scope=scope, matter_id=matter_id, data=body
    )
    return _card(db, clock, matter)


@router.post("/{matter_id}/return", response_model=MatterCard, summary="登记已回国（境）")
def report_return(
    matter_id: Id,
    body: ReturnIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> MatterCard:
    matter = service.get_in_scope(db, scope=scope, matter_id=matter_id)
    service.report_return(
        db,
        clock=clock,
        matter=matter,
        returned_on=body.returned_on,
        by=service.staff_label(me),
        staff=me,
    )
    return _card(db, clock, matter)


@router.post("/{matter_id}/quarterly", response_model=MatterCard, summary="登记季度汇报")
def report_quarter(
    matter_id: Id,
    body: QuarterlyIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> MatterCard:
    matter = service.get_in_scope(db, scope=scope, matter_id=matter_id)
    service.report_quarter(
        db, clock=clock, matter=matter, text=body.text, by=service.staff_label(me), staff=me
    )
    return _card(db, clock, matter)
