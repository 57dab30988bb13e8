"""The bot's API contract (issue: POST /api/v1/bot/ask)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from backend.core.inputs import Line, Text


class AskIn(BaseModel):
    question: Text = Field(title="问题", min_length=1, max_length=500)


class SourceOut(BaseModel):
    doc_id: str
    clause: str
    title: str
    excerpt: str


class AskOut(BaseModel):
    answer: str
    answered: bool
    confidence: float
    intent: str | None
    sources: list[SourceOut]
    suggestions: list[str]
    handoff_offered: bool
    # Set when the asker may say 有用 / 没用 about this answer.
    answer_id: int | None = None


class FeedbackIn(BaseModel):
    helpful: bool = Field(title="“有用”或“没用”")


class FeedbackOut(BaseModel):
    answer_id: int
    helpful: bool
    message: str


class HandoffIn(BaseModel):
    question: Text = Field(title="问题", min_length=1, max_length=500)


class HandoffOut(BaseModel):
    id: int
    message: str


class MyQuestionOut(BaseModel):
    id: int
    at: datetime
    question: str
    status: str
    staff_answer: str | None
    answered_at: datetime | None


class StaffQuestionOut(BaseModel):
    id: int
    at: datetime
    channel: str
    kind: str
    question: str
    status: str
    confidence: float
    retiree_id: int | None


class QuestionGroupOut(BaseModel):
    representative: StaffQuestionOut
    members: list[StaffQuestionOut]


class UnhelpfulGroupOut(BaseModel):
    representative: StaffQuestionOut
    members: list[StaffQuestionOut]
    count: int
    clause: str
    bot_answer: str


class StaffAnswerIn(BaseModel):
    answer: Text = Field(title="答复", min_length=1, max_length=2000)
    add_to_faq: bool = Field(default=False, title="加入常见问题")
    faq_questions: list[Text] = Field(title="常见问法", default_factory=list, max_length=20)
    sources: list[tuple[Line, Line]] = Field(title="依据条款", default_factory=list, max_length=10)
