"""The bot for the mini-program, and the staff queue of questions it could not answer."""

from __future__ import annotations

from fastapi import Response

from backend.accounts.deps import CurrentStaff, CurrentViewer, StaffScope
from backend.accounts.scope import get_scoped
from backend.botchat import feedback, service
from backend.botchat.models import BotQuestion
from backend.botchat.runtime import BotRuntime
from backend.botchat.schemas import (
    AskIn,
    AskOut,
    FeedbackIn,
    FeedbackOut,
    HandoffIn,
    HandoffOut,
    MyQuestionOut,
    QuestionGroupOut,
    SourceOut,
    StaffAnswerIn,
    StaffQuestionOut,
    UnhelpfulGroupOut,
)
from backend.core import ratelimit
from backend.core.actors import persisted_id
from backend.core.deps import ClockDep, CtxDep, SessionDep
from backend.core.inputs import Id
from backend.core.responses import json_reply
from backend.core.routing import APIRouter

router = APIRouter(prefix="/api/v1/bot", tags=["政策问答"])
staff_router = APIRouter(prefix="/api/v1/staff/bot", tags=["工作人员：政策问答"])

HANDOFF_MESSAGE = "已经转给工作人员了。他们会尽快回复您，回复会出现在“我的提问”里。"


def runtime_of(ctx: CtxDep) -> BotRuntime:
    return ctx.bot


@router.post("/ask", response_model=AskOut, summary="问政策")
def ask(
    body: AskIn, db: SessionDep, ctx: CtxDep, clock: ClockDep, viewer: CurrentViewer
) -> Response:
    limit = ctx.settings.bot_asks_per_minute
    ratelimit.hit(ctx.cache, clock, f"bot:user:{viewer.user_id}", limit=limit, window_seconds=60)
    answer, answer_id = feedback.ask_and_record(
        db,
        index=runtime_of(ctx).index(),
        cache=ctx.cache,
        clock=clock,
        asker=service.asker_from_viewer(db, viewer),
        question=body.question,
    )
    out = AskOut(
        answer=answer.answer,
        answered=answer.answered,
        confidence=answer.confidence,
        intent=answer.intent,
        sources=[
            SourceOut(doc_id=s.doc_id, clause=s.clause, title=s.title, excerpt=s.excerpt)
            for s in answer.sources
        ],
        suggestions=list(answer.suggestions),
        handoff_offered=answer.handoff_offered,
        answer_id=answer_id,
    )
    return json_reply(out)


@router.post(
    "/answers/{answer_id}/feedback", response_model=FeedbackOut, summary="这条回答有用 / 没用"
)
def answer_feedback(
    answer_id: Id,
    body: FeedbackIn,
    db: SessionDep,
    clock: ClockDep,
    viewer: CurrentViewer,
) -> FeedbackOut:
    row, message = feedback.vote(
        db,
        clock=clock,
        wechat_user_id=viewer.user_id,
        openid=viewer.user.openid,
        answer_id=answer_id,
        helpful=body.helpful,
    )
    return FeedbackOut(answer_id=persisted_id(row), helpful=body.helpful, message=message)


@router.post("/handoff", response_model=HandoffOut, status_code=201, summary="转人工")
def handoff(
    body: HandoffIn, db: SessionDep, ctx: CtxDep, clock: ClockDep, viewer: CurrentViewer
) -> HandoffOut:
    ratelimit.hit(
        ctx.cache,
        clock,
        f"bot:handoff:{viewer.user_id}",
        limit=10,
        window_seconds=3600,
        then=ratelimit.CALL_IF_URGENT,
    )
    row = service.log_question(
        db,
        clock=clock,
        asker=service.asker_from_viewer(db, viewer),
        question=body.question,
        kind="handoff",
    )
    return HandoffOut(id=persisted_id(row), message=HANDOFF_MESSAGE)


@router.get("/questions", response_model=list[MyQuestionOut], summary="我的提问和工作人员回复")
def my_questions(db: SessionDep, viewer: CurrentViewer) -> list[MyQuestionOut]:
    return [
        MyQuestionOut.model_validate(q, from_attributes=True)
        for q in service.my_questions(db, wechat_user_id=viewer.user_id)
    ]


def _staff_out(q: BotQuestion) -> StaffQuestionOut:
    return StaffQuestionOut.model_validate(q, from_attributes=True)


@staff_router.get(
    "/questions", response_model=list[QuestionGroupOut], summary="没答上的问题（按相似归组）"
)
def open_questions(db: SessionDep, ctx: CtxDep, scope: StaffScope) -> list[QuestionGroupOut]:
    terms = runtime_of(ctx).index().text().terms
    return [
        QuestionGroupOut(
            representative=_staff_out(g.representative), members=[_staff_out(m) for m in g.members]
        )
        for g in service.open_groups(db, scope=scope, terms=terms)
    ]


@staff_router.get(
    "/unhelpful", response_model=list[UnhelpfulGroupOut], summary="答了但没用的问题（按相似归组）"
)
def unhelpful_questions(db: SessionDep, ctx: CtxDep, scope: StaffScope) -> list[UnhelpfulGroupOut]:
    terms = runtime_of(ctx).index().text().terms
    return [
        UnhelpfulGroupOut(
            representative=_staff_out(g.representative),
            members=[_staff_out(m) for m in g.members],
            count=len(g.members),
            clause=service.lead_clause(g.representative),
            bot_answer=logged.answer if logged else "",
        )
        for g, logged in feedback.unhelpful_groups(db, scope=scope, terms=terms)
    ]


@staff_router.post("/questions/{question_id}/answer", response_model=StaffQuestionOut)
def answer_question(
    question_id: Id,
    body: StaffAnswerIn,
    db: SessionDep,
    ctx: CtxDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> StaffQuestionOut:
    question = get_scoped(db, BotQuestion, question_id, scope)
    service.answer_by_staff(
        db,
        clock=clock,
        staff=me,
        scope=scope,
        question=question,
        answer=body.answer,
        add_to_faq=body.add_to_faq,
        faq_questions=body.faq_questions,
        sources=body.sources,
        knowledge_dir=runtime_of(ctx).knowledge_dir,
        terms=runtime_of(ctx).index().text().terms,
    )
    if body.add_to_faq:
        runtime_of(ctx).publish_after_commit(db, ctx.engine, faq_entry_id=question.faq_entry_id)
    return _staff_out(question)


@staff_router.post("/questions/{question_id}/dismiss", response_model=StaffQuestionOut)
def dismiss_question(
    question_id: Id, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> StaffQuestionOut:
    question = get_scoped(db, BotQuestion, question_id, scope)
    service.dismiss(db, clock=clock, staff=me, question=question)
    return _staff_out(question)
