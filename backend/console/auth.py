"""Console sessions (HttpOnly cookie) and CSRF tokens for every form that writes."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request

from backend.accounts.deps import CONSOLE_COOKIE, end_dependency_transaction, staff_from_token
from backend.accounts.enums import StaffRole
from backend.accounts.models import StaffAccount, Unit
from backend.core.deps import ClockDep, SessionDep, SettingsDep
from backend.core.security import token_hash


@dataclass(frozen=True)
class StaffView:
    id: int
    display_name: str
    role: str
    unit_name: str


class LoginRequired(Exception):
    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


class CsrfRejected(Exception):
    pass


class AdminOnly(Exception):
    pass


def csrf_for(secret_key: str, session_token: str) -> str:
    return hmac.new(
        secret_key.encode(), token_hash(session_token).encode(), hashlib.sha256
    ).hexdigest()


def console_staff(
    request: Request, db: SessionDep, clock: ClockDep, settings: SettingsDep
) -> StaffAccount:
    token = request.cookies.get(CONSOLE_COOKIE)
    staff = staff_from_token(db, clock, token)
    if staff is None or token is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(quote(target))
    unit = db.get(Unit, staff.unit_id)
    # A plain snapshot for templates: error pages render after the session has rolled back.
    request.state.staff = StaffView(
        id=staff.id or 0,
        display_name=staff.display_name,
        role=staff.role,
        unit_name=unit.name if unit else "",
    )
    request.state.csrf = csrf_for(settings.secret_key, token)
    request.state.unit = unit
    end_dependency_transaction(db)
    return staff


ConsoleStaff = Annotated[StaffAccount, Depends(console_staff)]


def console_admin(staff: ConsoleStaff) -> StaffAccount:
    if staff.role != StaffRole.admin:
        raise AdminOnly()
    return staff


ConsoleAdmin = Annotated[StaffAccount, Depends(console_admin)]


def check_csrf(request: Request, submitted: str) -> None:
    expected = getattr(request.state, "csrf", "")
    if not expected or not hmac.compare_digest(expected, submitted or ""):
        raise CsrfRejected()


def scope_of(request: Request) -> Unit:
    unit = getattr(request.state, "unit", None)
    assert isinstance(unit, Unit)
    return unit
