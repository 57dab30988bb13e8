"""Messages the official account's callback has taken, so a message WeChat delivers twice (or to
two workers) is answered once, with or without Redis."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from backend.core.types import UTCDateTime


class WechatCallbackMessage(SQLModel, table=True):
    __tablename__ = "wechat_callback_message"

    key: str = Field(primary_key=True, max_length=200)  # MsgId, or sender + time for events
    reply: str | None = Field(default=None, sa_column=Column(Text))  # the XML answered
    created_at: datetime = Field(sa_type=UTCDateTime, index=True)
