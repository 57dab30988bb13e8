"""The 事项报告 job, every 30 minutes, on the injected clock. Idempotent: every message has a
dedupe key, so a second run, a restart or a second scheduler tells nobody twice.

- An open matter with REMIND_WORKING_DAYS_LEFT working days or fewer left: the staff holding its
  step are reminded (快到期); past its deadline: told it is late (已超期).
- A trip abroad under way: every three months after leaving (while the planned return is still
  ahead) the person is asked for a quarterly report; staff hear when one is 10 days overdue.
- Past the planned return with no return reported: the person is asked to report it; staff
  hear 10 days later."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from backend.accounts import directory
from backend.core.clock import Clock, as_utc, local_day, local_today, to_local
from backend.core.context import AppContext
from backend.core.db import transaction
from backend.core.scheduler import IntervalJob, current_context
from backend.matters import rules, service, wording
from backend.matters.models import DONE_OK, OPEN, Flow, Kind, Matter, MatterEvent, Status
from backend.notices import alerts
from backend.notices import service as notices_service
from backend.workdays import service as workdays


def remind(db: Session, *, clock: Clock) -> int:
    """Everything the job tells, once; returns how many matters it looked at."""
    return _deadlines(db, clock=clock) + _trips(db, clock=clock)


def _step_unit(db: Session, matter: Matter) -> int:
    links = service.chain(db, matter.unit_id)
    return links.approver_unit_ids[-1] if matter.status == Status.signed else links.head_unit_id


def _deadlines(db: Session, *, clock: Clock) -> int:
    now = clock.now()
    soon = workdays.add_working_days(db, local_today(clock), rules.REMIND_WORKING_DAYS_LEFT)
    rows = db.exec(
        select(Matter)
        .where(
            col(Matter.status).in_([s.value for s in OPEN]),
            col(Matter.due_at) <= local_day(soon)[1],
        )
        .order_by(col(Matter.due_at), col(Matter.id))
    ).all()
    names = directory.retiree_names(db, [m.retiree_id for m in rows])
    for m in rows:
        late = as_utc(m.due_at) <= now
        step = (
            "签署意见"
            if m.status == Status.submitted and m.flow == Flow.approval
            else ("审批" if m.status == Status.signed else "阅知")
        )
        due = wording.due_words(m.due_at)
        who = names.get(m.retiree_id, "")
        alerts.alert_staff(
            db,
            clock=clock,
            unit_id=_step_unit(db, m),
            title=f"{'已超期' if late else '快到期'}：{who} {m.kind}",
            body=f"{who}同志的{m.kind}{m.flow}，期限是{due}，"
            + ("已经超期，请尽快" if late else "快到了，请抓紧")
            + f"{step}。",
            dedupe_key=f"matters:{m.id}:{'late' if late else 'due_soon'}",
            link=f"{service.CONSOLE}/{m.id}",
        )
    return len(rows)


def _trips(db: Session, *, clock: Clock) -> int:
    today = local_today(clock)
    rows = db.exec(
        select(Matter)
        .where(
            Matter.kind == Kind.travel.value,
            col(Matter.status).in_([s.value for s in DONE_OK]),
            col(Matter.returned_on).is_(None),
            col(Matter.depart_on) <= today,
        )
        .order_by(col(Matter.id))
    ).all()
    reports = _last_quarterly(db, [m.id or 0 for m in rows])
    names = directory.retiree_names(db, [m.retiree_id for m in rows])
    for m in rows:
        assert m.depart_on is not None and m.return_on is not None
        who = names.get(m.retiree_id, "")
        for n, mark in enumerate(rules.quarter_marks(m.depart_on, today), start=1):
            if mark >= m.return_on:
                break
            notices_service.notify(
                db,
                clock=clock,
                retiree_id=m.retiree_id,
                title="请写一下在外面的近况",
                body="您在国（境）外已经满三个月了。请在小程序「事项报告」里写几句近况，"
                "每三个月一次。",
                dedupe_key=f"matters:{m.id}:quarter:{n}",
                link_page=service.PAGE,
            )
            last = reports.get(m.id or 0)
            overdue = rules.add_days(mark, rules.QUARTERLY_GRACE_DAYS)
            if today >= overdue and (last is None or last < mark):
                alerts.alert_staff(
                    db,
                    clock=clock,
                    unit_id=m.unit_id,
                    title=f"季度汇报没交：{who}",
                    body=f"{who}同志在国（境）外，{mark.month}月{mark.day}日该交的季度汇报还没交。"
                    "请打电话联系。",
                    dedupe_key=f"matters:{m.id}:quarter:{n}:missing",
                    link=f"{service.CONSOLE}/{m.id}",
                )
        if m.return_on < today:
            notices_service.notify(
                db,
                clock=clock,
                retiree_id=m.retiree_id,
                title="回来了吗？请报告一下",
                body="按计划您已经回来了。请在小程序「事项报告」里点「我回来了」，"
                "并在10天内把护照等证件交到所里保管。",
                dedupe_key=f"matters:{m.id}:return",
                link_page=service.PAGE,
            )
        if today >= rules.add_days(m.return_on, rules.PASSPORT_DAYS):
            alerts.alert_staff(
                db,
                clock=clock,
                unit_id=m.unit_id,
                title=f"还没报告回来：{who}",
                body=f"{who}同志计划{m.return_on.month}月{m.return_on.day}日回来，"
                "到现在还没报告。请打电话联系。",
                dedupe_key=f"matters:{m.id}:return:missing",
                link=f"{service.CONSOLE}/{m.id}",
            )
    return len(rows)


def _last_quarterly(db: Session, ids: list[int]) -> dict[int, date]:
    if not ids:
        return {}
    rows = db.exec(
        select(MatterEvent.matter_id, MatterEvent.at)
        .where(col(MatterEvent.matter_id).in_(ids), MatterEvent.what == "quarterly")
        .order_by(col(MatterEvent.at))
    ).all()
    return {mid: to_local(at).date() for mid, at in rows}


def run(ctx: AppContext) -> int:
    with transaction(ctx.engine) as db:
        return remind(db, clock=ctx.clock)


def job_remind() -> None:
    run(current_context())


JOBS = [IntervalJob(id="matters.remind", func=job_remind, seconds=1800)]
