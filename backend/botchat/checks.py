"""WeChat's content check of the questions kept for staff, after the reply.

The ask route writes the question as a "pending" row and answers at once; this job (every few
seconds, botchat.content_checks) reads the pending rows in a short transaction, calls
msg_sec_check for each outside any transaction, and records each outcome with a conditional
UPDATE (only a row still pending changes):

- passed → staff see the text as asked;
- risky → flagged: the text is replaced by REFUSED_TEXT, never stored or shown;
- a transient WeChat error (network, timeout, -1, rate limits) → the row stays pending, tried
  again later with a growing backoff (capped): never dropped, never shown unchecked;
- a permanent WeChat error (WeChat will not check this text for this openid, e.g. 40003) →
  unchecked: the text is withheld (UNCHECKED_TEXT) and staff see that someone asked, as when
  the check ran on the request path and failed.

A check has no side effect at WeChat, so two runs racing over one row are harmless: both
reach the same verdict and the second UPDATE finds the row no longer pending.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from sqlalchemy import or_
from sqlalchemy import update as sa_update
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from backend.botchat.models import BotQuestion
from backend.botchat.service import CHECK_PASSED, CHECK_PENDING, REFUSED_TEXT, UNCHECKED_TEXT
from backend.core.clock import Clock
from backend.core.db import transaction
from backend.wechat.errors import WeChatError

log = logging.getLogger(__name__)

CHECK_FLAGGED = "flagged"
CHECK_UNCHECKED = "unchecked"
BASE_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)
BATCH = 100


class TextChecker(Protocol):
    def check_text(self, openid: str, content: str, scene: int = 2) -> bool: ...


@dataclass
class CheckResult:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: str) -> None:
        self.counts[outcome] = self.counts.get(outcome, 0) + 1


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min … after each failed try, at most an hour."""
    return min(BASE_BACKOFF * (2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _due(engine: Engine, *, clock: Clock, limit: int) -> list[tuple[int, str, str, int]]:
    now = clock.now()
    with transaction(engine) as db:
        rows = db.exec(
            select(
                BotQuestion.id, BotQuestion.openid, BotQuestion.question, BotQuestion.check_attempts
            )
            .where(
                BotQuestion.check_state == CHECK_PENDING,
                or_(col(BotQuestion.check_after).is_(None), col(BotQuestion.check_after) <= now),
            )
            .order_by(col(BotQuestion.id))
            .limit(limit)
        ).all()
    return [(i, o or "", q, a) for i, o, q, a in rows if i is not None]


def _verdict(
    checker: TextChecker, *, openid: str, text: str, attempts: int, clock: Clock
) -> dict[str, object]:
    """The values to write for one row (and its outcome under the key "outcome")."""
    try:
        passed = checker.check_text(openid, text) if openid else True
    except WeChatError as error:
        if error.retryable:
            tries = attempts + 1
            return {
                "outcome": "retry",
                "check_attempts": tries,
                "check_after": clock.now() + backoff(tries),
            }
        log.warning("msg_sec_check refused (errcode %s); question kept without its text", error)
        return {
            "outcome": CHECK_UNCHECKED,
            "check_state": CHECK_UNCHECKED,
            "check_attempts": attempts + 1,
            "question": UNCHECKED_TEXT,
        }
    if passed:
        return {"outcome": CHECK_PASSED, "check_state": CHECK_PASSED}
    return {"outcome": CHECK_FLAGGED, "check_state": CHECK_FLAGGED, "question": REFUSED_TEXT}


def check_pending(
    engine: Engine, *, checker: TextChecker, clock: Clock, limit: int = BATCH
) -> CheckResult:
    """Check every pending question that is due; returns how many ended each way."""
    result = CheckResult()
    for row_id, openid, text, attempts in _due(engine, clock=clock, limit=limit):
        values = _verdict(checker, openid=openid, text=text, attempts=attempts, clock=clock)
        outcome = str(values.pop("outcome"))
        with transaction(engine) as db:
            changed = db.execute(
                sa_update(BotQuestion)
                .where(col(BotQuestion.id) == row_id, col(BotQuestion.check_state) == CHECK_PENDING)
                .values(**values)
                .execution_options(synchronize_session=False)
            ).rowcount  # type: ignore[attr-defined]
        result.add(outcome if changed else "already")
    return result
