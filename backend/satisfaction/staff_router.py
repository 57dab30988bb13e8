"""Staff API of satisfaction: the units' satisfied rates against the 90% line, and surveys
(build, send, close, results, export). The same service functions and input models as the
console pages; every write audited."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import BackgroundTasks, Query
from fastapi.responses import Response

from backend.accounts.deps import CurrentStaff, StaffScope
from backend.accounts.scope import get_scoped
from backend.core.deps import ClockDep, CtxDep, SessionDep
from backend.core.inputs import Id
from backend.core.openapi import XLSX_DOWNLOAD
from backend.core.pdf import pdf_response
from backend.core.routing import APIRouter
from backend.core.xlsx import xlsx_response
from backend.notices import fanout
from backend.satisfaction import rates, results, surveys
from backend.satisfaction.models import Survey
from backend.satisfaction.schemas import (
    RatesQuery,
    RatesReport,
    SurveyIn,
    SurveyList,
    SurveyResults,
)

router = APIRouter(prefix="/api/v1/staff/satisfaction", tags=["工作人员：满意度"])
PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "PDF"}
}


@router.get("/rates", response_model=RatesReport, summary="各单位满意率（对照90%）")
def unit_rates(
    db: SessionDep, scope: StaffScope, query: Annotated[RatesQuery, Query()]
) -> RatesReport:
    return rates.for_scope(db, scope=scope, query=query)


@router.get(
    "/rates.pdf", summary="各单位满意率（PDF，带图）", responses=PDF, response_class=Response
)
def unit_rates_pdf(
    db: SessionDep, scope: StaffScope, query: Annotated[RatesQuery, Query()]
) -> Response:
    report = rates.for_scope(db, scope=scope, query=query)
    return pdf_response(rates.to_pdf(report, scope.name), "满意率.pdf")


@router.get("/surveys", response_model=SurveyList, summary="问卷")
def survey_list(db: SessionDep, clock: ClockDep, scope: StaffScope) -> SurveyList:
    return SurveyList(
        data=surveys.list_in_scope(db, clock=clock, unit_ids=rates.unit_ids(db, scope))
    )


@router.post("/surveys", response_model=SurveyResults, status_code=201, summary="新建问卷（草稿）")
def create_survey(
    body: SurveyIn, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> SurveyResults:
    survey = surveys.create(db, clock=clock, staff=me, scope=scope, data=body)
    return results.build(db, clock=clock, survey=survey)


@router.get("/surveys/{survey_id}", response_model=SurveyResults, summary="问卷结果（实时）")
def survey_results(
    survey_id: Id, db: SessionDep, clock: ClockDep, scope: StaffScope
) -> SurveyResults:
    survey = get_scoped(db, Survey, survey_id, scope)
    return results.build(db, clock=clock, survey=survey)


@router.post("/surveys/{survey_id}/send", response_model=SurveyResults, summary="发出问卷")
def send_survey(
    survey_id: Id,
    background: BackgroundTasks,
    db: SessionDep,
    ctx: CtxDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> SurveyResults:
    survey = get_scoped(db, Survey, survey_id, scope)
    notice = surveys.send(db, clock=clock, staff=me, scope=scope, survey=survey)
    if notice.status == "sending":
        background.add_task(fanout.run_fan_out, ctx.engine, clock=clock, notice_id=notice.id or 0)
    return results.build(db, clock=clock, survey=survey)


@router.post("/surveys/{survey_id}/close", response_model=SurveyResults, summary="提前结束问卷")
def close_survey(
    survey_id: Id, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> SurveyResults:
    survey = get_scoped(db, Survey, survey_id, scope)
    surveys.close(db, clock=clock, staff=me, survey=survey)
    return results.build(db, clock=clock, survey=survey)


@router.get(
    "/surveys/{survey_id}/results.xlsx",
    summary="导出问卷结果",
    responses=XLSX_DOWNLOAD,
    response_class=Response,
)
def survey_xlsx(survey_id: Id, db: SessionDep, clock: ClockDep, scope: StaffScope) -> Response:
    survey = get_scoped(db, Survey, survey_id, scope)
    data = results.to_xlsx(results.build(db, clock=clock, survey=survey))
    return xlsx_response(data, f"survey-{survey_id}.xlsx")


@router.get(
    "/surveys/{survey_id}/results.pdf",
    summary="问卷结果（PDF，带图）",
    responses=PDF,
    response_class=Response,
)
def survey_pdf(survey_id: Id, db: SessionDep, clock: ClockDep, scope: StaffScope) -> Response:
    survey = get_scoped(db, Survey, survey_id, scope)
    data = results.to_pdf(results.build(db, clock=clock, survey=survey))
    return pdf_response(data, "问卷结果.pdf")
