"""Questions the bot could not answer (or that asked for a person, or whose answer did not help),
the answers it gave in the mini-program with the asker's 有用 / 没用, and FAQ entries staff add."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from backend.accounts.scope import declare
from backend.core.types import UTCDateTime


class BotQuestion(SQLModel, table=True):
    """An abstention, a handoff or an answer voted 没用, kept for staff to answer."""

    __tablename__ = "bot_question"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    channel: str = Field(max_length=20)  # miniprogram / official
    wechat_user_id: int | None = Field(default=None, foreign_key="wechat_user.id", index=True)
    openid: str | None = Field(default=None, max_length=128)
    # The unit of the retiree who asked (or whom the asker follows), for staff scoping.
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    retiree_id: int | None = Field(default=None, foreign_key="retiree.id")
    question: str = Field(sa_column=Column(Text, nullable=False))
    kind: str = Field(max_length=20)  # abstained / handoff / unhelpful
    confidence: float = 0.0
    candidates: str | None = Field(default=None, sa_column=Column(Text))  # JSON
    status: str = Field(default="open", max_length=20, index=True)  # open/answered/dismissed
    staff_answer: str | None = Field(default=None, sa_column=Column(Text))
    answered_by_staff_id: int | None = Field(default=None, foreign_key="staff_account.id")
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    faq_entry_id: int | None = Field(default=None, foreign_key="bot_faq_entry.id")
    # kind "unhelpful": the bot's answer that was voted 没用.
    answer_id: int | None = Field(default=None, foreign_key="bot_answer.id", index=True)
    # WeChat's content check, run by the job botchat.content_checks after the reply
    # (backend/botchat/checks.py): pending → passed | flagged (text replaced) | unchecked (WeChat
    # refused to check it: text withheld). Staff see a row only once it is no longer pending.
    check_state: str = Field(default="pending", max_length=20, index=True)
    check_attempts: int = 0
    check_after: datetime | None = Field(default=None, sa_type=UTCDateTime)


class BotAnswerLog(SQLModel, table=True):
    """An answer the bot gave in the mini-program, so its asker can say 有用 or 没用.

    Only what that needs: who asked (to let only them vote, and to reach them when staff answer
    better), the question, the reply and the clauses it cited. The question is shown to staff
    only after a 没用 vote, and then only after WeChat's content check."""

    __tablename__ = "bot_answer"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    wechat_user_id: int = Field(foreign_key="wechat_user.id", index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    retiree_id: int | None = Field(default=None, foreign_key="retiree.id")
    question: str = Field(sa_column=Column(Text, nullable=False))
    answer: str = Field(sa_column=Column(Text, nullable=False))
    sources: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # JSON
    confidence: float = 0.0
    helpful: bool | None = None  # the asker's vote; None until they tap
    voted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class BotFaqEntry(SQLModel, table=True):
    """A FAQ entry written by staff in the console; merged into the index on rebuild."""

    __tablename__ = "bot_faq_entry"

    id: int | None = Field(default=None, primary_key=True)
    questions: str = Field(sa_column=Column(Text, nullable=False))  # JSON list of phrasings
    answer: str = Field(sa_column=Column(Text, nullable=False))
    sources: str = Field(
        default="[]", sa_column=Column(Text, nullable=False)
    )  # JSON [[doc, clause]]
    created_by_staff_id: int = Field(foreign_key="staff_account.id")
    unit_id: int = Field(foreign_key="unit.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    active: bool = True


# How a row maps to a staff member's scope (backend/accounts/scope.py).
# Questions from people not yet bound to any unit are seen by the top unit's staff.
declare(BotQuestion, missing="没有找到这个问题。", unowned_at_top=True)
