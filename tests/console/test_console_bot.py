"""The 没答上的问题 page: one answer for a group reaches every asker; 「答了但没用」 beside it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest
from playwright.sync_api import Page, expect

from backend.botchat import scheduled
from backend.botchat.models import BotAnswerLog, BotQuestion
from backend.core.db import transaction
from tests.console.conftest import login
from tests.factories import PASSWORD, World, wechat_headers

pytestmark = pytest.mark.browser


def _inbox_bodies(client: httpx.Client, headers: dict[str, str]) -> list[str]:
    return [n["body"] for n in client.get("/api/v1/inbox", headers=headers).json()["data"]]


def test_one_answer_in_the_console_reaches_everyone_in_the_group(
    page: Page, world: World, engine, client: httpx.Client, fake_wechat
) -> None:
    with transaction(engine) as db:
        for retiree, text in (
            (world.retiree_a, "我想问一下护理补贴怎么领取"),
            (world.retiree_b, "您好，请问护理补贴怎么领取？"),
            (world.retiree_b, "您好，请问交通补贴怎么领取？"),
        ):
            db.add(
                BotQuestion(
                    at=datetime.now(UTC),
                    channel="miniprogram",
                    wechat_user_id=retiree.wechat_user_id,
                    unit_id=retiree.unit_id,
                    retiree_id=retiree.id,
                    question=text,
                    kind="abstained",
                    check_state="passed",
                )
            )
    login(page, "admin1", PASSWORD)
    page.goto("/console/questions")
    groups = page.locator(".question-group")
    expect(groups).to_have_count(2)
    big = groups.filter(has_text="2 人问过")
    expect(big).to_contain_text("护理补贴")
    expect(big).not_to_contain_text("交通补贴")
    big.locator("textarea[name=answer]").fill("护理补贴每年三月申请，请带身份证到所里。")
    big.get_by_role("button", name="回复", exact=True).click()
    expect(page.locator(".notice.ok")).to_contain_text("问过这个问题的人都会")
    expect(page.locator(".question-group")).to_have_count(1)
    expect(page.locator(".question-group")).to_contain_text("交通补贴")
    for openid in ("openid-a", "openid-b"):
        headers = wechat_headers(client, fake_wechat.base_url, openid)
        assert any("每年三月申请" in b for b in _inbox_bodies(client, headers)), openid


def test_unhelpful_answers_beside_the_unanswered_and_answered_the_same_way(
    page: Page, world: World, engine, client: httpx.Client, fake_wechat, app_server
) -> None:
    with transaction(engine) as db:
        answer = BotAnswerLog(
            at=datetime.now(UTC),
            wechat_user_id=world.retiree_a.wechat_user_id or 0,
            unit_id=world.retiree_a.unit_id,
            retiree_id=world.retiree_a.id,
            question="体检多久一次",
            answer="根据军休服务管理办法：每年组织一次健康体检。",
            sources=json.dumps(
                [{"doc_id": "mva-order-5-2021", "clause": "第二十条", "title": "军休服务管理办法"}],
                ensure_ascii=False,
            ),
        )
        db.add(answer)
        db.flush()
        answer_id = answer.id
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    vote = client.post(
        f"/api/v1/bot/answers/{answer_id}/feedback", json={"helpful": False}, headers=retiree
    )
    assert vote.status_code == 200
    scheduled.check_questions(app_server.app.state.ctx)  # WeChat's content check, after the reply

    login(page, "staff1", PASSWORD)
    page.click("text=没答上的问题")
    expect(page.locator("h2#unhelpful")).to_have_text("答了但没用")
    expect(page.locator(".question-group")).to_have_count(0)
    card = page.locator(".unhelpful-group")
    expect(card).to_contain_text("体检多久一次")
    expect(card).to_contain_text("1 人说没用")
    expect(card.locator(".unhelpful-clause")).to_contain_text("军休服务管理办法 第二十条")
    card.locator("summary").click()
    expect(card).to_contain_text("每年组织一次健康体检")
    card.locator("textarea[name=answer]").fill(
        "体检每年一次，所里三月统一安排，会提前打电话通知您。"
    )
    card.get_by_role("button", name="回复", exact=True).click()
    expect(page.locator(".notice.ok")).to_contain_text("已回复")
    expect(page.locator(".empty-unhelpful")).to_be_visible()
    assert any("三月统一安排" in b for b in _inbox_bodies(client, retiree))
    asked = client.get("/api/v1/bot/questions", headers=retiree).json()
    assert asked[0]["staff_answer"].startswith("体检每年一次")
