"""Tables of the emergency domain: a retiree's emergency contacts, the alerts (一键求助) and the
messages an alert asked staff to pass on by phone."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.accounts.scope import declare
from backend.core.types import UTCDateTime


class AlertStatus(StrEnum):
    raised = "raised"
    escalated = "escalated"
    acknowledged = "acknowledged"
    closed = "closed"


class Outcome(StrEnum):
    reached = "联系上了"
    hospital = "已送医"
    mistaken = "误触"


OPEN = (AlertStatus.raised, AlertStatus.escalated, AlertStatus.acknowledged)


class EmergencyContact(SQLModel, table=True):
    __tablename__ = "emergency_contact"
    __table_args__ = (UniqueConstraint("retiree_id", "position", name="uq_emergency_contact"),)

    id: int | None = Field(default=None, primary_key=True)
    retiree_id: int = Field(foreign_key="retiree.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    position: int  # 1..3, the order they are called in
    name: str = Field(max_length=50)
    relation: str = Field(max_length=20)
    phone: str = Field(max_length=30)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    updated_by: str = Field(max_length=60)


class SosAlert(SQLModel, table=True):
    """One 紧急求助. `open_retiree_id` is the retiree's id while the alert is open and NULL once
    it is closed: unique, so a retiree has at most one open alert, whoever taps and however
    often (a second tap finds the first)."""

    __tablename__ = "sos_alert"
    __table_args__ = (Index("ix_sos_alert_status", "status", "raised_at"),)

    id: int | None = Field(default=None, primary_key=True)
    retiree_id: int = Field(foreign_key="retiree.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    open_retiree_id: int | None = Field(default=None, unique=True)
    status: AlertStatus = Field(default=AlertStatus.raised, sa_type=String(20))
    raised_at: datetime = Field(sa_type=UTCDateTime)
    raised_by: str = Field(max_length=60)  # an Actor label: 本人 / 家属#3
    latitude: float | None = None
    longitude: float | None = None
    escalated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acknowledged_by_staff_id: int | None = Field(default=None, foreign_key="staff_account.id")
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_by_staff_id: int | None = Field(default=None, foreign_key="staff_account.id")
    outcome: str | None = Field(default=None, max_length=10)
    outcome_note: str | None = Field(default=None, max_length=200)
    version: int = 1


class SosCall(SQLModel, table=True):
    """Someone an alert asks staff to phone, with what to say: an emergency contact, or (after
    escalation) a leader. Phone numbers are not app users, so the message is a row staff read
    out, never a send."""

    __tablename__ = "sos_call"
    __table_args__ = (UniqueConstraint("alert_id", "kind", "phone", name="uq_sos_call"),)

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key="sos_alert.id", index=True)
    kind: str = Field(max_length=10)  # contact / leader
    name: str = Field(max_length=50)
    relation: str = Field(max_length=20)
    phone: str = Field(max_length=30)
    message: str = Field(max_length=300)
    created_at: datetime = Field(sa_type=UTCDateTime)


declare(EmergencyContact, missing="没有找到这位紧急联系人。")
declare(SosAlert, missing="没有找到这条求助。")
