"""有用 / 没用 on the bot's answers, and 没用 in the staff queue beside the unanswered questions."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import select

from backend.botchat.models import BotAnswerLog, BotQuestion
from backend.core.db import transaction
from tests.factories import World, staff_headers, wechat_headers

SOURCES = [{"doc_id": "mva-order-5-2021", "clause": "第二十条", "title": "军休服务管理办法"}]


def _answered(engine: Engine, world: World, *, question: str, user_id: int | None = None) -> int:
    """An answer the bot gave retiree A (or someone asking for A)."""
    with transaction(engine) as db:
        row = BotAnswerLog(
            at=datetime.now(UTC),
            wechat_user_id=user_id or world.retiree_a.wechat_user_id,
            unit_id=world.retiree_a.unit_id,
            retiree_id=world.retiree_a.id,
            question=question,
            answer="根据军休服务管理办法：每年组织一次健康体检。",
            sources=json.dumps(SOURCES, ensure_ascii=False),
            confidence=0.7,
        )
        db.add(row)
        db.flush()
        return row.id or 0


def _vote(client: httpx.Client, answer_id: int, helpful: bool, headers: dict) -> httpx.Response:
    return client.post(
        f"/api/v1/bot/answers/{answer_id}/feedback", json={"helpful": helpful}, headers=headers
    )


def test_a_policy_answer_can_be_rated_and_a_greeting_cannot(
    client: httpx.Client, world: World, fake_wechat, engine: Engine
) -> None:
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    body = client.post("/api/v1/bot/ask", json={"question": "体检多久一次"}, headers=retiree).json()
    assert body["answered"] and body["answer_id"]
    hello = client.post("/api/v1/bot/ask", json={"question": "你好"}, headers=retiree).json()
    assert hello["answer_id"] is None
    ride = client.post("/api/v1/bot/ask", json={"question": "帮我约个车去医院"}, headers=retiree)
    assert ride.json()["answer_id"] is None
    with transaction(engine) as db:
        row = db.get(BotAnswerLog, body["answer_id"])
        assert row is not None and row.question == "体检多久一次" and row.helpful is None
        assert json.loads(row.sources)[0]["clause"] == body["sources"][0]["clause"]
    useful = _vote(client, body["answer_id"], True, retiree)
    assert useful.status_code == 200 and useful.json()["message"] == "谢谢您！"
    with transaction(engine) as db:
        assert db.get(BotAnswerLog, body["answer_id"]).helpful is True  # type: ignore[union-attr]


def test_one_vote_per_asker_changeable_and_only_theirs(
    client: httpx.Client, world: World, fake_wechat, engine: Engine, run_checks
) -> None:
    answer_id = _answered(engine, world, question="体检多久一次")
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    staff = staff_headers(client, "staff1")

    useless = _vote(client, answer_id, False, retiree)
    assert useless.status_code == 200 and "工作人员" in useless.json()["message"]
    again = _vote(client, answer_id, False, retiree)
    assert again.status_code == 200
    run_checks()
    listed = client.get("/api/v1/staff/bot/unhelpful", headers=staff).json()
    assert len(listed) == 1 and listed[0]["count"] == 1, "voting twice counts once"
    assert client.get("/api/v1/staff/bot/questions", headers=staff).json() == [], (
        "没用 is its own section, not mixed with the unanswered"
    )

    assert _vote(client, answer_id, True, retiree).status_code == 200
    assert client.get("/api/v1/staff/bot/unhelpful", headers=staff).json() == [], (
        "changed to 有用 before staff looked: nothing to answer"
    )
    assert _vote(client, answer_id, False, retiree).status_code == 200
    run_checks()
    assert len(client.get("/api/v1/staff/bot/unhelpful", headers=staff).json()) == 1

    family = wechat_headers(client, fake_wechat.base_url, "openid-fa")
    other = _vote(client, answer_id, True, family)
    assert other.status_code == 404 and other.json()["message"] == "没有找到这条回答。"
    missing = _vote(client, answer_id + 999, True, retiree)
    assert missing.status_code == 404
    bad = client.post(f"/api/v1/bot/answers/{answer_id}/feedback", json={}, headers=retiree)
    assert bad.status_code == 422 and "有用" in bad.json()["message"]
    with transaction(engine) as db:
        assert db.get(BotAnswerLog, answer_id).helpful is False  # type: ignore[union-attr]


def test_unhelpful_answers_are_listed_with_clause_and_count_and_answered_for_all(
    client: httpx.Client, world: World, fake_wechat, engine: Engine, run_checks
) -> None:
    mine = _answered(engine, world, question="体检多久一次")
    family_user = world.family_a.wechat_user_id
    theirs = _answered(engine, world, question="老爷子多长时间体检一次", user_id=family_user)
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    family = wechat_headers(client, fake_wechat.base_url, "openid-fa")
    _vote(client, mine, False, retiree)
    _vote(client, theirs, False, family)
    run_checks()

    staff = staff_headers(client, "staff1")
    (group,) = client.get("/api/v1/staff/bot/unhelpful", headers=staff).json()
    assert group["count"] == 2
    assert group["clause"] == "军休服务管理办法 第二十条"
    assert "每年组织一次健康体检" in group["bot_answer"]
    assert {m["question"] for m in group["members"]} == {"体检多久一次", "老爷子多长时间体检一次"}
    assert all(m["kind"] == "unhelpful" for m in group["members"])
    assert (
        client.get("/api/v1/staff/bot/unhelpful", headers=staff_headers(client, "staff2")).json()
        == []
    )

    better = "体检每年一次，所里三月统一安排，会提前打电话通知您。"
    response = client.post(
        f"/api/v1/staff/bot/questions/{group['representative']['id']}/answer",
        json={"answer": better},
        headers=staff,
    )
    assert response.status_code == 200
    assert client.get("/api/v1/staff/bot/unhelpful", headers=staff).json() == []
    for headers in (retiree, family):
        asked = client.get("/api/v1/bot/questions", headers=headers).json()
        assert [q["staff_answer"] for q in asked] == [better]
    own = [
        n
        for n in client.get("/api/v1/inbox", headers=retiree).json()["data"]
        if "回复" in n["title"]
    ]
    assert len(own) == 1 and "没帮上忙" in own[0]["body"] and better in own[0]["body"]
    # A later vote on an answered question does not reopen it.
    assert _vote(client, mine, True, retiree).status_code == 200
    with transaction(engine) as db:
        rows = db.exec(select(BotQuestion).where(BotQuestion.kind == "unhelpful")).all()
        assert {r.status for r in rows} == {"answered"}


def test_unhelpful_question_text_passes_the_content_check_before_staff_see_it(
    client: httpx.Client, world: World, fake_wechat, engine: Engine, run_checks
) -> None:
    answer_id = _answered(engine, world, question="有人找我去赌博怎么办")
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    _vote(client, answer_id, False, retiree)
    assert run_checks().counts == {"flagged": 1}
    listed = client.get("/api/v1/staff/bot/unhelpful", headers=staff_headers(client, "staff1"))
    assert "赌博" not in listed.text and "安全检查" in listed.text
