"""API shapes of satisfaction: ratings, surveys and their results, unit rates."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field, field_validator, model_validator

from backend.core.inputs import Day, Id, Line, Moment, Text
from backend.notices.schemas import Audience

TARGET = 0.90  # sx-monthly-pension-spec 4.1.5: 满意度达 90%以上


class Score(StrEnum):
    good = "满意"
    fair = "基本满意"
    poor = "不满意"


SATISFIED = (Score.good.value, Score.fair.value)


class Source(StrEnum):
    activity = "activity"
    meal = "meal"
    ride = "ride"
    case = "case"
    survey = "survey"


SOURCE_LABELS: dict[str, str] = {
    Source.activity: "活动",
    Source.meal: "助餐",
    Source.ride: "用车",
    Source.case: "信访和意见",
    Source.survey: "问卷",
}


class RatingIn(BaseModel):
    source: Source = Field(title="评价什么")
    source_id: Id = Field(title="编号")
    retiree_id: Id = Field(title="老同志")
    score: Score = Field(title="满意不满意")
    comment: Text | None = Field(default=None, title="想说的话", max_length=300)


class RatingState(BaseModel):
    """One thing the retiree may rate: what, when it was offered, and the answer if given."""

    source: str
    source_label: str
    source_id: int
    retiree_id: int
    label: str
    asked_at: datetime
    score: str | None
    comment: str | None
    rated_at: datetime | None


class PendingRatings(BaseModel):
    data: list[RatingState]


# ---- surveys ----------------------------------------------------------------------------------


class QuestionKind(StrEnum):
    choice = "单选"
    rating = "打分"
    text = "文字"
    satisfaction = "满意度"


MAX_QUESTIONS = 10


class QuestionIn(BaseModel):
    kind: QuestionKind = Field(title="题型")
    text: Line = Field(title="题目", min_length=1, max_length=100)
    options: list[Line] = Field(title="选项", default_factory=list, max_length=8)

    @model_validator(mode="after")
    def _options(self) -> QuestionIn:
        self.text = self.text.strip()
        if not self.text:
            raise ValueError("题目不能空着。")
        options = [o.strip() for o in self.options if o.strip()]
        if self.kind == QuestionKind.choice:
            if len(options) < 2:
                raise ValueError(f"单选题「{self.text}」至少要有两个选项。")
            if any(len(o) > 30 for o in options):
                raise ValueError("每个选项请写在30个字以内。")
            if len(set(options)) != len(options):
                raise ValueError(f"单选题「{self.text}」有重复的选项。")
            self.options = options
        elif self.kind == QuestionKind.satisfaction:
            self.options = [s.value for s in Score]
        else:
            self.options = []
        return self


class SurveyIn(BaseModel):
    title: Line = Field(title="问卷标题", min_length=1, max_length=60)
    intro: Text = Field(title="说明", default="", max_length=500)
    questions: list[QuestionIn] = Field(title="题目", min_length=1, max_length=MAX_QUESTIONS)
    closes_at: Moment = Field(title="截止时间")
    audience: Audience = Field(title="发给谁", default_factory=Audience)
    include_family: bool = Field(default=True, title="家属也收到")

    @field_validator("title")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("问卷标题不能空着。")
        return value


class QuestionPublic(BaseModel):
    kind: str
    text: str
    options: list[str]


class SurveyForRetiree(BaseModel):
    """What the mini-program shows: the questions, and whether this retiree already answered."""

    id: int
    title: str
    intro: str
    closes_at: datetime
    open: bool
    answered: bool
    retiree_id: int
    retiree_name: str
    questions: list[QuestionPublic]
    answers: list[int | str | None] | None


class MySurveys(BaseModel):
    data: list[SurveyForRetiree]


class AnswersIn(BaseModel):
    """One answer per question, in order: the option's number (from 0) for 单选 and 满意度,
    1–5 for 打分, words for 文字; null to skip."""

    retiree_id: Id = Field(title="老同志")
    answers: list[int | Text | None] = Field(title="回答", max_length=MAX_QUESTIONS)


class OptionCount(BaseModel):
    label: str
    count: int
    share: float  # of those who answered this question


class QuestionResult(BaseModel):
    number: int
    kind: str
    text: str
    answered: int
    options: list[OptionCount]
    average: float | None  # 打分: the mean of 1–5
    texts: list[str]


class SurveyRow(BaseModel):
    id: int
    title: str
    status: str
    status_label: str
    unit_id: int
    closes_at: datetime
    sent_at: datetime | None
    recipients: int
    responses: int


class SurveyList(BaseModel):
    data: list[SurveyRow]


class SurveyResults(BaseModel):
    survey: SurveyRow
    intro: str
    questions: list[QuestionResult]
    response_rate: float | None


# ---- rates ------------------------------------------------------------------------------------


class UnitRate(BaseModel):
    unit_id: int
    unit_name: str
    rated: int
    satisfied: int
    rate: float | None  # None: nobody rated
    meets_target: bool | None


class RatesQuery(BaseModel):
    start: Day = Field(title="开始日期")
    end: Day = Field(title="结束日期")
    source: Source | None = Field(default=None, title="评价什么")

    @model_validator(mode="after")
    def _order(self) -> RatesQuery:
        if self.end < self.start:
            raise ValueError("结束日期不能早于开始日期。")
        if (self.end - self.start).days > 366:
            raise ValueError("一次最多看一年。")
        return self


class RatesReport(BaseModel):
    start: date
    end: date
    source: str | None
    source_label: str
    target: float
    total: UnitRate
    units: list[UnitRate]
