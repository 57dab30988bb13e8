"""Tables of satisfaction: one row per thing a retiree may rate (asked, then rated), and surveys
with their recipients and responses."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.accounts.scope import declare
from backend.core.types import UTCDateTime


class SatisfactionRating(SQLModel, table=True):
    """One retiree's say about one thing: a meal order, a ride, an activity booking, a case,
    a survey. Written when the thing is done (asked_at: the three buttons are offered) and
    filled in when the retiree taps one (score). One row per (source, source_id, retiree)."""

    __tablename__ = "satisfaction_rating"
    __table_args__ = (
        UniqueConstraint("source", "source_id", "retiree_id", name="uq_satisfaction_rating"),
        Index("ix_satisfaction_rating_unit_rated", "unit_id", "rated_at"),
        Index("ix_satisfaction_rating_retiree", "retiree_id", "asked_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(sa_type=String(10))  # Source
    source_id: int
    retiree_id: int = Field(foreign_key="retiree.id")
    unit_id: int = Field(foreign_key="unit.id")
    label: str = Field(default="", max_length=80)  # "3月5日午餐", "去“协和医院”的用车"
    asked_at: datetime = Field(sa_type=UTCDateTime)
    score: str | None = Field(default=None, sa_type=String(6))  # Score
    comment: str | None = Field(default=None, max_length=300)
    rated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    rated_by: str | None = Field(default=None, max_length=60)  # an Actor label
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Survey(SQLModel, table=True):
    """A short survey. status: draft / open / closed. questions: a JSON list of
    {"kind", "text", "options"} (see schemas.QuestionIn), at most ten."""

    __tablename__ = "survey"

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    title: str = Field(max_length=60)
    intro: str = Field(default="", max_length=500)
    questions: str = Field(sa_column=Column(Text, nullable=False))
    audience: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    include_family: bool = True
    closes_at: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(default="draft", sa_type=String(8))
    recipients: int = 0
    notice_id: int | None = Field(default=None, foreign_key="notice.id")
    created_by_staff_id: int | None = Field(default=None, foreign_key="staff_account.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SurveyRecipient(SQLModel, table=True):
    """Who a survey was sent to (the audience as it was when it went out)."""

    __tablename__ = "survey_recipient"

    survey_id: int = Field(foreign_key="survey.id", primary_key=True)
    retiree_id: int = Field(foreign_key="retiree.id", primary_key=True, index=True)


class SurveyResponse(SQLModel, table=True):
    """One retiree's answers to one survey (once). answers: a JSON list, one entry per
    question: an option index, a 1–5 rating, a text, or null when skipped."""

    __tablename__ = "survey_response"
    __table_args__ = (UniqueConstraint("survey_id", "retiree_id", name="uq_survey_response"),)

    id: int | None = Field(default=None, primary_key=True)
    survey_id: int = Field(foreign_key="survey.id")
    retiree_id: int = Field(foreign_key="retiree.id", index=True)
    answers: str = Field(sa_column=Column(Text, nullable=False))
    answered_by: str = Field(max_length=60)
    answered_at: datetime = Field(sa_type=UTCDateTime)


declare(Survey, missing="没有找到这份问卷。")
declare(SatisfactionRating, missing="没有找到这条评价。")
