"""Tables of 报平安: who takes part and at what time, pauses (away, in hospital), and one row
per retiree per Shanghai day that holds the check-in, the reminder and the escalation."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, String
from sqlmodel import Field, SQLModel

from backend.accounts.scope import declare
from backend.core.types import UTCDateTime


class SafecheckPlan(SQLModel, table=True):
    """One retiree's 报平安: on or off, the time the day's check should have come by, and the
    quiet hours (no message then). Times are Shanghai wall-clock minutes after midnight."""

    __tablename__ = "safecheck_plan"

    retiree_id: int = Field(foreign_key="retiree.id", primary_key=True)
    enabled: bool = Field(default=True, index=True)
    due_minute: int = 600  # 10:00
    quiet_start_minute: int = 1260  # 21:00
    quiet_end_minute: int = 420  # 07:00
    # The first Shanghai day that counts: turned on after the day's time, the next day.
    starts_on: date
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    updated_by: str = Field(max_length=60)  # an Actor label


class SafecheckPause(SQLModel, table=True):
    """No check while away (外出) or in hospital (住院): Shanghai dates, inclusive; a hospital
    stay may be open-ended until the discharge is recorded."""

    __tablename__ = "safecheck_pause"
    __table_args__ = (Index("ix_safecheck_pause_retiree_days", "retiree_id", "starts_on"),)

    id: int | None = Field(default=None, primary_key=True)
    retiree_id: int = Field(foreign_key="retiree.id")
    kind: str = Field(sa_type=String(10))  # PauseKind
    starts_on: date
    ends_on: date | None = None
    created_by: str = Field(max_length=60)
    created_at: datetime = Field(sa_type=UTCDateTime)
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SafecheckDay(SQLModel, table=True):
    """A retiree's Shanghai day: the check-in (once), the reminder (once), the escalation
    (once). The primary key makes a second tap, a second reminder or a second escalation a
    no-op whatever the timing."""

    __tablename__ = "safecheck_day"
    __table_args__ = (Index("ix_safecheck_day_day", "day"),)

    retiree_id: int = Field(foreign_key="retiree.id", primary_key=True)
    day: date = Field(primary_key=True)
    checked_in_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    checked_in_by: str | None = Field(default=None, max_length=60)
    reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    escalated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


declare(SafecheckPause, missing="没有找到这次暂停。", via=("retiree_id", "Retiree"))
