"""What an activity adds to a bookable: category, description, place, notes, cost."""

from __future__ import annotations

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


class Activity(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    bookable_id: int = Field(foreign_key="bookable.id", unique=True)
    category: str = Field(max_length=10, index=True)  # 文体活动 / 老年大学 / 疗养 / 慰问
    description: str = Field(default="", sa_column=Column(Text, nullable=False))
    place: str = Field(max_length=100)
    accessibility: str | None = Field(default=None, max_length=200)
    cost: str | None = Field(default=None, max_length=50)
