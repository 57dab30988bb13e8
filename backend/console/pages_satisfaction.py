"""Console pages for satisfaction: each unit's satisfied rate over a period against the 90% line
(a chart, a table, the PDF), and surveys — write one, send it through notices, watch the results
come in, close it, export. The same service functions and input models as the staff API."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any

from fastapi import BackgroundTasks, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from backend.accounts.scope import get_scoped
from backend.console.auth import ConsoleStaff, scope_of
from backend.console.forms import attempt, form_errors, form_once, outcome, redirect
from backend.console.page_router import page_router
from backend.console.pages_notices import AudienceFields, audience_choices, audience_of
from backend.console.render import page
from backend.core.clock import Clock, local_today
from backend.core.deps import ClockDep, CtxDep, SessionDep
from backend.core.pdf import pdf_response
from backend.core.xlsx import xlsx_response
from backend.notices import fanout
from backend.satisfaction import rates, results, surveys
from backend.satisfaction.models import Survey
from backend.satisfaction.schemas import (
    MAX_QUESTIONS,
    SOURCE_LABELS,
    QuestionKind,
    RatesQuery,
    SurveyIn,
)

router = page_router()
_SPLIT = re.compile(r"[、，,;；/\n]+")


# ---- rates ------------------------------------------------------------------------------------


def _query(clock: Clock, start: str, end: str, source: str) -> RatesQuery:
    """The period asked for; this month so far when nothing was chosen."""
    today = local_today(clock)
    return RatesQuery.model_validate(
        {
            "start": start or today.replace(day=1),
            "end": end or today,
            "source": source or None,
        }
    )


@router.get("/satisfaction", response_class=HTMLResponse)
def rates_page(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    _: ConsoleStaff,
    start: str = Query(""),
    end: str = Query(""),
    source: str = Query(""),
) -> HTMLResponse:
    errors: list[str] = []
    try:
        query = _query(clock, start, end, source)
    except ValidationError as exc:
        errors = form_errors(exc, RatesQuery)
        query = _query(clock, "", "", "")
    report = rates.for_scope(db, scope=scope_of(request), query=query)
    return page(
        request,
        "satisfaction.html",
        {
            "nav": "satisfaction",
            "r": report,
            "q": query,
            "errors": errors,
            "sources": SOURCE_LABELS,
            "percent": rates.percent,
        },
        status_code=422 if errors else 200,
    )


@router.get("/satisfaction/rates.pdf")
def rates_pdf(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    _: ConsoleStaff,
    start: str = Query(""),
    end: str = Query(""),
    source: str = Query(""),
) -> Response:
    try:
        query = _query(clock, start, end, source)
    except ValidationError as exc:
        return redirect("/console/satisfaction", err="；".join(form_errors(exc, RatesQuery)))
    scope = scope_of(request)
    report = rates.for_scope(db, scope=scope, query=query)
    return pdf_response(rates.to_pdf(report, scope.name), "满意率.pdf")


# ---- surveys ----------------------------------------------------------------------------------


class SurveyForm(AudienceFields):
    """The survey form as posted: up to ten question rows (题型, 题目, 选项 in one box separated
    by 、or ，); rows left blank are skipped."""

    title: str = ""
    intro: str = ""
    closes_at: str = ""
    include_family: str = ""
    q_kind: list[str] = []
    q_text: list[str] = []
    q_options: list[str] = []
    action: str = "draft"

    def rows(self) -> list[dict[str, str]]:
        count = max(len(self.q_kind), len(self.q_text), len(self.q_options), 0)

        def at(values: list[str], i: int) -> str:
            return values[i] if i < len(values) else ""

        return [
            {
                "kind": at(self.q_kind, i),
                "text": at(self.q_text, i),
                "options": at(self.q_options, i),
            }
            for i in range(count)
        ]

    def values(self) -> dict[str, Any]:
        rows = self.rows()
        rows += [{"kind": "单选", "text": "", "options": ""}] * (MAX_QUESTIONS - len(rows))
        return {
            **self.model_dump(exclude={"q_kind", "q_text", "q_options", "action"}),
            "include_family": bool(self.include_family),
            "questions": rows[:MAX_QUESTIONS],
        }

    def parse(self) -> SurveyIn:
        questions = [
            {
                "kind": r["kind"],
                "text": r["text"],
                "options": [o for o in _SPLIT.split(r["options"]) if o.strip()],
            }
            for r in self.rows()
            if r["text"].strip()
        ]
        if not questions:
            raise ValueError("请至少写一道题。")
        if len(questions) > MAX_QUESTIONS:
            raise ValueError(f"一份问卷最多{MAX_QUESTIONS}道题。")
        return SurveyIn.model_validate(
            {
                "title": self.title,
                "intro": self.intro,
                "questions": questions,
                "closes_at": self.closes_at or None,
                "audience": audience_of(self),
                "include_family": bool(self.include_family),
            }
        )


def _blank(clock: Clock) -> dict[str, Any]:
    closes = local_today(clock) + timedelta(days=14)
    form = SurveyForm(
        include_family="1",
        closes_at=f"{closes.isoformat()}T18:00",
        q_kind=["满意度", "打分", "文字"],
        q_text=[
            "您对所里这段时间的服务满意吗？",
            "请给助餐打个分（1到5分）",
            "您还有什么意见和建议？",
        ],
    )
    return form.values()


def _compose(
    request: Request, db: Session, values: dict[str, Any], errors: list[str], status: int = 200
) -> HTMLResponse:
    return page(
        request,
        "survey_form.html",
        {
            "nav": "surveys",
            "v": values,
            "errors": errors,
            "kinds": [k.value for k in QuestionKind],
            **audience_choices(db, request, values),
        },
        status_code=status,
    )


@router.get("/surveys", response_class=HTMLResponse)
def survey_list(request: Request, db: SessionDep, clock: ClockDep, _: ConsoleStaff) -> HTMLResponse:
    rows = surveys.list_in_scope(db, clock=clock, unit_ids=rates.unit_ids(db, scope_of(request)))
    return page(request, "surveys.html", {"nav": "surveys", "rows": rows})


@router.get("/surveys/new", response_class=HTMLResponse)
def new_survey(request: Request, db: SessionDep, clock: ClockDep, _: ConsoleStaff) -> HTMLResponse:
    return _compose(request, db, _blank(clock), [])


@router.post("/surveys/new")
@form_once
def create_survey(
    request: Request,
    background: BackgroundTasks,
    db: SessionDep,
    ctx: CtxDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[SurveyForm, Form()],
) -> Response:
    try:
        data = form.parse()
    except (ValidationError, ValueError) as exc:
        errors = form_errors(exc, SurveyIn) if isinstance(exc, ValidationError) else [str(exc)]
        return _compose(request, db, form.values(), errors, 422)
    scope = scope_of(request)

    def work() -> Survey:
        survey = surveys.create(db, clock=clock, staff=me, scope=scope, data=data)
        if form.action == "send":
            notice = surveys.send(db, clock=clock, staff=me, scope=scope, survey=survey)
            if notice.status == "sending":
                background.add_task(
                    fanout.run_fan_out, ctx.engine, clock=clock, notice_id=notice.id or 0
                )
        return survey

    survey, error = attempt(db, work)
    if error is not None or survey is None:
        return _compose(request, db, form.values(), [error.message if error else "保存失败"], 422)
    done = "问卷已发出。" if survey.status == "open" else "已存草稿。检查无误后点“发出问卷”。"
    return redirect(f"/console/surveys/{survey.id}", done)


@router.get("/surveys/{survey_id}", response_class=HTMLResponse)
def survey_page(
    request: Request, survey_id: int, db: SessionDep, clock: ClockDep, _: ConsoleStaff
) -> HTMLResponse:
    survey = get_scoped(db, Survey, survey_id, scope_of(request))
    return page(
        request,
        "survey.html",
        {
            "nav": "surveys",
            "s": results.build(db, clock=clock, survey=survey),
            "percent": rates.percent,
        },
    )


@router.post("/surveys/{survey_id}/send")
def send_survey(
    request: Request,
    survey_id: int,
    background: BackgroundTasks,
    db: SessionDep,
    ctx: CtxDep,
    clock: ClockDep,
    me: ConsoleStaff,
) -> Response:
    here = f"/console/surveys/{survey_id}"
    scope = scope_of(request)
    survey = get_scoped(db, Survey, survey_id, scope)
    notice, error = attempt(
        db, lambda: surveys.send(db, clock=clock, staff=me, scope=scope, survey=survey)
    )
    if notice is not None and notice.status == "sending":
        background.add_task(fanout.run_fan_out, ctx.engine, clock=clock, notice_id=notice.id or 0)
    return outcome(here, error, "问卷已发出。结果会随时更新在这一页。")


@router.post("/surveys/{survey_id}/close")
def close_survey(
    request: Request, survey_id: int, db: SessionDep, clock: ClockDep, me: ConsoleStaff
) -> Response:
    here = f"/console/surveys/{survey_id}"
    survey = get_scoped(db, Survey, survey_id, scope_of(request))
    _, error = attempt(db, lambda: surveys.close(db, clock=clock, staff=me, survey=survey))
    return outcome(here, error, "问卷已结束，不再收新的回答。")


@router.get("/surveys/{survey_id}/results.xlsx")
def survey_xlsx(
    request: Request, survey_id: int, db: SessionDep, clock: ClockDep, _: ConsoleStaff
) -> Response:
    survey = get_scoped(db, Survey, survey_id, scope_of(request))
    data = results.to_xlsx(results.build(db, clock=clock, survey=survey))
    return xlsx_response(data, f"survey-{survey_id}.xlsx")


@router.get("/surveys/{survey_id}/results.pdf")
def survey_pdf(
    request: Request, survey_id: int, db: SessionDep, clock: ClockDep, _: ConsoleStaff
) -> Response:
    survey = get_scoped(db, Survey, survey_id, scope_of(request))
    return pdf_response(
        results.to_pdf(results.build(db, clock=clock, survey=survey)), "问卷结果.pdf"
    )
