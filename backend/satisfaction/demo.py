"""Demo satisfaction: a survey of the demo 军休所 sent to everyone there (closing in two weeks),
answered by a few neighbours (the demo retiree has not answered yet), so its results page and
the rates page have something to show."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session

from backend.core.actors import Actor
from backend.core.clock import Clock
from backend.notices.schemas import Audience
from backend.satisfaction import surveys
from backend.satisfaction.schemas import AnswersIn, QuestionIn, QuestionKind, SurveyIn

if TYPE_CHECKING:
    from backend.accounts.models import Retiree, StaffAccount, Unit

QUESTIONS = [
    QuestionIn(kind=QuestionKind.satisfaction, text="您对所里这个月的服务满意吗？"),
    QuestionIn(
        kind=QuestionKind.choice,
        text="您最常用哪项服务？",
        options=["助餐", "用车", "活动", "上门看望"],
    ),
    QuestionIn(kind=QuestionKind.rating, text="请给助餐的饭菜打个分"),
    QuestionIn(kind=QuestionKind.text, text="您还有什么意见和建议？"),
]
ANSWERS: list[list[int | str | None]] = [
    [0, 0, 5, "饭菜可口，谢谢大家。"],
    [1, 1, 4, None],
    [0, 2, 4, "希望多组织书法活动。"],
    [2, 0, 2, "送餐有时候凉了。"],
    [0, 3, None, None],
]


def load(
    db: Session, *, clock: Clock, staff: StaffAccount, unit: Unit, retirees: list[Retiree]
) -> None:
    data = SurveyIn(
        title="本月服务满意度调查",
        intro="请您花两分钟说说这个月的感受，不想答的题可以空着。",
        questions=QUESTIONS,
        closes_at=clock.now() + timedelta(days=14),
        audience=Audience(everyone=True),
    )
    survey = surveys.create(db, clock=clock, staff=staff, scope=unit, data=data)
    surveys.send(db, clock=clock, staff=staff, scope=unit, survey=survey)
    for retiree, answers in zip(retirees[1:], ANSWERS, strict=False):  # not the demo retiree
        surveys.answer(
            db,
            clock=clock,
            survey_id=survey.id or 0,
            data=AnswersIn(retiree_id=retiree.id or 0, answers=answers),
            unit_id=retiree.unit_id,
            retiree_name=retiree.name,
            by=Actor.self_().label,
        )
