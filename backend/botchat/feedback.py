"""有用 / 没用 on the bot's answers in the mini-program.

Each answer the bot gives to a policy question is logged (who asked, the question, the reply, the
clauses cited) so its asker can vote once on it (and change their mind). 没用 puts the question in
the staff queue as kind "unhelpful", beside the unanswered ones; staff answer it the same way and
the answer reaches everyone who said 没用 to the same question."""

from __future__ import annotations

import json

from sqlalchemy import insert
from sqlmodel import Session, col, select

from backend.accounts.models import Unit
from backend.botchat import grouping, service
from backend.botchat.models import BotAnswerLog, BotQuestion
from backend.core.cache import Cache
from backend.core.clock import Clock
from backend.core.errors import NotFound
from bot.answer import BotAnswer
from bot.index import BotIndex

THANKS_USEFUL = "谢谢您！"
THANKS_USELESS = "谢谢您告诉我们。工作人员会看这个问题，写好回复后发消息告诉您。"


def worth_a_vote(answer: BotAnswer) -> bool:
    """A policy answer (it cites clauses or was ranked): not a greeting, not a page to open."""
    return answer.answered and answer.intent is None and bool(answer.sources or answer.candidates)


def ask_and_record(
    db: Session,
    *,
    index: BotIndex,
    cache: Cache,
    clock: Clock,
    asker: service.Asker,
    question: str,
) -> tuple[BotAnswer, int | None]:
    """Ask the bot; a policy answer is kept so the asker can say whether it helped. Returns the
    answer and the kept answer's id (what the 有用 / 没用 buttons send back)."""
    answer = service.ask(
        db,
        index=index,
        cache=cache,
        clock=clock,
        asker=asker,
        question=question,
    )
    if asker.wechat_user_id is None or not worth_a_vote(answer):
        return answer, None
    # One INSERT … RETURNING id, committed with the request before the reply is sent (so the
    # id the client gets always names a row): a plain statement, not an ORM object to flush.
    answer_id = db.execute(
        insert(BotAnswerLog)
        .values(
            at=clock.now(),
            wechat_user_id=asker.wechat_user_id,
            unit_id=asker.unit_id,
            retiree_id=asker.retiree_id,
            question=question.strip()[:500],
            answer=answer.answer,
            sources=json.dumps(
                [
                    {"doc_id": s.doc_id, "clause": s.clause, "title": s.title}
                    for s in answer.sources
                ],
                ensure_ascii=False,
            ),
            confidence=answer.confidence,
        )
        .returning(col(BotAnswerLog.id))
    ).scalar_one()
    return answer, int(answer_id)


def _followup(db: Session, answer: BotAnswerLog) -> BotQuestion | None:
    return db.exec(select(BotQuestion).where(BotQuestion.answer_id == answer.id)).first()


def vote(
    db: Session,
    *,
    clock: Clock,
    wechat_user_id: int,
    openid: str | None,
    answer_id: int,
    helpful: bool,
) -> tuple[BotAnswerLog, str]:
    """The asker's vote on one answer (a second vote replaces the first). Returns the thanks."""
    row = db.get(BotAnswerLog, answer_id)
    if row is None or row.wechat_user_id != wechat_user_id:
        raise NotFound("没有找到这条回答。")
    row.helpful = helpful
    row.voted_at = clock.now()
    db.add(row)
    followup = _followup(db, row)
    if helpful:
        if followup is not None and followup.status == "open":
            db.delete(followup)  # changed their mind before staff looked: nothing to answer
        return row, THANKS_USEFUL
    if followup is None:
        asker = service.Asker(
            channel="miniprogram",
            key=f"u{wechat_user_id}",
            openid=openid,
            wechat_user_id=wechat_user_id,
            retiree_id=row.retiree_id,
            unit_id=row.unit_id,
        )
        followup = service.log_question(
            db, clock=clock, asker=asker, question=row.question, kind="unhelpful"
        )
        followup.answer_id = row.id
        followup.confidence = row.confidence
        followup.candidates = row.sources
        db.add(followup)
    return row, THANKS_USELESS


def unhelpful_groups(
    db: Session, *, scope: Unit, terms: grouping.Terms | None = None
) -> list[tuple[service.QuestionGroup, BotAnswerLog | None]]:
    """The 「答了但没用」 section: each group of 没用 votes with the bot's answer that was voted."""
    groups = service.open_groups(db, scope=scope, terms=terms, kinds=(service.UNHELPFUL,))
    ids = {g.representative.answer_id for g in groups if g.representative.answer_id}
    answers = {
        a.id: a for a in db.exec(select(BotAnswerLog).where(col(BotAnswerLog.id).in_(ids))).all()
    }
    return [(g, answers.get(g.representative.answer_id or 0)) for g in groups]
