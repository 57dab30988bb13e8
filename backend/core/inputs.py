"""Input types shared by every request schema, path and query parameter.

Each holds what the database and the people behind it can take, so bad input is a 4xx in Chinese
and never a 500: ids fit PostgreSQL's integer (SQLite's is wider), dates stay within 1900–2100,
times are made aware (a time without a zone is a Shanghai wall-clock time) and kept in UTC, text
holds no NUL or other control characters (newline and tab only where the text has several lines),
and codes typed with full-width digits (１２３４５６) are read as the digits they are.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime
from typing import Annotated, Any

from annotated_types import Ge, Le
from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from backend.core.clock import SHANGHAI

MAX_ID = 2**31 - 1  # PostgreSQL's integer
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)

_LINE_BAD = re.compile(r"[\x00-\x1f\x7f]")
_TEXT_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _check_line(value: str) -> str:
    if _LINE_BAD.search(value):
        raise PydanticCustomError("text_control", "contains a control character")
    return value


def _check_text(value: str) -> str:
    if _TEXT_BAD.search(value):
        raise PydanticCustomError("text_control", "contains a control character")
    return value


def _check_day(value: date) -> date:
    if not EARLIEST <= value <= LATEST:
        raise PydanticCustomError("date_range", "date out of range")
    return value


def _to_utc(value: datetime) -> datetime:
    if not EARLIEST.year <= value.year <= LATEST.year:
        raise PydanticCustomError("date_range", "date out of range")
    if value.tzinfo is None:
        value = value.replace(tzinfo=SHANGHAI)
    return value.astimezone(UTC)


def nfkc(value: Any) -> Any:
    """Full-width digits and letters (１２３４５６, ＡＢ) as their ASCII forms; spaces trimmed."""
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value).strip()
    return value


def search_text(value: str) -> str:
    """What a search box holds, as it is compared: NFKC (full-width digits of a phone number or
    身份证 tail as digits), control characters dropped, trimmed."""
    return _LINE_BAD.sub("", unicodedata.normalize("NFKC", value)).strip()


# An id in a path, a query or a body.
Id = Annotated[int, Ge(1), Le(MAX_ID)]
# An optimistic-lock version, a page offset, any other count that is not an id.
Count = Annotated[int, Ge(0), Le(MAX_ID)]
# One line of text (a name, an address, a title).
Line = Annotated[str, AfterValidator(_check_line)]
# Text of several lines (a notice body, a note, an answer).
Text = Annotated[str, AfterValidator(_check_text)]
# A code people type or scan (binding code, invite code, 身份证 tail, phone number).
Code = Annotated[str, BeforeValidator(nfkc), AfterValidator(_check_line)]
# A calendar date within 1900–2100.
Day = Annotated[date, AfterValidator(_check_day)]
# A moment in time within 1900–2100, aware and in UTC (no zone: Shanghai wall-clock time).
Moment = Annotated[datetime, AfterValidator(_to_utc)]
