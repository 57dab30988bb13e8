"""Typed application errors and the one handler that renders them.

Every error reaches the client as `{"code", "message", "detail"}` with a Chinese message.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

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


def error_body(code: str, message: str, detail: Any = None) -> dict[str, Any]:
    return {"code": code, "message": message, "detail": detail}


_FIELD_NAMES = {
    "code": "登录凭证",
    "name": "姓名",
    "phone": "电话",
    "address": "住址",
    "id_number": "身份证号",
    "birth_date": "出生日期",
    "username": "用户名",
    "password": "密码",
    "question": "问题",
    "helpful": "“有用”或“没用”",
    "relation": "关系",
    "same_address": "是否仍住登记地址",
    "new_address": "新地址",
    "party_life": "是否参加党组织生活",
    "trips_abroad": "出国（境）情况",
    "destination": "去的国家或地区",
    "start_date": "出发日期",
    "end_date": "回来日期",
    "approved": "是否已审批或报备",
    "care_needs": "需要的照顾",
    "note": "说明",
    "closes_on": "截止日期",
    "opens_on": "开始日期",
    "year": "年份",
    "channel": "方式",
    "reasons": "退回原因",
}

_MESSAGES = {
    "missing": "必须填写",
    "string_too_short": "太短了",
    "string_too_long": "太长了",
    "string_pattern_mismatch": "格式不对",
    "int_parsing": "应该是数字",
    "date_from_datetime_parsing": "日期格式不对（例：1940-05-01）",
    "date_parsing": "日期格式不对（例：1940-05-01）",
    "enum": "不在可选范围内",
    "literal_error": "不在可选范围内",
    "bool_parsing": "应该是“是”或“否”",
    "json_invalid": "内容格式不对",
    "model_attributes_type": "内容格式不对",
    "dict_type": "内容格式不对",
    "list_type": "应该是一个列表",
    "value_error": "内容不对",
}


def translate_validation(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    fields = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
        field = loc[-1] if loc else ""
        label = _FIELD_NAMES.get(field, field)
        text = _MESSAGES.get(err.get("type", ""), "内容不对")
        if err.get("type") == "value_error":
            ctx_error = err.get("ctx", {}).get("error")
            if ctx_error:
                text = str(ctx_error)
        fields.append({"field": ".".join(loc), "message": f"{label}{text}" if label else text})
    return fields


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(_: Request, exc: AppError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, exc.message, exc.detail), exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        fields = translate_validation(list(exc.errors()))
        message = "；".join(f["message"] for f in fields[:3]) or "填写的内容有误"
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
        return JSONResponse(error_body(f"http_{exc.status_code}", message), exc.status_code)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, _exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(
            error_body(
                "internal_error", "系统出了点问题，请稍后再试。如一直不行，请联系工作人员。"
            ),
            500,
        )
