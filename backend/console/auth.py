"""Console sessions (HttpOnly cookie) and CSRF tokens for every form that writes."""

# Annotations are not strings here: see backend/core/deps.py.

import hashlib
import hmac
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request

from backend.accounts import directory
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
    is_medical: bool = False


class LoginRequired(Exception):
    def __init__(self, next_url: str, *, expired: bool = False) -> None:
        self.next_url = next_url
        self.expired = expired  # there was a session and it ended: say so on the login page


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
        raise LoginRequired(quote(_back_to(request)), expired=token is not None)
    unit = directory.unit(db, staff.unit_id)
    # A plain snapshot for templates: error pages render after the session has rolled back.
    request.state.staff = StaffView(
        id=staff.id or 0,
        display_name=staff.display_name,
        role=staff.role,
        unit_name=unit.name if unit else "",
        is_medical=staff.is_medical,
    )
    request.state.csrf = csrf_for(settings.secret_key, token)
    request.state.unit = unit
    end_dependency_transaction(db)
    return staff


def _back_to(request: Request) -> str:
    """Where to return after logging in: this page, or for a form that was posted, the page the
    form was on (its draft is restored there, see static/draft.js)."""
    if request.method != "GET":
        referer = urlsplit(request.headers.get("referer", ""))
        same_site = referer.netloc in ("", request.url.netloc)
        if same_site and referer.path.startswith("/console/") and "//" not in referer.path:
            return referer.path + (f"?{referer.query}" if referer.query else "")
        return "/console"
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


ConsoleStaff = Annotated[StaffAccount, Depends(console_staff)]


async def console_admin(staff: ConsoleStaff) -> StaffAccount:
    if staff.role != StaffRole.admin:
        raise AdminOnly()
    return staff


ConsoleAdmin = Annotated[StaffAccount, Depends(console_admin)]


CSRF_FIELD = "csrf"  # the hidden field in every console form that writes (templates)
CSRF_HEADER = "X-CSRF-Token"  # the same token from a script
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def require_csrf(request: Request, _: ConsoleStaff) -> None:
    """The console's one CSRF check, on its router: every request that can change something
    carries this session's token, in the form's `csrf` field or the X-CSRF-Token header.

    The form is read here once; Starlette keeps it on the request, so the route's own form
    parameters (and uploads) read the same parsed body."""
    if request.method in SAFE_METHODS:
        return
    submitted = request.headers.get(CSRF_HEADER, "")
    if not submitted and _is_form(request):
        value = (await request.form()).get(CSRF_FIELD, "")
        submitted = value if isinstance(value, str) else ""
    expected = getattr(request.state, "csrf", "")
    if not expected or not hmac.compare_digest(expected.encode(), submitted.encode()):
        raise CsrfRejected()


def _is_form(request: Request) -> bool:
    kind = request.headers.get("content-type", "")
    return kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))


def scope_of(request: Request) -> Unit:
    unit = getattr(request.state, "unit", None)
    assert isinstance(unit, Unit)
    return unit
