"""Small helpers for form handling in console routes."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from datetime import date
from typing import Annotated, Any, TypeVar
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, BeforeValidator, TypeAdapter, ValidationError, model_validator
from sqlmodel import Session

from backend.console.render import page
from backend.core import idempotency, labels
from backend.core.clock import Clock
from backend.core.errors import AppError, translate_validation
from backend.core.inputs import Count, Day, Id

T = TypeVar("T")

# The form's one-time token (render.py puts a fresh one in each form that creates something).
FormToken = Annotated[str, Form(alias="form_token")]

# What a form that acts for one retiree says when nobody was picked (templates/_picker.html).
PICK_ONE = "请先在「老同志」一栏输入姓名、电话或身份证后4位，再点选搜到的人。"


class PickedRetiree(BaseModel):
    """Mixed into a domain schema whose form acts for one retiree picked in _picker.html: nobody
    picked is said the way the picker says it (not "老同志必须填写")."""

    @model_validator(mode="before")
    @classmethod
    def _picked(cls, data: Any) -> Any:
        if isinstance(data, dict) and not str(data.get("retiree_id") or "").strip():
            raise ValueError(PICK_ONE)
        return data


def whole_number(message: str, *, least: int = 1) -> Any:
    """A number box whose own sentence (「名额请填一个大于0的数字」) says what is wanted, for a
    form-flavoured schema: `count: Annotated[int, whole_number("…")]`."""

    def check(value: Any) -> Any:
        text = str(value).strip()
        if not text.isdecimal() or int(text) < least:
            raise ValueError(message)
        return int(text)

    return BeforeValidator(check)


def attempt(db: Session, action: Callable[[], T]) -> tuple[T | None, AppError | None]:
    """Run a service call; on a typed error undo its writes (unless the error says to keep
    them, like a failed login attempt) and hand the error back for the page to show."""
    try:
        return action(), None
    except AppError as exc:
        if not exc.keep_changes:
            db.rollback()
        return None, exc


def redirect(url: str, ok: str | None = None, *, err: str | None = None) -> RedirectResponse:
    """Back to a page with one outcome line: `ok` shows as a success, `err` as an error
    (base.html shows both kinds the same way on every page)."""
    sep = "&" if "?" in url else "?"
    if err:
        url += f"{sep}err={quote(err)}"
    elif ok:
        url += f"{sep}msg={quote(ok)}"
    return RedirectResponse(url, status_code=303)


def outcome(url: str, error: AppError | None, done: str | None) -> RedirectResponse:
    """The usual end of an action: its error as an error, else the success line."""
    if error is not None:
        return redirect(url, err=error.message)
    return redirect(url, done)


def once(
    db: Session, *, clock: Clock, staff_id: int | None, token: str, act: Callable[[], Response]
) -> Response:
    """Run a form's action once per form token (templates put a fresh one in every form).

    A repeat of the same token — a double click, two posts at once — is sent to the page the
    first one led to instead of acting again. Same records as the API's Idempotency-Key. Only a
    success is remembered: after an error the form can be sent again."""
    if not token or staff_id is None:
        return act()
    owner = idempotency.staff_owner(staff_id)
    earlier = idempotency.claim(db, clock=clock, owner=owner, key=token)
    if earlier is not None:
        return RedirectResponse(earlier, status_code=303)
    response = act()
    location = response.headers.get("location", "")
    if response.status_code == 303 and "err=" not in location:
        idempotency.remember(db, owner=owner, key=token, result=location)
    return response


def form_refused(request: Request, errors: Sequence[Any]) -> Response:
    """A console form that its input schema refused: the Chinese sentences (field titles from
    the schema, core/labels.py) as the error line of the page the form was on, or, without such
    a page, the console's error page. Never the API's JSON, never a 500."""
    texts = labels.messages(list(errors), endpoint=request.scope.get("endpoint"))
    text = "；".join(dict.fromkeys(t.rstrip("。") for t in texts[:3] if t)) or "填写的内容不对"
    back = _form_page(request)
    if back is not None:
        return redirect(back, err=f"{text}。")
    return page(
        request,
        "error.html",
        {"title": "没有提交成功", "message": f"{text}。请返回上一页改正后再提交。"},
        status_code=422,
    )


def _form_page(request: Request) -> str | None:
    """The console page the form was posted from (its own outcome lines dropped)."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc not in ("", request.url.netloc) or not referer.path.startswith("/console"):
        return None
    if "//" in referer.path or referer.path == "/console/login":
        return None
    query = urlencode([(k, v) for k, v in parse_qsl(referer.query) if k not in ("msg", "err")])
    return referer.path + (f"?{query}" if query else "")


def _or_none(kind: Any) -> BeforeValidator:
    """Read `value` as `kind`, or as None when it is blank or cannot be read."""
    adapter: TypeAdapter[Any] = TypeAdapter(kind)

    def read(value: Any) -> Any:
        try:
            return adapter.validate_python(value)
        except ValidationError:
            return None

    return BeforeValidator(read)


# An id that narrows a list in a page's address (?unit_id=3): blank, or anything that is not an
# id, is no filter — a page to look at, never an error.
FilterId = Annotated[int | None, _or_none(Id)]
# A day in a page's address (?start=2026-03-04): None when missing or unreadable (the page shows
# its usual day).
FilterDay = Annotated[date | None, _or_none(Day)]
# The record version a form was drawn from (hidden field): None when missing or unreadable, for
# the page to say "刷新后再操作" rather than a field error.
SeenVersion = Annotated[int | None, _or_none(Count)]


def day_or(value: str | None, fallback: date) -> date:
    """A day from a page's address (?day=2026-03-04), or `fallback` when it is missing or
    cannot be read (a page to look at, never an error)."""
    try:
        return date.fromisoformat(value) if value else fallback
    except ValueError:
        return fallback


def blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def form_errors(exc: ValidationError, model: type[BaseModel] | None = None) -> list[str]:
    """A form's validation errors as the Chinese sentences the page shows, labelled from the
    schema the form was checked against (found by the error's model name when not given)."""
    model = model or _model_named(exc.title)
    return [e["message"] for e in translate_validation(list(exc.errors()), model=model)]


def _model_named(name: str) -> type[BaseModel] | None:
    todo: list[type[BaseModel]] = [BaseModel]
    while todo:
        cls = todo.pop()
        if cls.__name__ == name and cls is not BaseModel:
            return cls
        todo.extend(cls.__subclasses__())
    return None


def once_for(
    request: Request, db: Session, staff_id: int | None, token: str, act: Callable[[], Response]
) -> Response:
    return once(db, clock=request.app.state.ctx.clock, staff_id=staff_id, token=token, act=act)


def form_once(route: Callable[..., Response]) -> Callable[..., Response]:
    """Decorate a console route whose form creates something: it gains the form's one-time
    `form_token` field and runs once per token (see once()). The route declares `request`, `db`
    and `me`."""
    signature = inspect.signature(route)
    token = inspect.Parameter(
        "form_token", inspect.Parameter.KEYWORD_ONLY, default="", annotation=FormToken
    )

    @functools.wraps(route)
    def run(*args: Any, form_token: str = "", **kwargs: Any) -> Response:
        return once_for(
            kwargs["request"],
            kwargs["db"],
            kwargs["me"].id,
            form_token,
            lambda: route(*args, **kwargs),
        )

    run.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*signature.parameters.values(), token]
    )
    return run
