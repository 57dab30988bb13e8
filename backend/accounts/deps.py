"""Who is calling: a WeChat user (Bearer token) or a staff member (Bearer token or console
cookie)."""

# Annotations are not strings here: see backend/core/deps.py.

from datetime import timedelta
from typing import Annotated

import anyio
from fastapi import Depends, Request
from sqlmodel import Session

from backend.accounts import identity, identity_cache, sessions
from backend.accounts.enums import SessionKind, StaffRole
from backend.accounts.models import StaffAccount, Unit, WechatUser
from backend.accounts.scope import Scope
from backend.core.cache import Cache
from backend.core.clock import Clock
from backend.core.db import wrote
from backend.core.deps import CacheDep, ClockDep, SessionDep, SettingsDep
from backend.core.errors import Forbidden, Unauthorized
from backend.core.settings import Settings

CONSOLE_COOKIE = "junxiu_console"


def end_dependency_transaction(db: Session) -> None:
    """Commit what the caller checks wrote (a session's sliding expiry) before the route runs.

    Each dependency and the route run in separate thread-pool calls; a transaction left open
    here would hold SQLite's write lock across that hop, and under load every thread could be
    waiting for a lock whose holder is waiting for a thread. On PostgreSQL a transaction that
    only read holds no lock: it stays open and the route carries on in it, on the same
    connection (no COMMIT, pool check-out and BEGIN again for every request)."""
    if wrote(db) or db.get_bind().dialect.name == "sqlite":
        db.commit()


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None


def authenticated_viewer(
    request: Request, db: SessionDep, clock: ClockDep, settings: SettingsDep, cache: CacheDep
) -> identity.Viewer:
    """The signed-in WeChat user and what they are (retiree, family): with Redis, both from the
    cache on most requests (accounts/sessions.py, accounts/identity_cache.py), no statement."""
    token = bearer_token(request)
    if not token:
        raise Unauthorized("请先登录。", code="not_logged_in")
    resolved = sessions.resolve(
        db,
        clock=clock,
        token=token,
        kind=SessionKind.wechat,
        sliding_ttl=timedelta(days=settings.session_ttl_days),
        cache=cache,
    )
    if resolved is None:
        raise Unauthorized("登录已过期，请重新打开小程序。", code="session_expired")
    viewer = identity_cache.viewer(db, cache, resolved.subject_id)
    if viewer is None:
        raise Unauthorized("登录已过期，请重新打开小程序。", code="session_expired")
    return viewer


AuthenticatedViewer = Annotated[identity.Viewer, Depends(authenticated_viewer)]


async def current_wechat_user(viewer: AuthenticatedViewer) -> WechatUser:
    return viewer.user


CurrentWechatUser = Annotated[WechatUser, Depends(current_wechat_user)]


def _viewer_from_database(
    request: Request, db: Session, clock: Clock, settings: Settings, cache: Cache
) -> identity.Viewer:
    """authenticated_viewer, then the dependency's transaction ended: one function, so one
    thread-pool hop instead of two."""
    viewer = authenticated_viewer(request, db, clock, settings, cache)
    end_dependency_transaction(db)
    return viewer


async def current_viewer(
    request: Request, db: SessionDep, clock: ClockDep, settings: SettingsDep, cache: CacheDep
) -> identity.Viewer:
    """The signed-in WeChat user. Most requests are answered by Redis's copies of the session
    and of who they are, read here on the event loop: two round trips on this machine's
    loopback cost less than the thread-pool hop a `def` dependency takes (core/routing.py).
    Anything that needs the database — no copy, an expiry to extend, no Redis — runs in the
    thread pool as before. Redis hung: its short timeout (core/cache.py) is paid once, then it
    is left alone for a few seconds and every request takes the database path."""
    token = bearer_token(request)
    if token:
        resolved = sessions.resolve_cached(
            cache,
            clock=clock,
            token=token,
            kind=SessionKind.wechat,
            sliding_ttl=timedelta(days=settings.session_ttl_days),
        )
        if resolved is not None:
            viewer = identity_cache.cached_viewer(db, cache, resolved.subject_id)
            if viewer is not None:
                return viewer
    return await anyio.to_thread.run_sync(
        _viewer_from_database, request, db, clock, settings, cache
    )


CurrentViewer = Annotated[identity.Viewer, Depends(current_viewer)]


def staff_from_token(
    db: SessionDep, clock: ClockDep, token: str | None, cache: Cache | None = None
) -> StaffAccount | None:
    if not token:
        return None
    resolved = sessions.resolve(
        db, clock=clock, token=token, kind=SessionKind.staff, sliding_ttl=None, cache=cache
    )
    if resolved is None:
        return None
    staff = identity_cache.staff(db, cache, resolved.subject_id)
    if staff is None or not staff.active:
        return None
    return staff


def _staff_from_database(request: Request, db: Session, clock: Clock, cache: Cache) -> StaffAccount:
    staff = staff_from_token(db, clock, bearer_token(request), cache)
    if staff is None:
        raise Unauthorized("请先登录工作人员账号。", code="staff_not_logged_in")
    end_dependency_transaction(db)
    return staff


async def current_staff(
    request: Request, db: SessionDep, clock: ClockDep, cache: CacheDep
) -> StaffAccount:
    """The signed-in staff member: from Redis's copies on the event loop when they are current,
    else from the database in the thread pool (as current_viewer)."""
    token = bearer_token(request)
    if token:
        resolved = sessions.resolve_cached(
            cache, clock=clock, token=token, kind=SessionKind.staff, sliding_ttl=None
        )
        if resolved is not None:
            staff = identity_cache.cached_staff(db, cache, resolved.subject_id)
            if staff is not None and staff.active:
                return staff
    return await anyio.to_thread.run_sync(_staff_from_database, request, db, clock, cache)


CurrentStaff = Annotated[StaffAccount, Depends(current_staff)]


async def current_admin(staff: CurrentStaff) -> StaffAccount:
    if staff.role != StaffRole.admin:
        raise Forbidden("只有管理员可以做这件事。")
    return staff


CurrentAdmin = Annotated[StaffAccount, Depends(current_admin)]


def staff_scope(db: SessionDep, staff: CurrentStaff) -> Unit:
    unit = db.get(Unit, staff.unit_id)
    if unit is None:
        raise Forbidden("您的账号没有所属单位，请联系管理员。")
    end_dependency_transaction(db)
    return unit


StaffScope = Annotated[Unit, Depends(staff_scope)]


async def current_scope(staff: CurrentStaff, unit: StaffScope) -> Scope:
    return Scope.of_staff(unit, staff)


# The staff member's subtree and who they are, for routes that need both (accounts/scope.py).
CurrentScope = Annotated[Scope, Depends(current_scope)]
