"""The emergency domain's job: an alert nobody acknowledged within the setting's minutes
(SOS_ESCALATE_MINUTES, default 5) goes to the unit's leaders. Runs every 30 seconds, so an alert
escalates within half a minute of its deadline; the move is one conditional UPDATE and every
message has a dedupe key, so a second scheduler or a restart escalates it once."""

from __future__ import annotations

from backend.core.context import AppContext
from backend.core.db import transaction
from backend.core.scheduler import IntervalJob, current_context
from backend.sos import service


def escalate(ctx: AppContext) -> int:
    with transaction(ctx.engine) as db:
        return service.escalate_due(db, clock=ctx.clock, minutes=ctx.settings.sos_escalate_minutes)


def job_escalate() -> None:
    escalate(current_context())


JOBS = [IntervalJob(id="sos.escalate", func=job_escalate, seconds=30)]
