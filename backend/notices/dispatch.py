"""Sending WeChat subscribe messages from the outbox.

Each message moves pending → sending (claimed) → calling (consent spent, committed before the
HTTP call) → sent | refused | failed, or back to pending with a later not_before (quiet hours,
rate limits, transient WeChat errors with backoff). After a crash, a stale `sending` row is safe
to retry; a stale `calling` row may have reached WeChat, so it is marked `uncertain` and never
sent twice. The inbox row exists whatever happens here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Protocol

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from backend.accounts import directory
from backend.core.actors import persisted_id
from backend.core.cache import Cache
from backend.core.clock import SHANGHAI, Clock
from backend.core.db import transaction
from backend.notices import ledger, wording
from backend.notices.models import InboxItem, Notice, NoticePreference, WechatSend
from backend.notices.template import notice_message
from backend.wechat.errors import WeChatError

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BASE_BACKOFF = timedelta(seconds=30)
STALE_AFTER = timedelta(minutes=10)
DEFAULT_CATEGORIES = {"通知", "活动", "政策", "温馨提示"}


class Sender(Protocol):
    def send_subscribe_message(
        self, openid: str, template_id: str, data: dict[str, dict[str, str]], page: str | None
    ) -> None: ...


@dataclass
class DispatchResult:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: str) -> None:
        self.counts[outcome] = self.counts.get(outcome, 0) + 1


def _hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def quiet_until(now: datetime, start: str, end: str) -> datetime | None:
    """When quiet hours (Asia/Shanghai) end, if `now` is inside them; else None."""
    local = now.astimezone(SHANGHAI)
    begin, finish = _hhmm(start), _hhmm(end)
    current = local.time()
    inside = (current >= begin or current < finish) if begin > finish else begin <= current < finish
    if not inside:
        return None
    end_today = local.replace(hour=finish.hour, minute=finish.minute, second=0, microsecond=0)
    if end_today <= local:
        end_today += timedelta(days=1)
    return end_today.astimezone(now.tzinfo)


def recover_stale(engine: Engine, *, clock: Clock) -> int:
    cutoff = clock.now() - STALE_AFTER
    changed = 0
    with transaction(engine) as db:
        for job in db.exec(
            select(WechatSend).where(
                col(WechatSend.status).in_(["sending", "calling"]),
                col(WechatSend.claimed_at) < cutoff,
            )
        ).all():
            job.status = "pending" if job.status == "sending" else "uncertain"
            db.add(job)
            changed += 1
    return changed


def _claim(engine: Engine, *, clock: Clock, limit: int) -> list[int]:
    now = clock.now()
    with transaction(engine) as db:
        jobs = db.exec(
            select(WechatSend)
            .where(WechatSend.status == "pending", col(WechatSend.not_before) <= now)
            .order_by(col(WechatSend.not_before), col(WechatSend.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        for job in jobs:
            job.status = "sending"
            job.claimed_at = now
            db.add(job)
        return [j.id for j in jobs if j.id is not None]


@dataclass
class _Call:
    openid: str
    template_id: str
    data: dict[str, dict[str, str]]
    page: str


def _prepare(
    engine: Engine,
    *,
    job_id: int,
    clock: Clock,
    cache: Cache,
    template_ids: dict[str, str],
    per_second: int,
    per_user_hour: int,
) -> _Call | str:
    """Decide what to do with one claimed message. Returns the call to make, or an outcome."""
    now = clock.now()
    with transaction(engine) as db:
        job = db.get(WechatSend, job_id)
        if job is None or job.status != "sending":
            return "gone"
        notice = db.get(Notice, job.notice_id)
        item = db.get(InboxItem, job.inbox_item_id)
        user = directory.wechat_user(db, job.wechat_user_id)
        retiree = directory.retiree(db, item.retiree_id) if item else None
        if notice is None or item is None or user is None or retiree is None:
            job.status = "failed"
            job.last_error = "missing recipient"
            db.add(job)
            return "failed"
        if notice.status == "withdrawn" or retiree.status == "去世":
            job.status = "cancelled"
            db.add(job)
            return "cancelled"
        pref = db.get(NoticePreference, user.id)
        categories = set(pref.wechat_categories.split(",")) if pref else DEFAULT_CATEGORIES
        if not notice.urgent and notice.category not in categories:
            job.status = "skipped"
            job.last_error = "category off"
            db.add(job)
            return "skipped"
        if not notice.urgent:
            until = quiet_until(
                now, pref.quiet_start if pref else "21:00", pref.quiet_end if pref else "07:30"
            )
            if until is not None:
                job.status = "pending"
                job.not_before = until
                db.add(job)
                return "quiet"
        second = int(now.timestamp())
        if cache.incr(f"wx-send:global:{second}", ttl=5) > per_second:
            job.status = "pending"
            job.not_before = now + timedelta(seconds=1)
            db.add(job)
            return "rate_limited"
        hour = second // 3600
        if (
            not notice.urgent
            and cache.incr(f"wx-send:user:{user.id}:{hour}", ttl=3700) > per_user_hour
        ):
            job.status = "pending"
            job.not_before = datetime.fromtimestamp((hour + 1) * 3600, now.tzinfo)
            db.add(job)
            return "rate_limited"
        if not job.consent_spent:
            if not ledger.spend(db, user_id=persisted_id(user), template_key=job.template_key):
                job.status = "no_consent"
                db.add(job)
                return "no_consent"
            job.consent_spent = True
        job.status = "calling"
        job.attempts += 1
        db.add(job)
        return _Call(
            openid=user.openid,
            template_id=template_ids.get(job.template_key, job.template_key),
            data=notice_message(
                title=wording.shown(
                    notice.title, is_copy=item.copy_binding_id != 0, retiree_name=retiree.name
                ),
                for_name=retiree.name,
                is_copy=item.copy_binding_id != 0,
                at=notice.sent_at or now,
            ),
            page=f"pages/notice/notice?id={item.id}",
        )


def _record(engine: Engine, *, job_id: int, clock: Clock, error: WeChatError | None) -> str:
    now = clock.now()
    with transaction(engine) as db:
        job = db.get(WechatSend, job_id)
        assert job is not None
        if error is None:
            job.status = "sent"
            job.sent_at = now
            job.last_errcode = None
            outcome = "sent"
        elif error.errcode == 43101:
            job.status = "refused"
            job.last_errcode = 43101
            job.last_error = "用户没有剩余的订阅次数"
            ledger.clear(db, user_id=job.wechat_user_id, template_key=job.template_key)
            outcome = "refused"
        elif error.retryable and job.attempts < MAX_ATTEMPTS:
            job.status = "pending"
            job.last_errcode = error.errcode
            job.last_error = error.errmsg[:200]
            job.not_before = now + BASE_BACKOFF * (2 ** (job.attempts - 1))
            outcome = "retry"
        else:
            job.status = "failed"
            job.last_errcode = error.errcode
            job.last_error = error.errmsg[:200]
            # WeChat did not take the message, so the consent was not used up.
            ledger.refund(db, user_id=job.wechat_user_id, template_key=job.template_key)
            outcome = "failed"
        db.add(job)
        return outcome


def dispatch_due(
    engine: Engine,
    *,
    sender: Sender,
    cache: Cache,
    clock: Clock,
    template_ids: dict[str, str],
    per_second: int = 20,
    per_user_hour: int = 6,
    limit: int = 100,
) -> DispatchResult:
    """One pass over the due messages (the scheduler calls this every few seconds)."""
    result = DispatchResult()
    for job_id in _claim(engine, clock=clock, limit=limit):
        prepared = _prepare(
            engine,
            job_id=job_id,
            clock=clock,
            cache=cache,
            template_ids=template_ids,
            per_second=per_second,
            per_user_hour=per_user_hour,
        )
        if isinstance(prepared, str):
            result.add(prepared)
            continue
        error: WeChatError | None = None
        try:
            sender.send_subscribe_message(
                prepared.openid, prepared.template_id, prepared.data, prepared.page
            )
        except WeChatError as exc:
            error = exc
        result.add(_record(engine, job_id=job_id, clock=clock, error=error))
    return result
