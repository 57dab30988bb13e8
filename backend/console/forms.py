"""Small helpers for form handling in console routes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from backend.core.errors import AppError, translate_validation

T = TypeVar("T")


def attempt(db: Session, action: Callable[[], T]) -> tuple[T | None, AppError | None]:
    """Run a service call; on a typed error undo its writes (unless the error says to keep
    them, like a failed login attempt) and hand the error back for the page to show."""
    try:
        return action(), None
    except AppError as exc:
        if not exc.keep_changes:
            db.rollback()
        return None, exc


def redirect(url: str, message: str | None = None) -> RedirectResponse:
    if message:
        from urllib.parse import quote

        url += ("&" if "?" in url else "?") + "msg=" + quote(message)
    return RedirectResponse(url, status_code=303)


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
