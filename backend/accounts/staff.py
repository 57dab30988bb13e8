"""Staff accounts: login with lockout, creation by admins, listing within scope."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import NoReturn

from sqlmodel import Session, col, delete, func, select

from backend.accounts import audit
from backend.accounts.enums import StaffRole
from backend.accounts.models import StaffAccount, StaffLoginFailure, Unit
from backend.accounts.schemas import StaffCreate
from backend.accounts.scope import WRONG_UNIT, get_scoped, unit_in
from backend.core.cache import Cache
from backend.core.clock import Clock
from backend.core.errors import BadRequest, Conflict, Forbidden, Unauthorized
from backend.core.security import hash_password, verify_password

LOCKOUT_FAILURES = 5
LOCKOUT_WINDOW = timedelta(minutes=15)
# Spent on unknown usernames so a wrong name takes as long as a wrong password. Written out, not
# hashed at import (an argon2 hash is ~0.3 s CPU at every start of every worker); a test checks
# it carries the hasher's current parameters, so verifying it costs what a real hash costs.
_DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$er+TG5IP4tdrr/PE/PcONw"
    "$8TphV1nNZZ5ubJYGrTwsH9RDw44e2IQ6jCZbfMtdza4"
)
# The same words whether the username exists or not, so they never tell which usernames exist.
BAD_CREDENTIALS = "用户名或密码不对，请再试一次。连续输错5次，账号会锁定15分钟。"
LOCKED = "密码连续输错5次，账号已锁定15分钟。请稍后再试，或请管理员帮您重设密码。"


def _unknown_name_failures(cache: Cache | None, clock: Clock, username: str) -> int:
    """A name no account has "locks" after five tries too, answered as fast or slow as a real
    account, so neither the locked answer nor its timing tells that a username exists. Counted
    in the cache per 15-minute window (there is no row to count on); without a cache the
    answer stays the plain wrong-password one."""
    if cache is None:
        return 0
    window = int(clock.now().timestamp()) // int(LOCKOUT_WINDOW.total_seconds())
    digest = hashlib.sha256(username.encode()).hexdigest()[:32]
    key = f"staff-login:unknown:{digest}:{window}"
    return cache.incr(key, ttl=int(LOCKOUT_WINDOW.total_seconds()) + 5)


def _refuse_unknown(cache: Cache | None, clock: Clock, username: str, password: str) -> NoReturn:
    failures = _unknown_name_failures(cache, clock, username)
    if failures > LOCKOUT_FAILURES:  # already "locked": a real locked account checks nothing
        raise Forbidden(LOCKED, code="locked")
    verify_password(_DUMMY_HASH, password)
    if failures == LOCKOUT_FAILURES:
        raise Forbidden(LOCKED, code="locked")
    raise Unauthorized(BAD_CREDENTIALS, code="bad_credentials")


def _recent_failures(db: Session, staff_id: int, clock: Clock) -> int:
    since = clock.now() - LOCKOUT_WINDOW
    count = db.exec(
        select(func.count())
        .select_from(StaffLoginFailure)
        .where(StaffLoginFailure.staff_id == staff_id, col(StaffLoginFailure.at) > since)
    ).one()
    return int(count)


def is_locked(db: Session, staff: StaffAccount, clock: Clock) -> bool:
    assert staff.id is not None
    return _recent_failures(db, staff.id, clock) >= LOCKOUT_FAILURES


def authenticate(
    db: Session, *, clock: Clock, username: str, password: str, cache: Cache | None = None
) -> StaffAccount:
    """Check a username and password; a wrong password is recorded (keep_changes) so that five
    in fifteen minutes lock the account, however many attempts arrive at once."""
    # The account's row is locked until this attempt is recorded: parallel attempts on one
    # account queue here, so each sees the failures before it and no more than five passwords
    # are ever checked (SQLite already runs one write transaction at a time).
    staff = db.exec(
        select(StaffAccount).where(StaffAccount.username == username.strip()).with_for_update()
    ).first()
    if staff is None or not staff.active:
        _refuse_unknown(cache, clock, username.strip(), password)
    assert staff.id is not None
    if is_locked(db, staff, clock):
        raise Forbidden(LOCKED, code="locked")
    if not verify_password(staff.password_hash, password):
        db.add(StaffLoginFailure(staff_id=staff.id, at=clock.now()))
        remaining = LOCKOUT_FAILURES - _recent_failures(db, staff.id, clock)
        if remaining <= 0:
            raise Forbidden(LOCKED, code="locked", keep_changes=True)
        raise Unauthorized(BAD_CREDENTIALS, code="bad_credentials", keep_changes=True)
    db.exec(delete(StaffLoginFailure).where(col(StaffLoginFailure.staff_id) == staff.id))
    staff.last_login_at = clock.now()
    db.add(staff)
    return staff


def label(staff: StaffAccount) -> str:
    """Who did something, in words people read: 工作人员张敏 (a case's file, a matter's steps,
    a visit task's 谁说的)."""
    return f"工作人员{staff.display_name}"


def create(
    db: Session, *, clock: Clock, actor: StaffAccount, scope: Unit, data: StaffCreate
) -> StaffAccount:
    if actor.role != StaffRole.admin:
        raise Forbidden("只有管理员可以添加工作人员账号。")
    get_scoped(db, Unit, data.unit_id, scope, missing=WRONG_UNIT, refuse=BadRequest)
    if db.exec(select(StaffAccount).where(StaffAccount.username == data.username)).first():
        raise Conflict("这个用户名已经有人用了，请换一个。", code="duplicate_username")
    staff = StaffAccount(
        username=data.username,
        display_name=data.display_name,
        password_hash=hash_password(data.password),
        role=data.role,
        unit_id=data.unit_id,
        is_medical=data.is_medical,
        created_at=clock.now(),
    )
    db.add(staff)
    db.flush()
    audit.record(
        db,
        clock=clock,
        staff=actor,
        action="staff.create",
        entity="staff",
        entity_id=staff.id,
        unit_id=staff.unit_id,
        after={
            "username": staff.username,
            "role": staff.role,
            "unit_id": staff.unit_id,
            "is_medical": staff.is_medical,
        },
    )
    return staff


def set_active(
    db: Session, *, clock: Clock, actor: StaffAccount, scope: Unit, staff_id: int, active: bool
) -> StaffAccount:
    if actor.role != StaffRole.admin:
        raise Forbidden("只有管理员可以停用或启用账号。")
    staff = get_scoped(db, StaffAccount, staff_id, scope)
    if staff.id == actor.id:
        raise BadRequest("不能停用自己的账号。")
    before = {"active": staff.active}
    staff.active = active
    db.add(staff)
    audit.record(
        db,
        clock=clock,
        staff=actor,
        action="staff.activate" if active else "staff.deactivate",
        entity="staff",
        entity_id=staff.id,
        unit_id=staff.unit_id,
        before=before,
        after={"active": active},
    )
    return staff


def set_medical(
    db: Session, *, clock: Clock, actor: StaffAccount, scope: Unit, staff_id: int, medical: bool
) -> StaffAccount:
    """Whether the account is one of the unit's medical staff, who alone among staff read
    health records (backend/health_record/access.py). Admins decide; audited."""
    if actor.role != StaffRole.admin:
        raise Forbidden("只有管理员可以设定医务人员。")
    staff = get_scoped(db, StaffAccount, staff_id, scope)
    before = {"is_medical": staff.is_medical}
    staff.is_medical = medical
    db.add(staff)
    audit.record(
        db,
        clock=clock,
        staff=actor,
        action="staff.medical",
        entity="staff",
        entity_id=staff.id,
        unit_id=staff.unit_id,
        before=before,
        after={"is_medical": medical},
    )
    return staff


def reset_password(
    db: Session,
    *,
    clock: Clock,
    actor: StaffAccount,
    scope: Unit,
    staff_id: int,
    password: str,
) -> StaffAccount:
    if actor.role != StaffRole.admin:
        raise Forbidden("只有管理员可以重设密码。")
    if len(password) < 8:
        raise BadRequest("新密码至少8位。")
    staff = get_scoped(db, StaffAccount, staff_id, scope)
    staff.password_hash = hash_password(password)
    db.add(staff)
    db.exec(delete(StaffLoginFailure).where(col(StaffLoginFailure.staff_id) == staff.id))
    audit.record(
        db,
        clock=clock,
        staff=actor,
        action="staff.reset_password",
        entity="staff",
        entity_id=staff.id,
        unit_id=staff.unit_id,
    )
    return staff


def list_in_scope(db: Session, scope: Unit) -> list[StaffAccount]:
    rows = db.exec(
        select(StaffAccount)
        .where(unit_in(StaffAccount.unit_id, scope))
        .order_by(col(StaffAccount.username))
    ).all()
    return list(rows)


def hold(db: Session, staff_id: int) -> None:
    """Lock this staff account's row until the transaction ends, so changes to what belongs to
    the person (their duty shifts) are made one at a time: PostgreSQL's row lock; SQLite's
    writers are serialised already (BEGIN IMMEDIATE)."""
    db.exec(select(StaffAccount.id).where(StaffAccount.id == staff_id).with_for_update()).first()
