"""Notices jobs: send scheduled announcements, resume interrupted fan-outs, send WeChat messages.

Each job is also a plain function of the context, so tests run it with an injected clock."""

from __future__ import annotations

from sqlalchemy import update as sa_update
from sqlmodel import col, select

from backend.core.context import AppContext
from backend.core.db import transaction
from backend.core.scheduler import IntervalJob, current_context
from backend.notices import dispatch, fanout
from backend.notices.fanout import NOTICE_TEMPLATE
from backend.notices.models import Notice


def send_due_notices(ctx: AppContext) -> int:
    """Start every scheduled notice whose time has come, and finish interrupted ones."""
    now = ctx.clock.now()
    with transaction(ctx.engine) as db:
        due = db.exec(
            select(Notice.id).where(Notice.status == "scheduled", col(Notice.send_at) <= now)
        ).all()
        for notice_id in due:
            db.execute(
                sa_update(Notice)
                .where(col(Notice.id) == notice_id, col(Notice.status) == "scheduled")
                .values(status="sending", sent_at=now)
                .execution_options(synchronize_session=False)
            )
        sending = db.exec(select(Notice.id).where(Notice.status == "sending")).all()
    for notice_id in sending:
        if notice_id is not None:
            fanout.run_fan_out(ctx.engine, clock=ctx.clock, notice_id=notice_id)
    return len(sending)


def dispatch_wechat(ctx: AppContext) -> dispatch.DispatchResult:
    dispatch.recover_stale(ctx.engine, clock=ctx.clock)
    return dispatch.dispatch_due(
        ctx.engine,
        sender=ctx.wechat,
        cache=ctx.cache,
        clock=ctx.clock,
        template_ids={NOTICE_TEMPLATE: ctx.settings.wechat_notice_template_id},
        per_second=ctx.settings.wechat_sends_per_second,
        per_user_hour=ctx.settings.wechat_sends_per_user_hour,
    )


def job_send_due_notices() -> None:
    send_due_notices(current_context())


def job_dispatch_wechat() -> None:
    dispatch_wechat(current_context())


JOBS = [
    IntervalJob(id="notices.send_due", func=job_send_due_notices, seconds=15),
    IntervalJob(id="notices.dispatch_wechat", func=job_dispatch_wechat, seconds=5),
]
