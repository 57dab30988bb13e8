"""Mini-program login: wx.login code → code2Session → our own opaque session token."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from sqlmodel import Session, select

from backend.accounts import sessions
from backend.accounts.enums import SessionKind
from backend.accounts.models import WechatUser
from backend.core.clock import Clock
from backend.core.errors import AppError, BadRequest, Forbidden, ServiceUnavailable, TooManyRequests
from backend.core.security import PersonalDataCipher
from backend.wechat.errors import WeChatError


class SessionInfoLike(Protocol):
    """Read-only, so the gateway's frozen SessionInfo (and the fakes) fit."""

    @property
    def openid(self) -> str: ...
    @property
    def session_key(self) -> str: ...
    @property
    def unionid(self) -> str | None: ...


class CodeExchanger(Protocol):
    def code_to_session(self, code: str) -> SessionInfoLike: ...


def wechat_error_to_app_error(exc: WeChatError) -> AppError:
    code = f"wechat_{exc.errcode}" if exc.errcode is not None else "wechat_unreachable"
    if exc.errcode in (40029, 40163):
        return BadRequest(exc.message, code=code)
    if exc.errcode == 45011:
        return TooManyRequests(exc.message, code=code)
    if exc.errcode == 40226:
        return Forbidden(exc.message, code=code)
    return ServiceUnavailable(exc.message or "微信服务繁忙，请稍后再试。", code=code)


def exchange_code(gateway: CodeExchanger, code: str) -> SessionInfoLike:
    """Blocking HTTP call to WeChat: call from a sync route (thread pool), never async."""
    try:
        return gateway.code_to_session(code)
    except WeChatError as exc:
        raise wechat_error_to_app_error(exc) from None


def login(
    db: Session,
    *,
    clock: Clock,
    cipher: PersonalDataCipher,
    info: SessionInfoLike,
    ttl: timedelta,
) -> tuple[str, datetime, WechatUser]:
    now = clock.now()
    user = db.exec(select(WechatUser).where(WechatUser.openid == info.openid)).first()
    if user is None:
        user = WechatUser(openid=info.openid, created_at=now)
    user.unionid = info.unionid or user.unionid
    user.session_key_enc = cipher.encrypt(info.session_key) if info.session_key else None
    user.last_login_at = now
    db.add(user)
    db.flush()
    assert user.id is not None
    token, row = sessions.create(
        db, clock=clock, kind=SessionKind.wechat, subject_id=user.id, ttl=ttl
    )
    return token, row.expires_at, user
