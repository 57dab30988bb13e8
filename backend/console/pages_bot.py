"""Console page for the questions the bot could not answer, and answers voted 没用."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import field_validator

from backend.accounts.scope import get_scoped
from backend.botchat import feedback as bot_feedback
from backend.botchat import service as bot_service
from backend.botchat import sources as bot_sources
from backend.botchat.models import BotQuestion
from backend.botchat.schemas import StaffAnswerIn
from backend.console.auth import ConsoleStaff, scope_of
from backend.console.forms import attempt, form_once, redirect
from backend.console.page_router import page_router
from backend.console.render import page
from backend.core.deps import ClockDep, CtxDep, SessionDep
from backend.core.inputs import Line

router = page_router("/questions")


def _page(
    request: Request, db: SessionDep, ctx: CtxDep, error: str | None = None, status_code: int = 200
) -> HTMLResponse:
    runtime = ctx.bot
    terms = runtime.index().text().terms
    groups = bot_service.open_groups(db, scope=scope_of(request), terms=terms)
    unhelpful = bot_feedback.unhelpful_groups(db, scope=scope_of(request), terms=terms)
    return page(
        request,
        "questions.html",
        {
            "nav": "questions",
            "groups": groups,
            "unhelpful": [
                {
                    "group": g,
                    "clause": bot_service.lead_clause(g.representative),
                    "bot_answer": logged.answer if logged else "",
                }
                for g, logged in unhelpful
            ],
            "documents": bot_sources.document_choices(runtime.knowledge_dir),
            "error": error,
        },
        status_code=status_code,
    )


class AnswerForm(StaffAnswerIn):
    """The console's answer form: the FAQ phrasings in one box (one a line, or split by 「；」),
    the source as a document and a clause picked from the bot's own list."""

    source_doc: Line = ""
    source_clause: Line = ""

    @field_validator("faq_questions", mode="before")
    @classmethod
    def _one_a_line(cls, value: Any) -> Any:
        boxes = value if isinstance(value, list) else [value]
        return [q for box in boxes for q in str(box).replace("；", "\n").splitlines() if q.strip()]


@router.get("", response_class=HTMLResponse)
def list_questions(request: Request, db: SessionDep, ctx: CtxDep, _: ConsoleStaff) -> HTMLResponse:
    return _page(request, db, ctx)


@router.post("/{question_id}/answer", response_class=HTMLResponse)
@form_once
def answer(
    request: Request,
    question_id: int,
    db: SessionDep,
    ctx: CtxDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[AnswerForm, Form()],
) -> Response:
    scope = scope_of(request)
    question = get_scoped(db, BotQuestion, question_id, scope)
    runtime = ctx.bot
    terms = runtime.index().text().terms
    _, error = attempt(
        db,
        lambda: bot_service.answer_by_staff(
            db,
            clock=clock,
            staff=me,
            scope=scope,
            question=question,
            answer=form.answer,
            add_to_faq=form.add_to_faq,
            faq_questions=form.faq_questions,
            sources=bot_sources.chosen_source(
                runtime.knowledge_dir, document=form.source_doc, clause=form.source_clause
            ),
            knowledge_dir=runtime.knowledge_dir,
            terms=terms,
        ),
    )
    if error is not None:
        return _page(request, db, ctx, error.message, error.status_code)
    if form.add_to_faq:
        runtime.publish_after_commit(db, ctx.engine, faq_entry_id=question.faq_entry_id)
    return redirect("/console/questions", "已回复，问过这个问题的人都会在消息里收到。")


@router.post("/{question_id}/dismiss")
def dismiss(
    request: Request,
    question_id: int,
    db: SessionDep,
    ctx: CtxDep,
    clock: ClockDep,
    me: ConsoleStaff,
) -> Response:
    question = get_scoped(db, BotQuestion, question_id, scope_of(request))
    _, error = attempt(
        db, lambda: bot_service.dismiss(db, clock=clock, staff=me, question=question)
    )
    if error is not None:
        return _page(request, db, ctx, error.message, error.status_code)
    return redirect("/console/questions", "已忽略。")
