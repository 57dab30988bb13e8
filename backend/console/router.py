"""The staff console: server-rendered pages under /console, calling the same services as the
API. Session in an HttpOnly cookie; every form that writes carries a CSRF token."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from backend.console import (
    pages_activities,
    pages_activity_day,
    pages_admin,
    pages_auth,
    pages_bot,
    pages_calendar,
    pages_cases,
    pages_checkin,
    pages_contacts,
    pages_duty,
    pages_funerals,
    pages_health,
    pages_imports,
    pages_lost,
    pages_matters,
    pages_meals,
    pages_medical,
    pages_notices,
    pages_picker,
    pages_reports,
    pages_retirees,
    pages_rides,
    pages_safecheck,
    pages_satisfaction,
    pages_sos,
    pages_visits,
)
from backend.console.auth import AdminOnly, CsrfRejected, LoginRequired
from backend.console.forms import form_refused
from backend.console.lazy import is_console_path
from backend.console.page_router import page_router
from backend.console.render import page
from backend.core.errors import AppError, install_error_handlers
from backend.core.routing import add_routes

JsonHandler = Callable[[Request, Exception], Awaitable[Response]]

NOT_FOUND_TITLE = "没有找到这个页面"
NOT_FOUND_MESSAGE = "这个地址不对，或者要找的内容已经不在了。请从左边的菜单重新进入。"
# Everything but the login page is staff work: the CSRF check on every unsafe method
# (console/page_router.py gives it to each of their routes).
STAFF_PAGES = (
    pages_auth,
    pages_retirees,
    pages_imports,
    pages_admin,
    pages_bot,
    pages_notices,
    pages_checkin,
    pages_contacts,
    pages_safecheck,
    pages_duty,
    pages_lost,
    pages_activities,
    pages_rides,
    pages_visits,
    pages_activity_day,
    pages_meals,
    pages_picker,
    pages_sos,
    pages_satisfaction,
    pages_matters,
    pages_calendar,
    pages_cases,
    pages_funerals,
    pages_medical,
    pages_health,
    pages_reports,
)
dashboard_router = page_router()
dashboard_router.add_api_route(
    "", pages_auth.dashboard, methods=["GET"], response_class=HTMLResponse
)


def create_console_app() -> FastAPI:
    """The console as its own app (backend/console/lazy.py mounts it after start-up): the same
    routes, static files, error pages and refusals as when it was part of the main app."""
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    install_error_handlers(app)
    install_console(app)
    return app


def install_console(app: FastAPI) -> None:
    """Each page module's routes go into the app itself as they are (core/routing.add_routes):
    their router (console/page_router.py) gave each of them the /console prefix and the
    console's checks — the address check first, then (all but the login page) the CSRF check.
    Not through a console router holding the modules' routers, nor by including each with the
    prefix and the checks: FastAPI would analyse every route again for the inclusion."""
    add_routes(app.router, pages_auth.login_router)
    add_routes(app.router, dashboard_router)
    for module in STAFF_PAGES:
        add_routes(app.router, module.router)
    app.mount(
        "/console/static",
        StaticFiles(directory=str(Path(__file__).parent / "static")),
        name="console-static",
    )
    _install_error_pages(app)
    _install_console_refusals(app)


def is_console(request: Request) -> bool:
    return is_console_path(request.url.path)


def error_page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    """The console's own error page (Chinese, a way home), never the API's JSON."""
    return page(request, "error.html", {"title": title, "message": message}, status)


def _install_error_pages(app: FastAPI) -> None:
    """Errors under /console become pages; elsewhere the API's JSON handlers still answer."""
    # The API's own handlers (backend/core/errors.py), all coroutines, answer outside /console.
    json_app_error = cast(JsonHandler, app.exception_handlers[AppError])
    json_http_error = cast(JsonHandler, app.exception_handlers[StarletteHTTPException])
    json_validation_error = cast(JsonHandler, app.exception_handlers[RequestValidationError])

    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> Response:
        if not is_console(request):
            return await json_app_error(request, exc)
        title = "没有找到" if exc.status_code == 404 else "操作没有成功"
        return error_page(request, exc.status_code, title, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if not is_console(request):
            return await json_http_error(request, exc)
        if exc.status_code == 413:
            return error_page(request, 413, "文件太大了", f"{exc.detail} 请返回上一页重新选择。")
        return error_page(request, exc.status_code, NOT_FOUND_TITLE, NOT_FOUND_MESSAGE)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        """A console address with a wrong number in it (/console/checkin/submissions/abc) is a
        page that does not exist; a form the domain's input schema refuses says why in Chinese
        on the page it came from (forms.form_refused)."""
        if not is_console(request):
            return await json_validation_error(request, exc)
        errors = list(exc.errors())
        if request.method in ("GET", "HEAD") or any(
            e.get("loc", ("",))[0] == "path" for e in errors
        ):
            return error_page(request, 404, NOT_FOUND_TITLE, NOT_FOUND_MESSAGE)
        return form_refused(request, errors)


def _install_console_refusals(app: FastAPI) -> None:
    """Not logged in, an expired form, not an admin: the console's own answers."""

    @app.exception_handler(LoginRequired)
    async def _login(_: Request, exc: LoginRequired) -> RedirectResponse:
        expired = "&expired=1" if exc.expired else ""
        return RedirectResponse(f"/console/login?next={exc.next_url}{expired}", status_code=303)

    @app.exception_handler(CsrfRejected)
    async def _csrf(request: Request, _: CsrfRejected) -> HTMLResponse:
        return page(
            request,
            "error.html",
            {
                "title": "页面已过期",
                "message": "这个页面已经过期了。请返回上一页，刷新后再操作一次。",
            },
            status_code=403,
        )

    @app.exception_handler(AdminOnly)
    async def _admin(request: Request, _: AdminOnly) -> HTMLResponse:
        return page(
            request,
            "error.html",
            {
                "title": "没有权限",
                "message": "这个页面只有管理员可以使用。如需帮助，请联系管理员。",
            },
            status_code=403,
        )
