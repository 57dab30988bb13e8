"""A fake WeChat API that behaves as WeChat's documentation says, for the demo and the tests.

Routes are WeChat's own paths; mount it anywhere and point WECHAT_API_BASE at it. The routes
under /_fake/ are not WeChat's: they stand in for the phone (wx.login, subscribe consent) and
let tests look at what was sent.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from backend.core.clock import Clock
from backend.wechat.fake_state import CODE_TTL, FakeWeChatState

_ERRMSG = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40003: "invalid openid",
    40013: "invalid appid",
    40029: "invalid code",
    40125: "invalid appsecret",
    40163: "code been used",
    40226: "high risk user",
    42001: "access_token expired",
    43101: "user refuse to accept the msg",
    45011: "api minute-quota reach limit  mustslower  retry next minute",
    47001: "data format error",
    47003: "argument invalid!",
}


def _err(code: int, detail: str = "") -> JSONResponse:
    message = _ERRMSG.get(code, "error")
    return JSONResponse({"errcode": code, "errmsg": f"{message}{' ' + detail if detail else ''}"})


_CHINESE = re.compile(r"^[\u4e00-\u9fff]+$")
_NUMBER = re.compile(r"^\d+(\.\d+)?$")
_CHARS = re.compile(r"^[A-Za-z0-9_\-.:/#@ ]+$")
_DATE = re.compile(r"^(\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2})$")
_TIME = re.compile(r"^(\d{4}年\d{1,2}月\d{1,2}日 ?|\d{4}-\d{2}-\d{2} )?\d{1,2}:\d{2}$")


def field_problem(key: str, value: str) -> str | None:
    """WeChat's documented limits for subscribe-message template fields."""
    kind = re.sub(r"\d+$", "", key)
    if kind == "thing":
        return None if 0 < len(value) <= 20 else "thing must be 1-20 chars"
    if kind == "phrase":
        return None if 0 < len(value) <= 5 and _CHINESE.match(value) else "phrase: <=5 Chinese"
    if kind == "name":
        ok = 0 < len(value) <= (10 if _CHINESE.search(value) else 20)
        return None if ok else "name too long"
    if kind == "number":
        return None if len(value) <= 32 and _NUMBER.match(value) else "number invalid"
    if kind == "character_string":
        return None if 0 < len(value) <= 32 and _CHARS.match(value) else "character_string invalid"
    if kind == "date":
        return None if _DATE.match(value) else "date invalid"
    if kind == "time":
        return None if _TIME.match(value) else "time invalid"
    return f"unknown field {key}"


class LoginCodeIn(BaseModel):
    openid: str


class SubscriptionIn(BaseModel):
    openid: str
    template_id: str
    count: int = 1


class FailNextIn(BaseModel):
    errcodes: list[int]


def _token(state: FakeWeChatState, appid: str, secret: str, grant_type: str) -> Any:
    if grant_type != "client_credential":
        return _err(47001, "grant_type")
    if appid != state.appid:
        return _err(40013)
    if secret != state.secret:
        return _err(40125)
    return {"access_token": state.issue_token(), "expires_in": 7200}


def _jscode2session(
    state: FakeWeChatState, appid: str, secret: str, js_code: str, grant_type: str
) -> Any:
    if appid != state.appid:
        return _err(40013)
    if secret != state.secret:
        return _err(40125)
    if grant_type != "authorization_code":
        return _err(47001, "grant_type")
    failure = state.take_failure()
    if failure is not None:
        return _err(failure)
    with state.lock:
        issued = state.codes.get(js_code)
        if issued is None or issued.issued_at + CODE_TTL <= state.clock.now():
            return _err(40029)
        if issued.used:
            return _err(40163)
        issued.used = True
    if issued.openid in state.blocked_openids:
        return _err(40226)
    return {"openid": issued.openid, "session_key": f"sk-{issued.openid[-6:]}-fake"}


async def _token_and_body(
    state: FakeWeChatState, request: Request, access_token: str
) -> tuple[dict[str, Any] | None, JSONResponse | None]:
    """The JSON body of a call that needs an access token, or WeChat's error for it."""
    token_error = state.token_error(access_token)
    if token_error:
        return None, _err(token_error)
    try:
        body = await request.json()
    except ValueError:
        return None, _err(47001)
    return body, None


def _data_problem(data: dict[str, Any]) -> JSONResponse | None:
    for key, item in data.items():
        value = item.get("value") if isinstance(item, dict) else None
        problem = field_problem(key, str(value)) if isinstance(value, str) else "no value"
        if problem:
            return _err(47003, f"data.{key}.value {problem}")
    return None


def _subscribe_send(state: FakeWeChatState, body: dict[str, Any]) -> Any:
    touser, template_id = body.get("touser"), body.get("template_id")
    data = body.get("data")
    if not touser:
        return _err(40003)
    if not template_id or not isinstance(data, dict):
        return _err(47003, "template_id or data")
    problem = _data_problem(data)
    if problem is not None:
        return problem
    failure = state.take_failure()
    if failure is not None:
        return _err(failure)
    with state.lock:
        key = (touser, template_id)
        if state.subscriptions.get(key, 0) <= 0:
            return _err(43101)
        state.subscriptions[key] -= 1
        state.sent.append(
            {
                "touser": touser,
                "template_id": template_id,
                "page": body.get("page"),
                "data": data,
                "at": state.clock.now().isoformat(),
            }
        )
    return {"errcode": 0, "errmsg": "ok"}


def _msg_sec_check(state: FakeWeChatState, body: dict[str, Any]) -> Any:
    if body.get("version") != 2:
        return _err(47001, "version must be 2")
    if not body.get("openid"):
        return _err(40003)
    failure = state.take_failure()
    if failure is not None:
        return _err(failure)
    content = str(body.get("content", ""))
    risky = any(word in content for word in state.risky_words)
    result = {"suggest": "risky" if risky else "pass", "label": 20001 if risky else 100}
    return {
        "errcode": 0,
        "errmsg": "ok",
        "result": result,
        "detail": [],
        "trace_id": "fake-trace",
    }


def _wechat_routes(app: FastAPI, state: FakeWeChatState) -> None:
    """WeChat's own paths."""

    @app.get("/cgi-bin/token")
    def token(appid: str = "", secret: str = "", grant_type: str = "") -> Any:
        return _token(state, appid, secret, grant_type)

    @app.get("/sns/jscode2session")
    def jscode2session(
        appid: str = "", secret: str = "", js_code: str = "", grant_type: str = ""
    ) -> Any:
        return _jscode2session(state, appid, secret, js_code, grant_type)

    @app.post("/cgi-bin/message/subscribe/send")
    async def subscribe_send(request: Request, access_token: str = Query("")) -> Any:
        body, error = await _token_and_body(state, request, access_token)
        return error if body is None else _subscribe_send(state, body)

    @app.post("/wxa/msg_sec_check")
    async def msg_sec_check(request: Request, access_token: str = Query("")) -> Any:
        body, error = await _token_and_body(state, request, access_token)
        return error if body is None else _msg_sec_check(state, body)


def _fake_routes(app: FastAPI, state: FakeWeChatState) -> None:
    """/_fake/: the phone's side (wx.login, subscribe consent) and what tests look at."""

    @app.post("/_fake/login-code")
    def login_code(body: LoginCodeIn) -> dict[str, str]:
        return {"code": state.issue_code(body.openid)}

    @app.post("/_fake/subscriptions")
    def subscriptions(body: SubscriptionIn) -> dict[str, int]:
        state.grant_subscription(body.openid, body.template_id, body.count)
        return {"remaining": state.subscriptions[(body.openid, body.template_id)]}

    @app.get("/_fake/sent")
    def sent() -> list[dict[str, object]]:
        with state.lock:
            return list(state.sent)

    @app.post("/_fake/reset")
    def reset() -> dict[str, str]:
        state.reset()
        return {"status": "ok"}

    @app.post("/_fake/fail-next")
    def fail_next(body: FailNextIn) -> dict[str, int]:
        with state.lock:
            state.fail_next.extend(body.errcodes)
            return {"queued": len(state.fail_next)}


def create_fake_wechat_app(
    state: FakeWeChatState | None = None, clock: Clock | None = None
) -> FastAPI:
    state = state or FakeWeChatState()
    if clock is not None:
        state.clock = clock
    app = FastAPI(title="Fake WeChat API", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.fake = state
    _wechat_routes(app, state)
    _fake_routes(app, state)
    return app
