"""Console page for the questions the bot could not answer, and answers voted 没用."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import HTMLResponse, Response

from backend.accounts.scope import get_scoped
from backend.botchat import feedback as bot_feedback
from backend.botchat import service as bot_service
from backend.botchat import sources as bot_sources
from backend.botchat.models import BotQuestion
from backend.botchat.runtime import BotRuntime
from backend.console.auth import ConsoleStaff, check_csrf, scope_of
from backend.console.forms import attempt, form_once, redirect
from backend.console.render import page
from backend.core.deps import ClockDep, CtxDep, SessionDep

router = APIRouter(prefix="/questions")


def _page(
    request: Request, db: SessionDep, ctx: CtxDep, error: str | None = None, status_code: int = 200
) -> HTMLResponse:
    runtime: BotRuntime = ctx.extras["bot"]
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
            "msg": request.query_params.get("msg"),
        },
        status_code=status_code,
    )


@router.get("", response_class=HTMLResponse)
def list_questions(request: Request, db: SessionDep, ctx: CtxDep, _: ConsoleStaff) -> HTMLResponse:
    return _page(request, db, ctx)


@router.post("/{question_id}/answer", response_class=HTMLResponse)
@form_once
def answer(
    request: Request,
    question_id: int,
    background: BackgroundTasks,
    db: SessionDep,
    ctx: CtxDep,
    clock: ClockDep,
    me: ConsoleStaff,
    csrf: str = Form(""),
    answer: str = Form(""),
    add_to_faq: str = Form(""),
    faq_questions: str = Form(""),
    source_doc: str = Form(""),
    source_clause: str = Form(""),
) -> Response:
    check_csrf(request, csrf)
    scope = scope_of(request)
    question = get_scoped(db, BotQuestion, question_id, scope)
    runtime: BotRuntime = ctx.extras["bot"]
    terms = runtime.index().text().terms
    phrasings = [q for q in faq_questions.replace("；", "\n").splitlines() if q.strip()]
    _, error = attempt(
        db,
        lambda: bot_service.answer_by_staff(
            db,
            clock=clock,
            staff=me,
            scope=scope,
            question=question,
            answer=answer,
            add_to_faq=bool(add_to_faq),
            faq_questions=phrasings,
            sources=bot_sources.chosen_source(
                runtime.knowledge_dir, document=source_doc, clause=source_clause
            ),
            terms=terms,
        ),
    )
    if error is not None:
        return _page(request, db, ctx, error.message, error.status_code)
    if add_to_faq:
        background.add_task(runtime.rebuild, ctx.engine, stamp=f"faq-{question.faq_entry_id}")
    return redirect("/console/questions", "已回复，问过这个问题的人都会在消息里收到。")


@router.post("/{question_id}/dismiss")
def dismiss(
    request: Request,
    question_id: int,
    db: SessionDep,
    ctx: CtxDep,
    clock: ClockDep,
    me: ConsoleStaff,
    csrf: str = Form(""),
) -> Response:
    check_csrf(request, csrf)
    question = get_scoped(db, BotQuestion, question_id, scope_of(request))
    _, error = attempt(
        db, lambda: bot_service.dismiss(db, clock=clock, staff=me, question=question)
    )
    if error is not None:
        return _page(request, db, ctx, error.message, error.status_code)
    return redirect("/console/questions", "已忽略。")
