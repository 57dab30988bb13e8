"""Check-in reminders through the notices pipeline. Every reminder has a dedupe key, so a
restarted job or a second worker never sends one twice.

- when the campaign opens (also to a retiree added later);
- weekly to those who have not submitted;
- 7 days and 1 day before the deadline (an extended deadline gets its own);
- at the deadline, the overdue list to each unit's staff as a system notice.

At most one reminder per retiree per run, and only between 09:00 and 20:00 Shanghai time."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from backend.accounts import directory, units
from backend.checkin import campaigns, lost, progress, records
from backend.checkin.models import CheckinCampaign
from backend.checkin.submissions import call_line
from backend.core.actors import persisted_id
from backend.core.clock import as_utc, month_day, to_local
from backend.core.context import AppContext
from backend.core.db import transaction
from backend.core.scheduler import IntervalJob, current_context
from backend.notices import alerts
from backend.notices import sent as sent_notices
from backend.notices import service as notices_service

CHUNK = 200
FIRST_HOUR, LAST_HOUR = 9, 20


def reminder_for(
    campaign: CheckinCampaign,
    now: datetime,
    sent: set[str],
    last_sent: datetime | None,
    retiree_id: int,
) -> tuple[str, str, str] | None:
    """(dedupe key, title, kind) of the reminder due now, or None.

    A reminder never follows another to the same person within a day (deadline reminders) or
    six days (weekly ones): someone added to the roster late gets "it has opened" first."""
    today = to_local(now).date()
    prefix = f"checkin:{campaign.id}"
    opened = f"{prefix}:opened:{retiree_id}"
    if opened not in sent:
        return opened, "请做今年的年度登记", "opened"
    days_left = (campaign.closes_on - today).days
    recent_day = last_sent is not None and now - last_sent < timedelta(hours=20)
    recent_week = last_sent is not None and now - last_sent < timedelta(days=6)
    due: tuple[str, str, str] | None = None
    if days_left <= 1:
        due = f"{prefix}:due1:{campaign.closes_on}:{retiree_id}", "年度登记明天截止", "due1"
    elif days_left <= 7:
        due = f"{prefix}:due7:{campaign.closes_on}:{retiree_id}", "年度登记还有7天截止", "due7"
    if due is not None:
        return None if due[0] in sent or recent_day else due
    week = (today - campaign.opens_on).days // 7
    key = f"{prefix}:week{week}:{retiree_id}"
    if week < 1 or key in sent or recent_week:
        return None
    return key, "年度登记还没做", "weekly"


def _body(kind: str, campaign: CheckinCampaign, name: str, help_line: str) -> str:
    deadline = month_day(campaign.closes_on)
    lead = {
        "opened": f"{name}同志：{campaign.year}年的年度登记开始了。",
        "weekly": f"{name}同志：您{campaign.year}年的年度登记还没有提交。",
        "due7": f"{name}同志：年度登记{deadline}截止，还有7天。",
        "due1": f"{name}同志：年度登记明天（{deadline}）截止。",
    }[kind]
    return f"{lead}请在{deadline}前，在小程序“年度登记”里填写提交。{help_line}"


def _pending_ids(db: Session, campaign: CheckinCampaign) -> list[int]:
    """Who must check in and has not submitted (nothing saved, or only a draft), by id."""
    root = units.get_unit(db, campaign.unit_id)
    eligible = campaigns.eligible_ids(root)
    started = records.statuses_of(db, persisted_id(campaign), eligible)
    ids = db.execute(eligible).scalars().all()
    return sorted(int(i) for i in ids if started.get(i, "draft") == "draft")


def send_reminders(ctx: AppContext) -> int:
    local_now = to_local(ctx.clock.now())
    if not FIRST_HOUR <= local_now.hour < LAST_HOUR:
        return 0
    today = local_now.date()
    sent_count = 0
    with transaction(ctx.engine) as db:
        active = db.exec(select(CheckinCampaign).where(CheckinCampaign.opens_on <= today)).all()
        work = [(c.id, c.closes_on >= today) for c in active]
    for campaign_id, is_open in work:
        if is_open:
            sent_count += _remind_campaign(ctx, campaign_id or 0)
        else:
            _report_overdue(ctx, campaign_id or 0)
    return sent_count


def _remind_campaign(ctx: AppContext, campaign_id: int) -> int:
    now = ctx.clock.now()
    with transaction(ctx.engine) as db:
        campaign = db.get(CheckinCampaign, campaign_id)
        assert campaign is not None
        pending = _pending_ids(db, campaign)
        sent: set[str] = set()
        last_sent: dict[int, datetime] = {}
        for key, created_at in sent_notices.keys_with_prefix(db, f"checkin:{campaign_id}:"):
            sent.add(key)
            tail = key.rsplit(":", 1)[-1]
            if ":approved" in key or ":returned" in key or not tail.isdigit():
                continue
            rid, at = int(tail), as_utc(created_at)
            if rid not in last_sent or at > last_sent[rid]:
                last_sent[rid] = at
    count = 0
    for start in range(0, len(pending), CHUNK):
        with transaction(ctx.engine) as db:
            campaign = db.get(CheckinCampaign, campaign_id)
            assert campaign is not None
            chunk = pending[start : start + CHUNK]
            due = {
                rid: found
                for rid in chunk
                if (found := reminder_for(campaign, now, sent, last_sent.get(rid), rid))
            }
            people = directory.people(db, due)
            for retiree_id, (key, title, kind) in due.items():
                person = people.get(retiree_id)
                if person is None:
                    continue
                notice = notices_service.notify(
                    db,
                    clock=ctx.clock,
                    retiree_id=retiree_id,
                    title=title,
                    body=_body(kind, campaign, person.name, call_line(db, person.unit_id)),
                    dedupe_key=key,
                    link_page=f"pages/checkin/checkin?retiree_id={retiree_id}",
                )
                if notice is not None:
                    count += 1
    return count


def _report_overdue(ctx: AppContext, campaign_id: int) -> None:
    with transaction(ctx.engine) as db:
        campaign = db.get(CheckinCampaign, campaign_id)
        assert campaign is not None
        if campaign.overdue_reported_for == campaign.closes_on:
            return
        root = units.get_unit(db, campaign.unit_id)
        for unit_id, names in progress.overdue_names(db, campaign=campaign, root=root).items():
            shown = "、".join(names[:50]) + (f" 等{len(names)}人" if len(names) > 50 else "")
            alerts.alert_staff(
                db,
                clock=ctx.clock,
                unit_id=unit_id,
                title=f"{campaign.year}年度登记：{len(names)}人逾期未完成",
                body=f"截至{month_day(campaign.closes_on)}，以下老同志还没有完成年度登记：{shown}。"
                "请电话联系或上门，帮他们补办。",
                dedupe_key=f"checkin:{campaign_id}:overdue:{campaign.closes_on}:{unit_id}",
                link=f"/console/checkin/{campaign_id}/queue?status=overdue&unit_id={unit_id}",
            )
        campaign.overdue_reported_for = campaign.closes_on
        db.add(campaign)


def job_send_reminders() -> None:
    send_reminders(current_context())


def open_lost_cases(ctx: AppContext) -> int:
    """失联 cases due today (Jilin 第十五条), one transaction per top unit; safe to run again
    (one open case per retiree). Runs hourly: a case opens on the first run of the day the six
    months are up."""
    with transaction(ctx.engine) as db:
        roots = [persisted_id(u) for u in units.roots(db)]
    opened = 0
    for root_id in roots:
        with transaction(ctx.engine) as db:
            opened += len(lost.open_due(db, clock=ctx.clock, root=units.get_unit(db, root_id)))
    return opened


def job_open_lost_cases() -> None:
    open_lost_cases(current_context())


JOBS = [
    IntervalJob(id="checkin.reminders", func=job_send_reminders, seconds=1800),
    IntervalJob(id="checkin.lost_cases", func=job_open_lost_cases, seconds=3600),
]
