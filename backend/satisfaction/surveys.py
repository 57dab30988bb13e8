"""Surveys (bj-junxiu-service-spec 8.1.3 a) 满意度调查; sx-monthly-pension-spec 7.1.2): staff write
up to ten questions (单选, 1–5 打分, 文字, 满意度), send them through notices to an audience picked
the way an announcement's is, and read the results as they come in. Each recipient answers once;
a 满意度 question's answer also counts in the unit's satisfied rate (source "survey").

A survey is open from its sending until its closing time or until staff close it."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import insert, literal
from sqlmodel import Session, col, func, select

from backend.accounts import audit, directory
from backend.core.clock import Clock, as_utc, format_local
from backend.core.db import insert_for
from backend.core.errors import BadRequest, Conflict, NotFound
from backend.notices import audience as audiences
from backend.notices import service as notices_service
from backend.notices.schemas import Audience, NoticeIn
from backend.satisfaction import service as ratings
from backend.satisfaction.models import Survey, SurveyRecipient, SurveyResponse
from backend.satisfaction.schemas import (
    AnswersIn,
    QuestionKind,
    QuestionPublic,
    Score,
    Source,
    SurveyForRetiree,
    SurveyIn,
    SurveyRow,
)

if TYPE_CHECKING:
    from backend.accounts.models import StaffAccount, Unit
    from backend.notices.models import Notice

NOT_FOUND = "没有找到这份问卷。"
STATUS_LABELS = {"draft": "草稿", "open": "进行中", "closed": "已结束"}
_RESPONSES = SurveyResponse.__table__  # type: ignore[attr-defined]


def page_for(survey_id: int, retiree_id: int | None = None) -> str:
    tail = f"&retiree_id={retiree_id}" if retiree_id else ""
    return f"pages/survey/survey?id={survey_id}{tail}"


def questions_of(survey: Survey) -> list[QuestionPublic]:
    return [QuestionPublic.model_validate(q) for q in json.loads(survey.questions)]


def is_open(survey: Survey, now: datetime) -> bool:
    return survey.status == "open" and now < as_utc(survey.closes_at)


def status_of(survey: Survey, now: datetime) -> str:
    if survey.status == "open" and not is_open(survey, now):
        return "closed"
    return survey.status


def _audit_view(survey: Survey) -> dict[str, object]:
    return {
        "title": survey.title,
        "questions": len(json.loads(survey.questions)),
        "closes_at": survey.closes_at,
        "status": survey.status,
    }


def create(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, data: SurveyIn
) -> Survey:
    """A draft: the questions and who it goes to (checked now, so sending finds no surprise)."""
    now = clock.now()
    if as_utc(data.closes_at) <= now:
        raise BadRequest("截止时间要在现在以后。请重新选一个日子。", code="closes_in_past")
    audiences.check_reaches_someone(db, scope=scope, audience=data.audience)
    survey = Survey(
        unit_id=scope.id or 0,
        title=data.title,
        intro=data.intro.strip(),
        questions=json.dumps(
            [q.model_dump(mode="json") for q in data.questions], ensure_ascii=False
        ),
        audience=data.audience.model_dump_json(),
        include_family=data.include_family,
        closes_at=data.closes_at,
        created_by_staff_id=staff.id,
        created_at=now,
        updated_at=now,
    )
    db.add(survey)
    db.flush()
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="survey.create",
        entity="survey",
        entity_id=survey.id,
        unit_id=survey.unit_id,
        after=_audit_view(survey),
    )
    return survey


def _notice_body(survey: Survey) -> str:
    count = len(json.loads(survey.questions))
    intro = f"{survey.intro}\n\n" if survey.intro else ""
    return (
        f"{intro}一共{count}道题，几分钟就能答完。"
        f"请在{format_local(survey.closes_at, '%m月%d日 %H:%M')}前点开这条消息作答。"
        "您的意见我们都会认真看。"
    )


def send(db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, survey: Survey) -> Notice:
    """Send the draft: the recipients are fixed now and told through one announcement that
    opens the survey page. Returns the notice (a large audience continues in the background)."""
    now = clock.now()
    if survey.status != "draft":
        raise Conflict("这份问卷已经发出去了，不能再发。", code="survey_sent")
    if as_utc(survey.closes_at) <= now:
        raise BadRequest("截止时间已经过了。请新建一份问卷，选以后的截止时间。")
    sender_scope = directory.unit(db, survey.unit_id) or scope  # the survey's own unit
    audience = Audience.model_validate_json(survey.audience)
    reached = audiences.check_reaches_someone(db, scope=sender_scope, audience=audience)
    ids = audiences.retiree_ids_query(db, scope=sender_scope, audience=audience).subquery()
    db.execute(
        insert(SurveyRecipient).from_select(
            ["survey_id", "retiree_id"],
            select(literal(survey.id), ids.c[0]),
        )
    )
    notice = notices_service.create(
        db,
        clock=clock,
        staff=staff,
        scope=sender_scope,
        data=NoticeIn(
            title=f"问卷：{survey.title}"[:60],
            body=_notice_body(survey),
            audience=audience,
            include_family=survey.include_family,
        ),
        send_now=True,
        link_page=page_for(survey.id or 0),
    )
    survey.status = "open"
    survey.sent_at = now
    survey.updated_at = now
    survey.recipients = reached
    survey.notice_id = notice.id
    db.add(survey)
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="survey.send",
        entity="survey",
        entity_id=survey.id,
        unit_id=survey.unit_id,
        after={"recipients": reached, "notice_id": notice.id},
    )
    return notice


def close(db: Session, *, clock: Clock, staff: StaffAccount, survey: Survey) -> Survey:
    if survey.status != "open":
        raise Conflict("只有进行中的问卷才能结束。", code="survey_not_open")
    now = clock.now()
    survey.status = "closed"
    survey.closed_at = now
    survey.updated_at = now
    db.add(survey)
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="survey.close",
        entity="survey",
        entity_id=survey.id,
        unit_id=survey.unit_id,
        before={"status": "open"},
        after={"status": "closed"},
    )
    return survey


def _response_counts(db: Session, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = db.exec(
        select(SurveyResponse.survey_id, func.count())
        .where(col(SurveyResponse.survey_id).in_(ids))
        .group_by(col(SurveyResponse.survey_id))
    ).all()
    return {int(s): int(n) for s, n in rows}


def row_of(survey: Survey, now: datetime, responses: int) -> SurveyRow:
    status = status_of(survey, now)
    return SurveyRow(
        id=survey.id or 0,
        title=survey.title,
        status=status,
        status_label=STATUS_LABELS[status],
        unit_id=survey.unit_id,
        closes_at=survey.closes_at,
        sent_at=survey.sent_at,
        recipients=survey.recipients,
        responses=responses,
    )


def list_in_scope(db: Session, *, clock: Clock, unit_ids: list[int]) -> list[SurveyRow]:
    """The surveys of the staff member's units, newest first (two queries)."""
    surveys = db.exec(
        select(Survey)
        .where(col(Survey.unit_id).in_(unit_ids))
        .order_by(col(Survey.created_at).desc(), col(Survey.id).desc())
        .limit(200)
    ).all()
    counts = _response_counts(db, [s.id or 0 for s in surveys])
    now = clock.now()
    return [row_of(s, now, counts.get(s.id or 0, 0)) for s in surveys]


def responses_of(db: Session, survey_id: int) -> list[SurveyResponse]:
    return list(
        db.exec(
            select(SurveyResponse)
            .where(SurveyResponse.survey_id == survey_id)
            .order_by(col(SurveyResponse.answered_at), col(SurveyResponse.id))
        ).all()
    )


# ---- the retiree's side ----------------------------------------------------------------------


def _received(db: Session, survey_id: int, retiree_id: int) -> Survey:
    """The survey, if it was sent to this retiree; the same words whether or not it exists."""
    survey = db.get(Survey, survey_id)
    if survey is None or survey.status == "draft":
        raise NotFound(NOT_FOUND)
    sent = db.get(SurveyRecipient, (survey_id, retiree_id))
    if sent is None:
        raise NotFound(NOT_FOUND)
    return survey


def _answers_of(db: Session, survey_id: int, retiree_id: int) -> list[int | str | None] | None:
    row = db.exec(
        select(SurveyResponse.answers).where(
            SurveyResponse.survey_id == survey_id, SurveyResponse.retiree_id == retiree_id
        )
    ).first()
    return None if row is None else list(json.loads(row))


def _for_retiree(
    survey: Survey,
    now: datetime,
    retiree_id: int,
    name: str,
    answers: list[int | str | None] | None,
) -> SurveyForRetiree:
    return SurveyForRetiree(
        id=survey.id or 0,
        title=survey.title,
        intro=survey.intro,
        closes_at=survey.closes_at,
        open=is_open(survey, now),
        answered=answers is not None,
        retiree_id=retiree_id,
        retiree_name=name,
        questions=questions_of(survey),
        answers=answers,
    )


def for_retiree(
    db: Session, *, clock: Clock, survey_id: int, retiree_id: int, retiree_name: str
) -> SurveyForRetiree:
    survey = _received(db, survey_id, retiree_id)
    answers = _answers_of(db, survey_id, retiree_id)
    return _for_retiree(survey, clock.now(), retiree_id, retiree_name, answers)


def mine(
    db: Session, *, clock: Clock, retiree_id: int, retiree_name: str
) -> list[SurveyForRetiree]:
    """The open surveys sent to this retiree, newest first, answered or not."""
    now = clock.now()
    surveys = db.exec(
        select(Survey)
        .join(SurveyRecipient, col(SurveyRecipient.survey_id) == col(Survey.id))
        .where(
            SurveyRecipient.retiree_id == retiree_id,
            Survey.status == "open",
            col(Survey.closes_at) > now,
        )
        .order_by(col(Survey.sent_at).desc(), col(Survey.id).desc())
        .limit(20)
    ).all()
    answered = {
        int(sid): list(json.loads(a))
        for sid, a in db.exec(
            select(SurveyResponse.survey_id, SurveyResponse.answers).where(
                SurveyResponse.retiree_id == retiree_id,
                col(SurveyResponse.survey_id).in_([s.id for s in surveys]),
            )
        ).all()
    }
    return [
        _for_retiree(s, now, retiree_id, retiree_name, answered.get(s.id or 0)) for s in surveys
    ]


def _checked(questions: list[QuestionPublic], answers: list[int | str | None]) -> list[object]:
    """Each answer against its question; a clear sentence naming the question otherwise."""
    if len(answers) != len(questions):
        raise BadRequest("回答和题目对不上。请退出后重新打开问卷再答。", code="answers_mismatch")
    checked: list[object] = []
    for number, (question, answer) in enumerate(zip(questions, answers, strict=True), start=1):
        if answer is None or (isinstance(answer, str) and not answer.strip()):
            checked.append(None)
            continue
        kind = question.kind
        if kind in (QuestionKind.choice, QuestionKind.satisfaction):
            if not isinstance(answer, int) or not 0 <= answer < len(question.options):
                raise BadRequest(f"第{number}题请从选项里选一个。", code="answer_invalid")
        elif kind == QuestionKind.rating:
            if not isinstance(answer, int) or not 1 <= answer <= 5:
                raise BadRequest(f"第{number}题请打1到5分。", code="answer_invalid")
        else:
            if not isinstance(answer, str):
                raise BadRequest(f"第{number}题请写几句话。", code="answer_invalid")
            answer = answer.strip()
            if len(answer) > 500:
                raise BadRequest(f"第{number}题请写在500字以内。", code="answer_too_long")
        checked.append(answer)
    if all(a is None for a in checked):
        raise BadRequest("还一道题都没有答。请至少答一道题再交。", code="answers_empty")
    return checked


def answer(
    db: Session,
    *,
    clock: Clock,
    survey_id: int,
    data: AnswersIn,
    unit_id: int,
    retiree_name: str,
    by: str,
) -> SurveyForRetiree:
    """Answer once. A second answer is refused (the first stays); a closed survey takes none."""
    survey = _received(db, survey_id, data.retiree_id)
    now = clock.now()
    if _answers_of(db, survey_id, data.retiree_id) is not None:
        raise Conflict("这份问卷已经答过了，谢谢您！", code="survey_answered")
    if not is_open(survey, now):
        raise BadRequest("这份问卷已经结束了，不能再答。谢谢您！", code="survey_closed")
    questions = questions_of(survey)
    checked = _checked(questions, data.answers)
    written = db.execute(
        insert_for(db, _RESPONSES)
        .values(
            survey_id=survey_id,
            retiree_id=data.retiree_id,
            answers=json.dumps(checked, ensure_ascii=False),
            answered_by=by,
            answered_at=now,
        )
        .on_conflict_do_nothing()
        .returning(_RESPONSES.c.id)
    ).scalar()
    if written is None:  # a second tap that raced the first
        raise Conflict("这份问卷已经答过了，谢谢您！", code="survey_answered")
    for question, value in zip(questions, checked, strict=True):
        if question.kind == QuestionKind.satisfaction and isinstance(value, int):
            ratings.record_rating(
                db,
                clock=clock,
                source=Source.survey,
                source_id=survey_id,
                retiree_id=data.retiree_id,
                unit_id=unit_id,
                score=Score(question.options[value]),
                comment=None,
                by=by,
                label=f"问卷：{survey.title}",
            )
            break  # the first 满意度 question is the survey's rating
    return for_retiree(
        db, clock=clock, survey_id=survey_id, retiree_id=data.retiree_id, retiree_name=retiree_name
    )
