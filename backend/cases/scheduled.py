"""The 信访 job, every 30 minutes on the injected clock: reminders before a case's due date and
escalation once it is late (service.remind). Idempotent through the alerts' dedupe keys and
`escalated_for`: a second run, a restart or a second scheduler tells nobody twice."""

from __future__ import annotations

from backend.cases import service
from backend.core.context import AppContext
from backend.core.db import transaction
from backend.core.scheduler import IntervalJob, current_context


def run(ctx: AppContext) -> int:
    with transaction(ctx.engine) as db:
        return service.remind(db, clock=ctx.clock)


def job_remind() -> None:
    run(current_context())


JOBS = [IntervalJob(id="cases.remind", func=job_remind, seconds=1800)]
