"""Notices and unanswered questions in the console, in real Chromium."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
import pytest
from playwright.sync_api import Page, expect

from backend.botchat.models import BotQuestion
from backend.core.db import transaction
from tests.console.conftest import login
from tests.factories import PASSWORD, World, wechat_headers

pytestmark = pytest.mark.browser


def test_compose_preview_send_follow_up_and_withdraw(
    page: Page, world: World, client: httpx.Client, fake_wechat
) -> None:
    login(page, "staff1", PASSWORD)
    page.click("text=通知")
    page.click("text=＋ 写通知")
    page.fill("#title", "重阳节慰问")
    page.fill("#body", "10月11日上午9点，在活动室。请按时参加。")
    page.check("input[name=include_family]")
    page.check("input[name=audience_mode][value=filter]")
    page.check("input[name=care_flags][value=独居]")
    page.click("button[value=preview]")
    expect(page.locator("#preview")).to_contain_text("将发给 1 位老同志，另有 1 份家属副本")
    expect(page.locator("#preview")).to_contain_text("王建国")
    page.click("button[value=send]")
    expect(page.locator(".notice.ok")).to_contain_text("已发送")
    expect(page.locator("#recipients")).to_have_text("2")
    expect(page.locator("#read")).to_have_text("0")
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    inbox = client.get("/api/v1/inbox", headers=retiree).json()
    assert inbox["data"][0]["title"] == "重阳节慰问"
    page.click("text=只看3天还没读的")
    expect(page.locator("#delivery tbody")).to_contain_text("都读过了")
    page.goto(re.sub(r"\?.*$", "", page.url))
    page.click("form[action$='/withdraw'] button")
    expect(page.locator(".notice.ok")).to_contain_text("已撤回")
    inbox = client.get("/api/v1/inbox", headers=retiree).json()
    assert inbox["data"][0]["withdrawn"] is True


def test_schedule_for_later(page: Page, world: World) -> None:
    login(page, "staff1", PASSWORD)
    page.goto("/console/notices/new")
    page.fill("#title", "下周停水")
    page.fill("#body", "下周一上午停水。")
    page.fill("#send_at", "2026-03-09T08:00")
    page.check("input[name=audience_mode][value=all]")
    page.click("button[value=send]")
    expect(page.locator(".notice.ok")).to_contain_text("已定时")
    expect(page.locator("h1")).to_contain_text("2026-03-09 08:00")
    page.goto("/console/notices")
    expect(page.locator("table tbody")).to_contain_text("定时待发")


def test_staff_answers_an_unanswered_question(
    page: Page, world: World, engine, client: httpx.Client, fake_wechat
) -> None:
    with transaction(engine) as db:
        db.add(
            BotQuestion(
                at=datetime.now(UTC),
                channel="miniprogram",
                wechat_user_id=world.retiree_a.wechat_user_id,
                unit_id=world.retiree_a.unit_id,
                retiree_id=world.retiree_a.id,
                question="护理补贴怎么申请",
                kind="abstained",
                check_state="passed",
            )
        )
    login(page, "staff1", PASSWORD)
    page.click("text=没答上的问题")
    group = page.locator(".question-group")
    expect(group).to_contain_text("护理补贴怎么申请")
    group.locator("textarea[name=answer]").fill("请带身份证到所里，我们帮您办。")
    group.get_by_role("button", name="回复", exact=True).click()
    expect(page.locator(".notice.ok")).to_contain_text("已回复")
    expect(page.locator("main")).to_contain_text("现在没有待处理的问题")
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    assert "请带身份证" in client.get("/api/v1/inbox", headers=retiree).json()["data"][0]["body"]


def test_expired_login_keeps_the_typed_notice(page: Page, world: World, clock, engine) -> None:
    from datetime import timedelta

    from sqlmodel import func, select

    from backend.notices.models import Notice
    from tests.console.conftest import pick

    login(page, "staff1", PASSWORD)
    page.goto("/console/notices/new")
    page.fill("#title", "春节慰问")
    page.fill("#body", "腊月二十八上午，工作人员上门看望。")
    page.check("input[name=audience_mode][value=people]")
    pick(page, "王建", "王建国", picker="#people")
    clock.advance(timedelta(hours=13))  # the 12-hour console session ends while typing
    page.click("button[value=send]")
    expect(page).to_have_url(re.compile(r"/console/login\?next=/console/notices/new&expired=1$"))
    expect(page.get_by_role("alert")).to_contain_text("登录已过期，请重新登录")
    page.fill("#username", "staff1")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/console/notices/new$"))
    expect(page.locator("#draft-restored")).to_contain_text("已恢复")
    expect(page.locator("#title")).to_have_value("春节慰问")
    expect(page.locator("#body")).to_have_value("腊月二十八上午，工作人员上门看望。")
    expect(page.locator("#people .chip")).to_contain_text("王建国")
    page.click("button[value=send]")
    expect(page.locator(".notice.ok")).to_contain_text("已发送")
    expect(page.locator("#recipients")).to_have_text("2")
    # Sent: the draft is gone, a new notice starts empty.
    page.goto("/console/notices/new")
    expect(page.locator("#title")).to_have_value("")
    expect(page.locator("#draft-restored")).to_have_count(0)
    with transaction(engine) as db:
        assert db.exec(select(func.count()).select_from(Notice)).one() == 1
