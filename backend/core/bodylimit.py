"""Request size limits, per route, enforced while the body arrives.

An ASGI middleware in front of everything: a declared Content-Length over the route's limit is
answered 413 before the application sees the request; a body without one (chunked) is counted
as it streams and cut off at the limit, so no request can make the process hold more than its
route allows. JSON and forms get 1 MB; uploads their own size plus room for the form around the
file; the official account's callback a few kilobytes of XML.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.accounts.roster import MAX_BYTES as ROSTER_MAX_BYTES
from backend.core.uploads import DOCUMENT_MAX_BYTES, PHOTO_MAX_BYTES

MB = 1024 * 1024
DEFAULT_LIMIT = 1 * MB
FORM_OVERHEAD = 64 * 1024


@dataclass(frozen=True)
class Limit:
    pattern: re.Pattern[str]
    max_bytes: int
    message: str


LIMITS = [
    Limit(re.compile(r"^/wechat/official$"), 64 * 1024, "消息太长了。"),
    Limit(
        re.compile(
            r"^(/api/v1/checkin/photo|/api/v1/medical/receipts|/api/v1/staff/activities/\d+/photo"
            r"|/console/activities/\d+/photo)$"
        ),
        PHOTO_MAX_BYTES + FORM_OVERHEAD,
        "照片太大了，请换一张小于5MB的照片。",
    ),
    Limit(
        re.compile(
            r"^(/api/v1/staff/bereavement/benefits/\d+/documents"
            r"|/console/funerals/\d+/benefits/\d+/documents"
            r"|/api/v1/staff/health-record/entries/\d+/report"
            r"|/console/health/retirees/\d+/entries/\d+/report"
            r"|/api/v1/staff/cases/\d+/attachments|/console/cases/\d+/attachments)$"
        ),
        DOCUMENT_MAX_BYTES + FORM_OVERHEAD,
        "文件太大了，请换一个小于10MB的文件。",
    ),
    Limit(
        re.compile(r"^(/api/v1/staff/roster-imports|/console/import)$"),
        ROSTER_MAX_BYTES + FORM_OVERHEAD,
        "文件太大了。花名册文件请小于10MB，可以分成几个文件导入。",
    ),
]
DEFAULT_MESSAGE = "提交的内容太多了，请删减一些再试。"


def limit_for(path: str) -> tuple[int, str]:
    for limit in LIMITS:
        if limit.pattern.match(path):
            return limit.max_bytes, limit.message
    return DEFAULT_LIMIT, DEFAULT_MESSAGE


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a streamed body passes its limit; an HTTPException so the
    framework's body parsing lets it through instead of calling it a parse error."""

    def __init__(self, message: str) -> None:
        super().__init__(status_code=413, detail=message)


async def _answer_413(send: Send, message: str, *, html: bool) -> None:
    if html:  # the staff console: a page to read, with the way back
        body = (
            '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>文件太大了</title>'
            f'<body style="font-size:20px;padding:2em"><h1>文件太大了</h1><p>{message}</p>'
            '<p><a href="javascript:history.back()">返回上一页</a></p></body></html>'
        ).encode()
        content_type = b"text/html; charset=utf-8"
    else:
        body = json.dumps(
            {"code": "too_large", "message": message, "detail": None}, ensure_ascii=False
        ).encode()
        content_type = b"application/json"
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes, message = limit_for(scope["path"])
        html = scope["path"].startswith("/console")
        declared = _content_length(scope)
        if declared is not None and declared > max_bytes:
            await _answer_413(send, message, html=html)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            event = await receive()
            if event["type"] == "http.request":
                received += len(event.get("body", b""))
                if received > max_bytes:
                    raise BodyTooLarge(message)
            return event

        async def tracked_send(event: Message) -> None:
            nonlocal started
            if event["type"] == "http.response.start":
                started = True
            await send(event)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except BodyTooLarge:
            if started:
                raise
            await _answer_413(send, message, html=html)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
