"""Botchat jobs: WeChat's content check of the questions kept for staff (backend/botchat/checks.py).

Each job is also a plain function of the context, so tests run it with an injected clock."""

from __future__ import annotations

from backend.botchat import checks
from backend.core.context import AppContext
from backend.core.scheduler import IntervalJob, current_context


def check_questions(ctx: AppContext) -> checks.CheckResult:
    return checks.check_pending(ctx.engine, checker=ctx.wechat, clock=ctx.clock)


def job_check_questions() -> None:
    check_questions(current_context())


JOBS = [IntervalJob(id="botchat.content_checks", func=job_check_questions, seconds=5)]
