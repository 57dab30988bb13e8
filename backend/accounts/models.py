"""Tables of the people domain: units, retirees, WeChat users, family, staff, sessions, audit."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, String, Text
from sqlmodel import Field, SQLModel

from backend.accounts.enums import (
    Gender,
    Relation,
    RetireeCategory,
    RetireeLevel,
    RetireeStatus,
    SessionKind,
    StaffRole,
    UnitKind,
)
from backend.core.types import UTCDateTime


class Unit(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    kind: UnitKind = Field(sa_type=String(20))
    parent_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    # Materialised path "/1/4/9/": a subtree is every unit whose path starts with this one's.
    path: str = Field(default="", max_length=500, index=True)
    phone: str | None = Field(default=None, max_length=40)
    created_at: datetime = Field(sa_type=UTCDateTime)


class WechatUser(SQLModel, table=True):
    __tablename__ = "wechat_user"

    id: int | None = Field(default=None, primary_key=True)
    openid: str = Field(max_length=128, unique=True)
    unionid: str | None = Field(default=None, max_length=128)
    # session_key from code2Session, encrypted; it never leaves the server.
    session_key_enc: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Retiree(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    name: str = Field(max_length=50, index=True)
    gender: Gender = Field(sa_type=String(4))
    birth_date: date
    category: RetireeCategory = Field(sa_type=String(20))
    level: RetireeLevel = Field(sa_type=String(20))
    phone: str | None = Field(default=None, max_length=30, index=True)
    address: str | None = Field(default=None, max_length=200)
    id_number_enc: str = Field(sa_column=Column(Text, nullable=False))
    id_number_hash: str = Field(max_length=64, unique=True)
    id_number_tail: str = Field(max_length=4, index=True)
    status: RetireeStatus = Field(default=RetireeStatus.active, sa_type=String(10), index=True)
    status_note: str | None = Field(default=None, max_length=200)
    status_changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    died_on: date | None = None  # the date of death staff entered when marking 去世
    wechat_user_id: int | None = Field(
        default=None, foreign_key="wechat_user.id", unique=True, nullable=True
    )
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    version: int = Field(default=1)


class RetireeCareFlag(SQLModel, table=True):
    __tablename__ = "retiree_care_flag"

    retiree_id: int = Field(foreign_key="retiree.id", primary_key=True, ondelete="CASCADE")
    flag: str = Field(primary_key=True, max_length=10, index=True)


class FamilyBinding(SQLModel, table=True):
    __tablename__ = "family_binding"
    __table_args__ = (
        Index("ix_family_binding_user_active", "wechat_user_id", "revoked_at"),
        Index("ix_family_binding_retiree_active", "retiree_id", "revoked_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    retiree_id: int = Field(foreign_key="retiree.id")
    wechat_user_id: int = Field(foreign_key="wechat_user.id")
    relation: Relation = Field(sa_type=String(10))
    display_name: str = Field(max_length=50)
    can_receive_notices: bool = True
    can_submit_checkin: bool = False
    can_book: bool = False
    can_see_health: bool = False  # the health record (backend/health_record)
    invite_id: int | None = Field(default=None, foreign_key="family_invite.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_by: str | None = Field(default=None, max_length=60)


class BindingCode(SQLModel, table=True):
    """A 6-digit one-time code staff give a retiree to bind their WeChat."""

    __tablename__ = "binding_code"

    id: int | None = Field(default=None, primary_key=True)
    retiree_id: int = Field(foreign_key="retiree.id", index=True)
    code: str = Field(max_length=6, index=True)
    issued_by_staff_id: int = Field(foreign_key="staff_account.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    used_by_wechat_user_id: int | None = Field(default=None, foreign_key="wechat_user.id")
    failed_attempts: int = 0
    locked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class FamilyInvite(SQLModel, table=True):
    """An 8-character one-time invite a retiree or staff issue for a family member."""

    __tablename__ = "family_invite"

    id: int | None = Field(default=None, primary_key=True)
    retiree_id: int = Field(foreign_key="retiree.id", index=True)
    code: str = Field(max_length=12, unique=True)
    relation: Relation = Field(sa_type=String(10))
    can_receive_notices: bool = True
    can_submit_checkin: bool = False
    can_book: bool = False
    can_see_health: bool = False  # the health record (backend/health_record)
    issued_by: str = Field(max_length=60)  # "retiree:12" / "staff:3"
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    used_by_wechat_user_id: int | None = Field(default=None, foreign_key="wechat_user.id")


class StaffAccount(SQLModel, table=True):
    __tablename__ = "staff_account"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=50, unique=True)
    display_name: str = Field(max_length=50)
    password_hash: str = Field(max_length=200)
    role: StaffRole = Field(default=StaffRole.staff, sa_type=String(10))
    unit_id: int = Field(foreign_key="unit.id", index=True)
    phone: str | None = Field(default=None, max_length=30)
    active: bool = True
    # The unit's medical staff: the only staff who read health records (backend/health_record).
    is_medical: bool = False
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class StaffLoginFailure(SQLModel, table=True):
    __tablename__ = "staff_login_failure"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff_account.id", index=True, ondelete="CASCADE")
    at: datetime = Field(sa_type=UTCDateTime)


class AuthSession(SQLModel, table=True):
    """An opaque session token (only its hash is stored); Redis caches lookups."""

    __tablename__ = "auth_session"

    token_hash: str = Field(primary_key=True, max_length=64)
    kind: SessionKind = Field(sa_type=String(10))
    subject_id: int = Field(index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    staff_id: int | None = Field(default=None, foreign_key="staff_account.id", index=True)
    actor: str = Field(max_length=80)  # "staff:3 张敏"
    action: str = Field(max_length=60)
    entity: str = Field(max_length=40)
    entity_id: str | None = Field(default=None, max_length=40)
    unit_id: int | None = Field(default=None, index=True)
    before: str | None = Field(default=None, sa_column=Column(Text))
    after: str | None = Field(default=None, sa_column=Column(Text))


class RosterImport(SQLModel, table=True):
    __tablename__ = "roster_import"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff_account.id")
    unit_id: int = Field(foreign_key="unit.id")
    filename: str = Field(max_length=200)
    status: str = Field(default="parsing", max_length=20)  # parsing/ready/failed/confirmed
    total_rows: int = 0
    processed_rows: int = 0
    valid_rows: int = 0
    created_count: int = 0
    updated_count: int = 0
    message: str | None = Field(default=None, max_length=300)
    # Encrypted JSON: the parsed valid rows (they hold 身份证号) and the row report.
    payload_enc: str | None = Field(default=None, sa_column=Column(Text))
    report: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(sa_type=UTCDateTime)
    confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


__all__ = [
    "AuditLog",
    "AuthSession",
    "BindingCode",
    "FamilyBinding",
    "FamilyInvite",
    "RetireeCareFlag",
    "Retiree",
    "RosterImport",
    "StaffAccount",
    "StaffLoginFailure",
    "Unit",
    "WechatUser",
]
