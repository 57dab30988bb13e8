"""Console login, logout and the dashboard."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from backend.accounts import retirees, sessions, units
from backend.accounts import staff as staff_service
from backend.accounts.deps import CONSOLE_COOKIE
from backend.accounts.enums import SessionKind
from backend.console import pages_sos
from backend.console.auth import ConsoleStaff, scope_of
from backend.console.forms import attempt, redirect
from backend.console.page_router import page_router
from backend.console.render import page
from backend.core import ratelimit
from backend.core.deps import ClientIP, ClockDep, CtxDep, SessionDep
from backend.notices import alerts
from backend.sos import service as sos_service

login_router = page_router(csrf=False)  # the only console page without a session (so without CSRF)
router = page_router()


EXPIRED = "登录已过期，请重新登录。"


@login_router.get("/login", response_class=HTMLResponse)
def login_form(
    request: Request,
    next: str = "/console",  # noqa: A002
    expired: str = "",
) -> HTMLResponse:
    context = {"next": next, "error": EXPIRED if expired else None, "username": ""}
    return page(request, "login.html", context)


def _safe_next(target: str) -> str:
    return target if target.startswith("/console") and "//" not in target else "/console"


class LoginForm(BaseModel):
    username: str = ""
    password: str = ""
    next: str = "/console"  # where to go after logging in (the page that asked for it)


@login_router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    db: SessionDep,
    ctx: CtxDep,
    clock: ClockDep,
    ip: ClientIP,
    form: Annotated[LoginForm, Form()],
) -> Response:
    ratelimit.hit(ctx.cache, clock, f"staff-login:ip:{ip}", limit=30, window_seconds=60)
    account, error = attempt(
        db,
        lambda: staff_service.authenticate(
            db, clock=clock, username=form.username, password=form.password, cache=ctx.cache
        ),
    )
    if error is not None or account is None:
        message = error.message if error else "用户名或密码不对。"
        return page(
            request,
            "login.html",
            {"next": form.next, "error": message, "username": form.username},
            status_code=error.status_code if error else 401,
        )
    token, row = sessions.create(
        db,
        clock=clock,
        kind=SessionKind.staff,
        subject_id=account.id or 0,
        ttl=timedelta(hours=ctx.settings.staff_session_hours),
    )
    response = redirect(_safe_next(form.next))
    response.set_cookie(
        CONSOLE_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        path="/",
        max_age=ctx.settings.staff_session_hours * 3600,
    )
    return response


@router.post("/logout")
def logout(request: Request, db: SessionDep, ctx: CtxDep, _: ConsoleStaff) -> Response:
    token = request.cookies.get(CONSOLE_COOKIE)
    if token:
        sessions.revoke(db, token=token, cache=ctx.cache)
    response = redirect("/console/login")
    response.delete_cookie(CONSOLE_COOKIE, path="/")
    return response


def dashboard(request: Request, db: SessionDep, clock: ClockDep, _: ConsoleStaff) -> HTMLResponse:
    scope = scope_of(request)
    counts = retirees.counts_in_scope(db, scope=scope)
    return page(
        request,
        "dashboard.html",
        {
            "nav": "home",
            "open_alerts": pages_sos.open_cards(request, db, clock),
            "outcomes": sos_service.outcome_choices(),
            "total": sum(counts.by_status.values()),
            "by_status": counts.by_status,
            "by_flag": counts.by_flag,
            "bound": counts.bound,
            "units": units.subtree(db, scope),
            "alerts": alerts.for_units(db, unit_ids=units.subtree_ids(db, scope)),
        },
    )
