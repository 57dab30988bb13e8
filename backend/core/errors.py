"""Typed application errors and the one handler that renders them.

Every error reaches the client as `{"code", "message", "detail"}` with a Chinese message.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import exc as sqlalchemy_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

from backend.core import labels

log = logging.getLogger(__name__)


class AppError(Exception):
    status_code = 400
    code = "bad_request"
    message = "请求有误，请检查后再试。"

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        detail: Any = None,
        keep_changes: bool = False,
    ) -> None:
        self.message = message or self.message
        self.code = code or self.code
        self.detail = detail
        # True when what the request wrote must stay although it fails (a failed login attempt,
        # a wrong binding code try): the transaction commits, then the error is returned.
        self.keep_changes = keep_changes
        super().__init__(self.message)


class BadRequest(AppError):
    pass


class Unauthorized(AppError):
    status_code = 401
    code = "unauthorized"
    message = "请先登录。"


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"
    message = "您没有权限做这件事。"


class NotFound(AppError):
    status_code = 404
    code = "not_found"
    message = "没有找到。请返回上一页再试。"


class Conflict(AppError):
    status_code = 409
    code = "conflict"
    message = "数据已被别人改动，请刷新后再试。"


class Unprocessable(AppError):
    status_code = 422
    code = "validation_error"
    message = "填写的内容有误，请改正后再提交。"


class PayloadTooLarge(AppError):
    status_code = 413
    code = "too_large"
    message = "文件太大了。"


class UnsupportedMedia(AppError):
    status_code = 415
    code = "unsupported_media"
    message = "文件类型不对。"


class TooManyRequests(AppError):
    status_code = 429
    code = "too_many_requests"
    message = "操作太频繁了，请过一会儿再试。"


class ServiceUnavailable(AppError):
    status_code = 503
    code = "service_unavailable"
    message = "服务暂时忙，请稍后再试。"


DATABASE_BUSY = "现在办事的人多，这次没有办成。请过一会儿再试一次。"


def error_body(code: str, message: str, detail: Any = None) -> dict[str, Any]:
    return {"code": code, "message": message, "detail": detail}


def translate_validation(
    errors: Sequence[Mapping[str, Any]], *, model: type[BaseModel] | None = None
) -> list[dict[str, str]]:
    """Pydantic errors as Chinese sentences, each labelled with the field's title from its
    schema (`Field(title="绑定码")`). `model` is what the errors' locations are relative to; the
    API's handler passes the endpoint (see `labels.py`)."""
    return [
        {"field": ".".join(str(p) for p in err.get("loc", ())), "message": message}
        for err, message in zip(errors, labels.messages(errors, model=model), strict=True)
    ]


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(_: Request, exc: AppError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, exc.message, exc.detail), exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        messages = labels.messages(errors, endpoint=request.scope.get("endpoint"))
        fields = [
            {"field": ".".join(str(p) for p in err.get("loc", ())[1:]), "message": message}
            for err, message in zip(errors, messages, strict=True)
        ]
        message = "；".join(dict.fromkeys(f["message"] for f in fields[:3])) or "填写的内容有误"
        return JSONResponse(
            error_body("validation_error", f"{message}。请改正后再提交。", fields), 422
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        messages = {
            404: "没有找到这个页面。",
            405: "不支持这种操作。",
            401: "请先登录。",
            403: "您没有权限做这件事。",
        }
        message = messages.get(exc.status_code, "请求有误，请稍后再试。")
        if exc.status_code == 413 and isinstance(exc.detail, str):
            # A body cut off at its route's limit (core/bodylimit.py): the message says which.
            return JSONResponse(error_body("too_large", exc.detail), 413)
        return JSONResponse(error_body(f"http_{exc.status_code}", message), exc.status_code)

    @app.exception_handler(sqlalchemy_exc.TimeoutError)
    @app.exception_handler(sqlalchemy_exc.OperationalError)
    @app.exception_handler(sqlalchemy_exc.InterfaceError)
    async def _database_busy(request: Request, exc: Exception) -> JSONResponse:
        # No free connection in time, the database unreachable or restarting, a lock wait cut
        # off: the transaction was rolled back, so nothing was half written. Say so, and when
        # to try again, instead of "系统出了点问题". Only the class is logged (no statement).
        log.warning(
            "database busy on %s %s: %s", request.method, request.url.path, type(exc).__name__
        )
        return JSONResponse(
            error_body("database_busy", DATABASE_BUSY), 503, headers={"Retry-After": "5"}
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, _exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(
            error_body(
                "internal_error", "系统出了点问题，请稍后再试。如一直不行，请联系工作人员。"
            ),
            500,
        )
