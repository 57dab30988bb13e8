"""The unanswered-questions page in real Chromium: staff cite a document and clause by picking
them, never by typing an internal id."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from backend.botchat.models import BotFaqEntry, BotQuestion
from backend.core.db import transaction
from tests.console.conftest import login
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.browser


def test_staff_cite_a_document_and_clause_from_lists(page: Page, world: World, engine) -> None:
    """No internal ids: the document by its Chinese title, then one of its clauses."""
    with transaction(engine) as db:
        db.add(
            BotQuestion(
                at=datetime.now(UTC),
                channel="miniprogram",
                wechat_user_id=world.retiree_a.wechat_user_id,
                unit_id=world.retiree_a.unit_id,
                retiree_id=world.retiree_a.id,
                question="多久没联系算失联",
                kind="abstained",
                check_state="passed",
            )
        )
    login(page, "staff1", PASSWORD)
    page.click("text=没答上的问题")
    group = page.locator(".question-group")
    expect(group).not_to_contain_text("mva-order")
    doc = group.locator("select[name=source_doc]")
    titles = doc.locator("option").all_inner_texts()
    assert titles[1:] == [
        "军队离休退休干部服务管理办法",
        "吉林省军队离休退休干部服务管理实施细则",
        "军队离休退休干部服务管理机构服务与运行规范（北京市地方标准）",
        "退役军人服务中心（站）建设管理与服务规范（湖南省地方标准）",
        "逐月领取退役金退役军人服务管理规范（山西省地方标准，征求意见稿）",
    ]
    doc.select_option(label="吉林省军队离休退休干部服务管理实施细则")
    clause = group.locator("select[name=source_clause]")
    offered = clause.evaluate(
        "s => [...s.querySelectorAll('optgroup:not([disabled]) option')].map(o => o.value)"
    )
    assert offered[0] == "jl-junxiu-rules-2021|第一条" and len(offered) > 50
    assert all(v.startswith("jl-junxiu-rules-2021|") for v in offered)
    clause.select_option(value="jl-junxiu-rules-2021|第十五条")
    group.locator("textarea[name=answer]").fill("六个月联系不上算失联。请常和所里联系。")
    group.locator("input[name=add_to_faq]").check()
    group.get_by_role("button", name="回复", exact=True).click()
    expect(page.locator(".notice.ok")).to_contain_text("已回复")
    with Session(engine) as db:
        entry = db.exec(select(BotFaqEntry)).one()
    assert json.loads(entry.sources) == [["jl-junxiu-rules-2021", "第十五条"]]
