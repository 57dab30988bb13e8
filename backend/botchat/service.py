"""Asking the bot, logging what it could not answer, and staff answering those questions."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from rapidfuzz import fuzz
from sqlmodel import Session, col, or_, select

from backend.accounts import audit, units
from backend.accounts.identity import Viewer
from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.botchat.models import BotFaqEntry, BotQuestion
from backend.core.cache import Cache
from backend.core.clock import Clock
from backend.core.errors import BadRequest, Conflict, NotFound
from backend.notices import service as notices_service
from backend.wechat.errors import WeChatError
from bot.answer import BotAnswer, answer_question
from bot.index import BotIndex

log = logging.getLogger(__name__)

ABSTENTION_TTL = 24 * 3600
SAME_QUESTION_WINDOW = timedelta(hours=24)
REFUSED_TEXT = "（这条内容没有通过微信安全检查，未保存原文）"


class TextChecker(Protocol):
    def check_text(self, openid: str, content: str, scene: int = 2) -> bool: ...


@dataclass(frozen=True)
class Asker:
    channel: str  # miniprogram / official
    key: str  # who, for the "abstentions in a row" counter
    openid: str | None
    wechat_user_id: int | None
    retiree_id: int | None
    unit_id: int | None


def asker_from_viewer(db: Session, viewer: Viewer) -> Asker:
    retiree: Retiree | None = viewer.retiree
    if retiree is None and viewer.bindings:
        retiree = db.get(Retiree, viewer.bindings[0].retiree_id)
    return Asker(
        channel="miniprogram",
        key=f"u{viewer.user_id}",
        openid=viewer.user.openid,
        wechat_user_id=viewer.user_id,
        retiree_id=retiree.id if retiree else None,
        unit_id=retiree.unit_id if retiree else None,
    )


def ask(
    db: Session,
    *,
    index: BotIndex,
    cache: Cache,
    clock: Clock,
    checker: TextChecker,
    asker: Asker,
    question: str,
) -> BotAnswer:
    question = question.strip()
    if not question:
        raise BadRequest("请输入您想问的问题。")
    counter = f"bot:abstained:{asker.channel}:{asker.key}"
    before = int(cache.get(counter) or 0)
    answer = answer_question(index, question, abstentions_before=before)
    if answer.answered:
        cache.delete(counter)
    else:
        cache.set(counter, str(before + 1), ttl=ABSTENTION_TTL)
    if not answer.answered or answer.intent == "handoff":
        kind = "handoff" if answer.intent == "handoff" else "abstained"
        log_question(
            db,
            clock=clock,
            checker=checker,
            asker=asker,
            question=question,
            kind=kind,
            answer=answer,
        )
    return answer


def log_question(
    db: Session,
    *,
    clock: Clock,
    checker: TextChecker,
    asker: Asker,
    question: str,
    kind: str,
    answer: BotAnswer | None = None,
) -> BotQuestion:
    """Keep the question for staff — only after WeChat's content check passes.

    One question is one row: asking "转人工" for a question the bot just could not answer (or
    asking it again) marks the open row as handed off instead of adding a second one, so
    「我的提问」 and the staff queue list it once."""
    text = question[:500]
    earlier = _open_same_question(db, clock=clock, asker=asker, text=text)
    if earlier is not None:
        if kind == "handoff":
            earlier.kind = "handoff"
            db.add(earlier)
            db.flush()
        return earlier
    if asker.openid:
        try:
            if not checker.check_text(asker.openid, text):
                text = REFUSED_TEXT
        except WeChatError:
            # Unchecked content is not shown to staff: keep the fact that someone asked.
            log.warning("msg_sec_check unavailable; question stored without its text")
            text = "（微信内容检查暂不可用，原文未保存。请联系提问人。）"
    row = BotQuestion(
        at=clock.now(),
        channel=asker.channel,
        wechat_user_id=asker.wechat_user_id,
        openid=asker.openid,
        unit_id=asker.unit_id,
        retiree_id=asker.retiree_id,
        question=text,
        kind=kind,
        confidence=answer.confidence if answer else 0.0,
        candidates=json.dumps(answer.candidates if answer else [], ensure_ascii=False),
    )
    db.add(row)
    db.flush()
    return row


def _open_same_question(
    db: Session, *, clock: Clock, asker: Asker, text: str
) -> BotQuestion | None:
    if asker.wechat_user_id is not None:
        who = BotQuestion.wechat_user_id == asker.wechat_user_id
    elif asker.openid:
        who = BotQuestion.openid == asker.openid
    else:
        return None
    return db.exec(
        select(BotQuestion)
        .where(
            who,
            BotQuestion.channel == asker.channel,
            BotQuestion.status == "open",
            BotQuestion.question == text,
            col(BotQuestion.at) >= clock.now() - SAME_QUESTION_WINDOW,
        )
        .order_by(col(BotQuestion.id).desc())
        .limit(1)
    ).first()


def my_questions(db: Session, *, wechat_user_id: int, limit: int = 50) -> list[BotQuestion]:
    rows = db.exec(
        select(BotQuestion)
        .where(BotQuestion.wechat_user_id == wechat_user_id)
        .order_by(col(BotQuestion.id).desc())
        .limit(limit)
    ).all()
    return list(rows)


def _scope_filter(db: Session, scope: Unit) -> object:
    ids = units.subtree_ids(db, scope)
    if scope.parent_id is None:
        # The top unit also sees questions from people not yet bound to any unit.
        return or_(col(BotQuestion.unit_id).in_(ids), col(BotQuestion.unit_id).is_(None))
    return col(BotQuestion.unit_id).in_(ids)


def get_in_scope(db: Session, question_id: int, scope: Unit) -> BotQuestion:
    row = db.get(BotQuestion, question_id)
    if row is None:
        raise NotFound("没有找到这个问题。")
    if row.unit_id is None:
        if scope.parent_id is not None:
            raise NotFound("没有找到这个问题。")
        return row
    unit = db.get(Unit, row.unit_id)
    if unit is None or not units.is_within(unit, scope):
        raise NotFound("没有找到这个问题。")
    return row


@dataclass
class QuestionGroup:
    representative: BotQuestion
    members: list[BotQuestion]


def _similar(a: set[str], b: set[str], a_text: str, b_text: str) -> bool:
    """Most of the shorter question's terms appear in the other (股票 matches 股票行情)."""
    if a and b:
        small, large = (a, b) if len(a) <= len(b) else (b, a)
        matched = sum(1 for t in small if any(t in u or u in t for u in large))
        return matched / len(small) >= 0.6
    return fuzz.ratio(a_text, b_text) >= 60


def open_groups(
    db: Session,
    *,
    scope: Unit,
    terms: Callable[[str], list[str]] | None = None,
    limit: int = 500,
) -> list[QuestionGroup]:
    """Open questions grouped by similarity of their terms (greedy), biggest group first."""
    rows = db.exec(
        select(BotQuestion)
        .where(BotQuestion.status == "open", _scope_filter(db, scope))  # type: ignore[arg-type]
        .order_by(col(BotQuestion.id).desc())
        .limit(limit)
    ).all()
    groups: list[QuestionGroup] = []
    keys: list[set[str]] = []
    for row in rows:
        own = set(terms(row.question)) if terms else set()
        for group, key in zip(groups, keys, strict=True):
            if _similar(own, key, row.question, group.representative.question):
                group.members.append(row)
                break
        else:
            groups.append(QuestionGroup(representative=row, members=[row]))
            keys.append(own)
    groups.sort(key=lambda g: (-len(g.members), -(g.representative.id or 0)))
    return groups


def answer_by_staff(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    question: BotQuestion,
    answer: str,
    add_to_faq: bool,
    faq_questions: list[str],
    sources: list[tuple[str, str]],
) -> BotQuestion:
    answer = answer.strip()
    if not answer:
        raise BadRequest("请写下给老同志的回复。")
    if question.status != "open":
        raise Conflict("这个问题已经有人处理过了，请刷新。", code="already_handled")
    question.status = "answered"
    question.staff_answer = answer
    question.answered_by_staff_id = staff.id
    question.answered_at = clock.now()
    if question.retiree_id is not None:
        # The asker reads the reply in the inbox (and family who receive notices, a copy).
        notices_service.notify(
            db,
            clock=clock,
            retiree_id=question.retiree_id,
            title="工作人员回复了您的提问",
            body=f"您问：{question.question}\n回复：{answer}",
            dedupe_key=f"bot-answer:{question.id}",
            link_page="pages/bot/bot",
        )
    if add_to_faq:
        phrasings = [q.strip() for q in faq_questions if q.strip()] or [question.question]
        entry = BotFaqEntry(
            questions=json.dumps(phrasings, ensure_ascii=False),
            answer=answer,
            sources=json.dumps([list(s) for s in sources], ensure_ascii=False),
            created_by_staff_id=staff.id or 0,
            unit_id=staff.unit_id,
            created_at=clock.now(),
        )
        db.add(entry)
        db.flush()
        question.faq_entry_id = entry.id
    db.add(question)
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="bot_question.answer",
        entity="bot_question",
        entity_id=question.id,
        unit_id=question.unit_id or staff.unit_id,
        after={"answer": answer, "added_to_faq": add_to_faq},
    )
    return question


def dismiss(db: Session, *, clock: Clock, staff: StaffAccount, question: BotQuestion) -> None:
    if question.status != "open":
        raise Conflict("这个问题已经有人处理过了，请刷新。", code="already_handled")
    question.status = "dismissed"
    question.answered_by_staff_id = staff.id
    question.answered_at = clock.now()
    db.add(question)
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="bot_question.dismiss",
        entity="bot_question",
        entity_id=question.id,
        unit_id=question.unit_id or staff.unit_id,
    )
