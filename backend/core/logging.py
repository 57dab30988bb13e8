"""One logging configuration for the whole process, uvicorn's access and error loggers included.

Every line is redacted as it is formatted — the message, the query string in an access line, an
exception's traceback, a database error's detail — so personal data never reaches the logs, even
by accident: 身份证号 and mobile numbers are masked, openids and the official account's signed
callback parameters are hidden. `logging_config()` is the dict handed to uvicorn (`junxiu serve`),
so uvicorn never installs handlers of its own.
"""

from __future__ import annotations

import json
import logging
import logging.config
import re
import sys
import threading
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
# WeChat openids and unionids: 28 characters of [A-Za-z0-9_-], starting with "o".
_OPENID_RE = re.compile(r"(?<![A-Za-z0-9_-])o[A-Za-z0-9_-]{27}(?![A-Za-z0-9_-])")
# key=value / "key": "value" pairs whose value is personal or a credential, wherever they appear
# (query strings, reprs, JSON): the value is dropped whatever it looks like.
_SECRET_KEYS = (
    "openid|unionid|session_key|access_token|secret|js_code|code|token|signature|"
    "msg_signature|nonce|echostr|id_number|phone|mobile|address|name|q|password"
)
_PAIR_RE = re.compile(
    rf"(?i)(?<![A-Za-z0-9_])({_SECRET_KEYS})([\"']?\s*[=:]\s*[\"']?)([^\"'&\s,;}}<)\]]+)"
)
_XML_RE = re.compile(
    r"(<(FromUserName|ToUserName|Content|Recognition|Encrypt)>)(.*?)(</\2>)", re.DOTALL
)
# PostgreSQL repeats the failing values in an error's DETAIL line.
_PG_ROW_RE = re.compile(r"(Failing row contains )\(.*?\)(?=\.?\s*$)", re.MULTILINE)
_PG_KEY_RE = re.compile(r"(Key \([^)]*\)=)\(.*?\)(?= already exists| is not present| conflicts)")


def redact(text: str) -> str:
    text = _XML_RE.sub(r"\1***\4", text)
    text = _PAIR_RE.sub(r"\1\2***", text)
    text = _PG_ROW_RE.sub(r"\1(***)", text)
    text = _PG_KEY_RE.sub(r"\1(***)", text)
    text = _ID_RE.sub(r"\1********\2", text)
    text = _PHONE_RE.sub(r"\1****\2", text)
    return _OPENID_RE.sub("o***", text)


class RedactingFilter(logging.Filter):
    """Redacts a record's message in place (for handlers outside our configuration)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True


class TextFormatter(logging.Formatter):
    """Plain lines; the whole formatted text (traceback included) is redacted."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object a line; every text field is redacted."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "msg": redact(record.getMessage()),
        }
        if record.exc_info:
            payload["exc"] = redact(self.formatException(record.exc_info))
        if record.stack_info:
            payload["stack"] = redact(self.formatStack(record.stack_info))
        return json.dumps(payload, ensure_ascii=False)


def logging_config(level: str = "INFO", as_json: bool = False) -> dict[str, Any]:
    """The dictConfig for this process: one redacting handler on the root logger; uvicorn's
    loggers keep no handlers of their own and propagate to it."""
    level = level.upper()
    formatter = f"{__name__}.{'JsonFormatter' if as_json else 'TextFormatter'}"
    propagate = {"handlers": [], "propagate": True}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"redacted": {"()": formatter}},
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": "redacted",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["default"], "level": level},
        "loggers": {
            "uvicorn": {**propagate, "level": level},
            "uvicorn.error": {**propagate, "level": level},
            "uvicorn.access": {**propagate, "level": level},
            "uvicorn.asgi": {**propagate, "level": level},
            "apscheduler": {**propagate, "level": "WARNING"},
        },
    }


def _log_uncaught(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> None:
    logging.getLogger("junxiu").critical("uncaught exception", exc_info=(kind, value, tb))


def _log_thread_exception(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit or args.exc_value is None:
        return
    name = args.thread.name if args.thread else "?"
    logging.getLogger("junxiu").error(
        "uncaught exception in thread %s",
        name,
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
    )


def configure_logging(level: str = "INFO", as_json: bool = False) -> None:
    logging.config.dictConfig(logging_config(level, as_json))
    logging.captureWarnings(True)
    # Tracebacks Python would print to stderr itself go through the same redaction.
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_thread_exception
