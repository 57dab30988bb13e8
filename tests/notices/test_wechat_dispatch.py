"""WeChat subscribe messages: the consent ledger, quiet hours, retries, crash recovery."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlmodel import col, select

from backend.core.clock import FrozenClock
from backend.core.context import AppContext
from backend.core.db import transaction
from backend.notices import fanout, scheduled, service
from backend.notices.models import InboxItem, Notice, WechatSend
from tests.factories import World, staff_headers, wechat_headers

TEMPLATE = "tmpl-notice-demo"


@pytest.fixture
def ctx(app_server) -> AppContext:
    return app_server.app.state.ctx


def _consent(client: httpx.Client, fake, openid: str, times: int = 1) -> dict:
    """The mini-program asked at a tap and the user accepted; WeChat counts it too."""
    headers = wechat_headers(client, fake.base_url, openid)
    body = {}
    for _ in range(times):
        body = client.post(
            "/api/v1/notices/subscriptions",
            json={"results": {TEMPLATE: "accept"}},
            headers=headers,
        ).json()
        fake.state.grant_subscription(openid, TEMPLATE, 1)
    return body


def _notify(engine, clock, world: World, key: str = "k", title: str = "体检提醒", **kw) -> None:
    with transaction(engine) as db:
        service.notify(
            db,
            clock=clock,
            retiree_id=world.retiree_a.id,
            title=title,
            body="明天上午8点体检，请空腹。",
            dedupe_key=key,
            **{"include_family": False, **kw},
        )


def _statuses(engine) -> list[str]:
    with transaction(engine) as db:
        return [j.status for j in db.exec(select(WechatSend).order_by(WechatSend.id)).all()]


def test_no_consent_means_no_wechat_call(client, world, engine, clock, ctx, fake_wechat) -> None:
    _notify(engine, clock, world)
    result = scheduled.dispatch_wechat(ctx)
    assert result.counts == {"no_consent": 1}
    assert fake_wechat.state.sent == []
    assert _statuses(engine) == ["no_consent"]


def test_consents_add_up_and_each_send_spends_one(
    client, world, engine, clock, ctx, fake_wechat
) -> None:
    balance = _consent(client, fake_wechat, "openid-a", times=2)
    assert balance["balances"] == {"notice": 2}
    _notify(engine, clock, world, key="k1")
    _notify(engine, clock, world, key="k2")
    _notify(engine, clock, world, key="k3")
    result = scheduled.dispatch_wechat(ctx)
    assert result.counts == {"sent": 2, "no_consent": 1}
    assert len(fake_wechat.state.sent) == 2
    sent = fake_wechat.state.sent[0]
    assert sent["touser"] == "openid-a" and sent["template_id"] == TEMPLATE
    assert sent["data"]["thing1"]["value"] == "体检提醒"
    headers = wechat_headers(client, fake_wechat.base_url, "openid-a")
    prefs = client.get("/api/v1/notices/preferences", headers=headers).json()
    assert prefs["balances"] == {"notice": 0}


def test_43101_corrects_the_ledger(client, world, engine, clock, ctx, fake_wechat) -> None:
    headers = wechat_headers(client, fake_wechat.base_url, "openid-a")
    # We think the user allowed 2, but WeChat has none (consent given on another device, spent).
    client.post(
        "/api/v1/notices/subscriptions", json={"results": {TEMPLATE: "accept"}}, headers=headers
    )
    client.post(
        "/api/v1/notices/subscriptions", json={"results": {TEMPLATE: "accept"}}, headers=headers
    )
    _notify(engine, clock, world)
    assert scheduled.dispatch_wechat(ctx).counts == {"refused": 1}
    prefs = client.get("/api/v1/notices/preferences", headers=headers).json()
    assert prefs["balances"] == {"notice": 0}


def test_quiet_hours_hold_non_urgent_until_morning(
    client, world, engine, clock: FrozenClock, ctx, fake_wechat
) -> None:
    _consent(client, fake_wechat, "openid-a", times=2)
    clock.set(datetime(2026, 3, 2, 14, 0, tzinfo=UTC))  # 22:00 in Shanghai
    _notify(engine, clock, world, key="quiet")
    _notify(engine, clock, world, key="urgent", title="紧急：明天停水", urgent=True)
    assert scheduled.dispatch_wechat(ctx).counts == {"quiet": 1, "sent": 1}
    assert [m["data"]["thing1"]["value"] for m in fake_wechat.state.sent] == ["紧急：明天停水"]
    clock.set(datetime(2026, 3, 2, 23, 29, tzinfo=UTC))  # 07:29 next morning
    assert scheduled.dispatch_wechat(ctx).counts == {}
    clock.set(datetime(2026, 3, 2, 23, 30, tzinfo=UTC))  # 07:30
    assert scheduled.dispatch_wechat(ctx).counts == {"sent": 1}


def test_quiet_hours_can_be_changed_and_categories_turned_off(
    client, world, engine, clock: FrozenClock, ctx, fake_wechat
) -> None:
    headers = wechat_headers(client, fake_wechat.base_url, "openid-a")
    _consent(client, fake_wechat, "openid-a", times=2)
    client.put(
        "/api/v1/notices/preferences",
        headers=headers,
        json={"wechat_categories": ["通知"], "quiet_start": "23:00", "quiet_end": "06:00"},
    )
    clock.set(datetime(2026, 3, 2, 14, 0, tzinfo=UTC))  # 22:00 in Shanghai: not quiet any more
    _notify(engine, clock, world, key="n")
    _notify(engine, clock, world, key="tip", category="温馨提示")
    assert scheduled.dispatch_wechat(ctx).counts == {"sent": 1, "skipped": 1}
    bad = client.put(
        "/api/v1/notices/preferences",
        headers=headers,
        json={"wechat_categories": [], "quiet_start": "25:00"},
    )
    assert bad.status_code == 422


def test_transient_errors_retry_with_backoff_without_spending_twice(
    client, world, engine, clock: FrozenClock, ctx, fake_wechat
) -> None:
    _consent(client, fake_wechat, "openid-a", times=1)
    _notify(engine, clock, world)
    fake_wechat.state.fail_next.extend([-1])
    assert scheduled.dispatch_wechat(ctx).counts == {"retry": 1}
    assert scheduled.dispatch_wechat(ctx).counts == {}, "not before its backoff"
    clock.advance(timedelta(seconds=31))
    assert scheduled.dispatch_wechat(ctx).counts == {"sent": 1}
    assert len(fake_wechat.state.sent) == 1


def test_permanent_error_refunds_the_consent(
    client, world, engine, clock, ctx, fake_wechat
) -> None:
    _consent(client, fake_wechat, "openid-a", times=1)
    _notify(engine, clock, world)
    fake_wechat.state.fail_next.extend([40003])
    assert scheduled.dispatch_wechat(ctx).counts == {"failed": 1}
    headers = wechat_headers(client, fake_wechat.base_url, "openid-a")
    assert client.get("/api/v1/notices/preferences", headers=headers).json()["balances"] == {
        "notice": 1
    }


def test_long_titles_are_fitted_to_wechat_limits(
    client, world, engine, clock, ctx, fake_wechat
) -> None:
    _consent(client, fake_wechat, "openid-a")
    _notify(engine, clock, world, title="关于做好2026年度军休干部健康体检和慢病随访工作的通知")
    assert scheduled.dispatch_wechat(ctx).counts == {"sent": 1}
    value = fake_wechat.state.sent[0]["data"]["thing1"]["value"]
    assert len(value) == 20 and value.endswith("…")


def test_crash_while_sending_never_sends_twice(
    client, world, engine, clock: FrozenClock, ctx, fake_wechat
) -> None:
    _consent(client, fake_wechat, "openid-a", times=2)
    _notify(engine, clock, world, key="a")
    _notify(engine, clock, world, key="b")
    # Worker 1 claimed both and died: one before deciding, one right before calling WeChat.
    with transaction(engine) as db:
        jobs = db.exec(select(WechatSend).order_by(WechatSend.id)).all()
        jobs[0].status, jobs[0].claimed_at = "sending", clock.now()
        jobs[1].status, jobs[1].claimed_at, jobs[1].consent_spent = "calling", clock.now(), True
        for job in jobs:
            db.add(job)
    assert scheduled.dispatch_wechat(ctx).counts == {}, "claimed rows are not taken twice"
    clock.advance(timedelta(minutes=11))
    assert scheduled.dispatch_wechat(ctx).counts == {"sent": 1}
    assert _statuses(engine) == ["sent", "uncertain"]
    assert len(fake_wechat.state.sent) == 1


def test_fan_out_resumes_after_a_crash_without_duplicates(world, engine, clock, cipher) -> None:
    from tests.factories import make_retiree, sending_announcement

    for i in range(5):
        make_retiree(engine, clock, cipher, unit=world.unit1, name=f"老同志{i}")
    with transaction(engine) as db:
        notice = sending_announcement(db, unit_id=world.unit1.id, now=clock.now())
        fanout.fan_out_chunk(db, notice=notice, now=clock.now(), chunk=2)
        notice_id = notice.id
        cursor = notice.fanout_cursor
    # The process died here. A second worker re-runs the chunk before the cursor moved on.
    with transaction(engine) as db:
        stale = db.get(Notice, notice_id)
        stale.fanout_cursor = 0
        fanout.fan_out_chunk(db, notice=stale, now=clock.now(), chunk=2)
        assert stale.fanout_cursor == cursor
    fanout.run_fan_out(engine, clock=clock, notice_id=notice_id, chunk=2)
    with transaction(engine) as db:
        done = db.get(Notice, notice_id)
        assert done.status == "sent"
        assert done.recipients_total == 7  # 6 retirees in unit1's subtree + 1 family copy
        # every inbox row of someone with WeChat has its one outbox row, those delivered
        # twice included (on PostgreSQL the outbox rows come from the inbox INSERT itself)
        with_wechat = db.exec(
            select(InboxItem.id).where(
                InboxItem.notice_id == notice_id, col(InboxItem.wechat_user_id).is_not(None)
            )
        ).all()
        outbox = db.exec(
            select(WechatSend.inbox_item_id).where(WechatSend.notice_id == notice_id)
        ).all()
        assert with_wechat and sorted(outbox) == sorted(with_wechat)


def test_large_audience_is_delivered_after_the_response(
    client, world, engine, clock, cipher, monkeypatch
) -> None:
    from tests.factories import make_retiree

    monkeypatch.setattr(service, "INLINE_LIMIT", 2)
    for i in range(4):
        make_retiree(engine, clock, cipher, unit=world.unit1, name=f"老同志{i}")
    staff = staff_headers(client, "staff1")
    notice = client.post(
        "/api/v1/staff/notices",
        json={"title": "大通知", "body": "b", "audience": {"everyone": True}},
        headers=staff,
    ).json()
    sent = client.post(f"/api/v1/staff/notices/{notice['id']}/send", headers=staff).json()
    assert sent["status"] in {"sending", "sent"}
    for _ in range(200):  # the background task runs after the response; bounded wait
        got = client.get(f"/api/v1/staff/notices/{notice['id']}", headers=staff).json()
        if got["status"] == "sent":
            break
    assert got["status"] == "sent" and got["recipients_total"] == 6


def test_family_copy_reminder_says_whose_it_is(
    client, world, engine, clock, ctx, fake_wechat
) -> None:
    _consent(client, fake_wechat, "openid-fa")
    _notify(engine, clock, world, key="copy", title="工作人员回复了您的提问", include_family=True)
    scheduled.dispatch_wechat(ctx)
    sent = [m for m in fake_wechat.state.sent if m["touser"] == "openid-fa"]
    assert sent[0]["data"]["thing1"]["value"] == "工作人员回复了王建国的提问"
