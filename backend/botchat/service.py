"""Asking the bot, logging what it could not answer, and staff answering those questions."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import update as sa_update
from sqlmodel import Session, col, or_, select

from backend.accounts import audit, directory, units
from backend.accounts.identity import HomeUnit, Viewer
from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.accounts.scope import (
    ancestor_ids,
)
from backend.botchat import grouping
from backend.botchat import sources as bot_sources
from backend.botchat.models import BotFaqEntry, BotQuestion
from backend.contact import service as contact_service
from backend.core.actors import persisted_id
from backend.core.cache import Cache
from backend.core.clock import Clock, format_local
from backend.core.errors import BadRequest, Conflict
from backend.notices import service as notices_service
from bot.answer import BotAnswer, answer_question
from bot.docs import province_short
from bot.index import BotIndex
from bot.ranker import Context

ABSTENTION_TTL = 24 * 3600
SAME_QUESTION_WINDOW = timedelta(hours=24)
REFUSED_TEXT = "（这条内容没有通过微信安全检查，未保存原文）"
UNCHECKED_TEXT = "（微信内容检查暂不可用，原文未保存。请联系提问人。）"
UNCHECKED_TEXTS = (REFUSED_TEXT, UNCHECKED_TEXT)
CHECK_PENDING = "pending"
CHECK_PASSED = "passed"


@dataclass(frozen=True)
class Asker:
    channel: str  # miniprogram / official
    key: str  # who, for the "abstentions in a row" counter
    openid: str | None
    wechat_user_id: int | None
    retiree_id: int | None
    unit_id: int | None
    # Where the asker's own unit sits, when the viewer brought it from the identity cache.
    home: HomeUnit | None = None
    category: str | None = None


def asker_from_viewer(db: Session, viewer: Viewer) -> Asker:
    retiree: Retiree | None = viewer.retiree
    if retiree is None and viewer.bindings:
        retiree = directory.retiree(db, viewer.bindings[0].retiree_id)
    return Asker(
        channel="miniprogram",
        key=f"u{viewer.user_id}",
        openid=viewer.user.openid,
        wechat_user_id=viewer.user_id,
        retiree_id=retiree.id if retiree else None,
        unit_id=retiree.unit_id if retiree else None,
        home=viewer.home if viewer.retiree is not None else None,
        category=str(retiree.category) if retiree else None,
    )


def bot_context(db: Session, asker: Asker) -> Context | None:
    """Who is asking, for the bot: the unit subtree (staff answers), the province named by the
    unit or one above it (their rule first), and the category (离休 / 逐月领取退役金)."""
    if asker.unit_id is None:
        return None
    home = asker.home
    if home is not None and home.id == asker.unit_id:
        return Context(
            province=_province([name for _, name in home.line]),
            audience=asker.category,
            unit_id=home.id,
            unit_path=home.path,
        )
    unit = directory.unit(db, asker.unit_id)
    if unit is None:
        return None
    ids = ancestor_ids(unit)
    names = directory.unit_names(db, ids)
    province = _province([names.get(uid, "") for uid in ids])
    retiree = directory.retiree(db, asker.retiree_id) if asker.retiree_id is not None else None
    return Context(
        province=province,
        audience=str(retiree.category) if retiree is not None else None,
        unit_id=unit.id,
        unit_path=unit.path,
    )


def _province(names_top_first: list[str]) -> str | None:
    """The first province named on the way down from the top unit to the asker's."""
    return next((short for name in names_top_first if (short := province_short(name))), None)


def _with_phone(db: Session, answer: BotAnswer, asker: Asker, clock: Clock) -> BotAnswer:
    """所里电话多少 / 今天谁值班: who is on duty now in the asker's unit and their number (the
    值班表); when nobody is on the roster, the unit's own number (contact.service.on_duty)."""
    found = (
        contact_service.on_duty(db, unit_id=asker.unit_id, at=clock.now())
        if asker.unit_id is not None
        else []
    )
    if found and found[0].source == contact_service.SOURCE_SHIFT:
        first = found[0]
        names = "、".join(f"{f.name}（电话 {f.phone}）" for f in found)
        until = format_local(first.ends_at, "%H:%M") if first.ends_at else ""
        answer.answer = (
            f"现在是{names}在{first.unit_name}值班"
            + (f"，到{until}" if until else "")
            + "。您直接打这个电话就行。也可以点“找工作人员”，我帮您转过去。"
        )
    elif found:
        first = found[0]
        answer.answer = (
            f"{first.unit_name}的电话是 {first.phone}，值班的工作人员会接。"
            "您也可以点“找工作人员”，我帮您转过去。"
        )
    else:
        answer.answer = "我这里没有查到您所在单位的电话。点“找工作人员”，我帮您转过去。"
    return answer


def ask(
    db: Session,
    *,
    index: BotIndex,
    cache: Cache,
    clock: Clock,
    asker: Asker,
    question: str,
) -> BotAnswer:
    question = question.strip()
    if not question:
        raise BadRequest("请输入您想问的问题。")
    counter = f"bot:abstained:{asker.channel}:{asker.key}"
    before = int(cache.get(counter) or 0)
    answer = answer_question(
        index, question, abstentions_before=before, context=bot_context(db, asker)
    )
    if answer.contact_request:
        if before:
            cache.delete(counter)
        return _with_phone(db, answer, asker, clock)
    if answer.answered:
        if before:  # nothing to reset otherwise: one Redis round trip less
            cache.delete(counter)
    else:
        cache.set(counter, str(before + 1), ttl=ABSTENTION_TTL)
    if not answer.answered or answer.intent == "handoff":
        kind = "handoff" if answer.intent == "handoff" else "abstained"
        log_question(
            db,
            clock=clock,
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
    asker: Asker,
    question: str,
    kind: str,
    answer: BotAnswer | None = None,
) -> BotQuestion:
    """Keep the question for staff: one insert, no WeChat call.

    WeChat's content check runs after the reply, in the job botchat.content_checks
    (backend/botchat/checks.py): the row is written "pending" and staff see it only once the
    check has passed (or replaced a flagged text). The check never decided the reply — the bot
    answers from the regulations and staff answers and never repeats the asker's words — so the
    reply need not wait for it; what it guards is what staff read and what is kept.

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
    now = clock.now()
    row = BotQuestion(
        at=now,
        channel=asker.channel,
        wechat_user_id=asker.wechat_user_id,
        openid=asker.openid,
        unit_id=asker.unit_id,
        retiree_id=asker.retiree_id,
        question=text,
        kind=kind,
        confidence=answer.confidence if answer else 0.0,
        candidates=json.dumps(answer.candidates if answer else [], ensure_ascii=False),
        # msg_sec_check needs the asker's openid; without one there is nothing to check with
        # (as before this job existed, the text is kept as asked).
        check_state=CHECK_PENDING if asker.openid else CHECK_PASSED,
        check_after=now,
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


OPEN_KINDS = ("abstained", "handoff")
UNHELPFUL = "unhelpful"


@dataclass
class QuestionGroup:
    representative: BotQuestion
    members: list[BotQuestion]


def lead_clause(question: BotQuestion) -> str:
    """For a 没用 question: the clause the bot's answer cited first ("" when none)."""
    if question.kind != UNHELPFUL or not question.candidates:
        return ""
    cited = json.loads(question.candidates)
    if not cited:
        return ""
    first = cited[0]
    return f"{first.get('title', '')} {first.get('clause', '')}".strip()


def open_groups(
    db: Session,
    *,
    scope: Unit,
    terms: Callable[[str], list[str]] | None = None,
    kinds: tuple[str, ...] = OPEN_KINDS,
    limit: int = 500,
) -> list[QuestionGroup]:
    """Open questions of these kinds, the same question grouped (see grouping.py), biggest group
    first. 没用 answers group only with others that cited the same clause."""
    rows = db.exec(
        select(BotQuestion)
        .where(
            BotQuestion.status == "open",
            col(BotQuestion.kind).in_(kinds),
            BotQuestion.check_state != CHECK_PENDING,  # staff read only checked text
            _scope_filter(db, scope),  # type: ignore[arg-type]
        )
        .order_by(col(BotQuestion.id).desc())
        .limit(limit)
    ).all()
    groups = [
        QuestionGroup(representative=members[0], members=members)
        for members in grouping.group(
            rows, text=lambda q: q.question, terms=terms, bucket=lead_clause
        )
    ]
    groups.sort(key=lambda g: (-len(g.members), -persisted_id(g.representative)))
    return groups


def group_of(
    db: Session, *, scope: Unit, question: BotQuestion, terms: Callable[[str], list[str]] | None
) -> list[BotQuestion]:
    """Everyone's open question in the same group as this one (as the staff page shows it, plus
    anyone who asked the same since the page was drawn)."""
    kinds = (UNHELPFUL,) if question.kind == UNHELPFUL else OPEN_KINDS
    for group in open_groups(db, scope=scope, terms=terms, kinds=kinds):
        if any(m.id == question.id for m in group.members):
            return sorted(group.members, key=lambda m: persisted_id(m))
    return [question]


def _claim(
    db: Session, row: BotQuestion, *, staff: StaffAccount, answer: str, now: datetime
) -> bool:
    """Mark one open question answered; False when someone else handled it first."""
    result = db.execute(
        sa_update(BotQuestion)
        .where(col(BotQuestion.id) == row.id, col(BotQuestion.status) == "open")
        .values(
            status="answered", staff_answer=answer, answered_by_staff_id=staff.id, answered_at=now
        )
        .execution_options(synchronize_session=False)
    )
    db.refresh(row)
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _tell_askers(db: Session, *, clock: Clock, answered: list[BotQuestion], answer: str) -> None:
    """One notice per retiree whose question (or whose family's question) was answered, worded
    for them; their family who receive notices get a copy that names the retiree."""
    by_retiree: dict[int, list[BotQuestion]] = {}
    for row in answered:
        if row.retiree_id is not None:
            by_retiree.setdefault(row.retiree_id, []).append(row)
    for retiree_id, rows in by_retiree.items():
        retiree = directory.retiree(db, retiree_id)
        if retiree is None:
            continue
        first = rows[0]
        own = [r for r in rows if r.wechat_user_id and r.wechat_user_id == retiree.wechat_user_id]
        quoted = (own or rows)[0].question
        unhelpful = (
            "（您说机器人的回答没帮上忙，工作人员重新回答了。）\n"
            if first.kind == UNHELPFUL
            else ""
        )
        asked = "您问过" if own else "您的家人替您问过"
        notices_service.notify(
            db,
            clock=clock,
            retiree_id=retiree_id,
            title="工作人员回复了您的提问",
            body=(
                f"{asked}：“{quoted}”\n{unhelpful}工作人员的回复：{answer}\n"
                "在“问政策”里点“我问过工作人员的问题”，也能再看到。"
            ),
            dedupe_key=f"bot-answer:{first.id}",
            link_page="pages/bot/bot",
            include_family=False,
        )
        notices_service.notify(
            db,
            clock=clock,
            retiree_id=retiree_id,
            title=f"{retiree.name}同志的提问有回复了",
            body=(
                f"关于{retiree.name}同志的提问：“{quoted}”\n工作人员的回复：{answer}\n"
                "有不清楚的，请给所在的军休所打电话。"
            ),
            dedupe_key=f"bot-answer:{first.id}:family",
            link_page="pages/bot/bot",
            to_retiree=False,
            include_family=True,
        )


def answer_by_staff(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    question: BotQuestion,
    answer: str,
    add_to_faq: bool,
    faq_questions: list[str],
    sources: list[tuple[str, str]],
    knowledge_dir: Path,
    terms: Callable[[str], list[str]] | None = None,
) -> BotQuestion:
    """Answer this question and every open one in its group: each asker reads the answer in
    「我的提问」 and gets a notice. The sources are checked here, whichever door they came by."""
    answer = answer.strip()
    if not answer:
        raise BadRequest("请写下给老同志的回复。")
    sources = bot_sources.checked_sources(knowledge_dir, sources)
    if question.status != "open":
        raise Conflict("这个问题已经有人处理过了，请刷新。", code="already_handled")
    if question.check_state == CHECK_PENDING:
        raise Conflict("这个问题还在等微信的内容检查，请过一会儿再回复。", code="check_pending")
    members = group_of(db, scope=scope, question=question, terms=terms)
    now = clock.now()
    if not _claim(db, question, staff=staff, answer=answer, now=now):
        raise Conflict("这个问题已经有人处理过了，请刷新。", code="already_handled")
    answered = [question] + [
        m
        for m in members
        if m.id != question.id and _claim(db, m, staff=staff, answer=answer, now=now)
    ]
    answered.sort(key=lambda m: persisted_id(m))
    _tell_askers(db, clock=clock, answered=answered, answer=answer)
    if add_to_faq:
        asked = [m.question for m in answered if m.question not in UNCHECKED_TEXTS]
        phrasings = [q.strip() for q in faq_questions if q.strip()] or list(dict.fromkeys(asked))
        entry = BotFaqEntry(
            questions=json.dumps((phrasings or [question.question])[:20], ensure_ascii=False),
            answer=answer,
            sources=json.dumps([list(s) for s in sources], ensure_ascii=False),
            created_by_staff_id=persisted_id(staff),
            unit_id=staff.unit_id,
            created_at=now,
        )
        db.add(entry)
        db.flush()
        for member in answered:
            member.faq_entry_id = entry.id
            db.add(member)
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="bot_question.answer",
        entity="bot_question",
        entity_id=question.id,
        unit_id=question.unit_id or staff.unit_id,
        after={
            "answer": answer,
            "added_to_faq": add_to_faq,
            "answered_ids": [m.id for m in answered],
        },
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
