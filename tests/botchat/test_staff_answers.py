"""One staff answer reaches everyone who asked the same question, each worded for its reader."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import select

from backend.accounts.models import AuditLog
from backend.botchat.models import BotQuestion
from backend.core.db import transaction
from tests.factories import World, staff_headers, wechat_headers

ANSWER = "护理补贴每年三月申请。请带身份证到所里办。"


def _asked(engine: Engine, *, user_id: int | None, retiree_id: int, unit_id: int, text: str) -> int:
    with transaction(engine) as db:
        row = BotQuestion(
            at=datetime.now(UTC),
            channel="miniprogram",
            wechat_user_id=user_id,
            unit_id=unit_id,
            retiree_id=retiree_id,
            question=text,
            kind="abstained",
            check_state="passed",
        )
        db.add(row)
        db.flush()
        return row.id or 0


def _world_asks(engine: Engine, world: World) -> dict[str, int]:
    a, b = world.retiree_a, world.retiree_b
    return {
        "retiree_a": _asked(
            engine,
            user_id=a.wechat_user_id,
            retiree_id=a.id,
            unit_id=a.unit_id,
            text="我想问一下护理补贴每个月怎么领取",
        ),
        "family_a": _asked(
            engine,
            user_id=world.family_a.wechat_user_id,
            retiree_id=a.id,
            unit_id=a.unit_id,
            text="老爷子的护理补贴怎么领取呢",
        ),
        "retiree_b": _asked(
            engine,
            user_id=b.wechat_user_id,
            retiree_id=b.id,
            unit_id=b.unit_id,
            text="您好，请问护理补贴怎么领取？",
        ),
        # The same filler, another topic: stays open.
        "other": _asked(
            engine,
            user_id=b.wechat_user_id,
            retiree_id=b.id,
            unit_id=b.unit_id,
            text="您好，请问交通补贴怎么领取？",
        ),
    }


def _mine(client: httpx.Client, headers: dict[str, str]) -> dict[int, dict]:
    return {q["id"]: q for q in client.get("/api/v1/bot/questions", headers=headers).json()}


def _inbox(client: httpx.Client, headers: dict[str, str]) -> list[dict]:
    return client.get("/api/v1/inbox", headers=headers).json()["data"]


def test_one_answer_reaches_every_asker_in_the_group(
    client: httpx.Client, world: World, fake_wechat, engine: Engine
) -> None:
    ids = _world_asks(engine, world)
    admin = staff_headers(client, "admin1")
    groups = client.get("/api/v1/staff/bot/questions", headers=admin).json()
    sizes = sorted(len(g["members"]) for g in groups)
    assert sizes == [1, 3], "交通补贴 is not grouped with 护理补贴"
    big = next(g for g in groups if len(g["members"]) == 3)
    response = client.post(
        f"/api/v1/staff/bot/questions/{big['representative']['id']}/answer",
        json={"answer": ANSWER},
        headers=admin,
    )
    assert response.status_code == 200, response.text

    left = client.get("/api/v1/staff/bot/questions", headers=admin).json()
    assert [g["representative"]["id"] for g in left] == [ids["other"]]

    # 「我的提问」: every asker reads the answer on their own question.
    people = {
        name: wechat_headers(client, fake_wechat.base_url, openid)
        for name, openid in (
            ("retiree_a", "openid-a"),
            ("family_a", "openid-fa"),
            ("retiree_b", "openid-b"),
            ("family_b", "openid-fb"),
        )
    }
    for name in ("retiree_a", "family_a", "retiree_b"):
        mine = _mine(client, people[name])
        assert mine[ids[name]]["staff_answer"] == ANSWER, name
    assert _mine(client, people["retiree_b"])[ids["other"]]["staff_answer"] is None

    # Notices: one to each retiree (asked twice for 王建国: once by him, once by family → one
    # notice), worded to them; a family copy that names the retiree.
    own_a = [n for n in _inbox(client, people["retiree_a"]) if "回复" in n["title"]]
    assert len(own_a) == 1 and not own_a[0]["is_copy"]
    assert own_a[0]["title"] == "工作人员回复了您的提问"
    assert own_a[0]["body"].startswith("您问过：“我想问一下护理补贴每个月怎么领取”")
    assert ANSWER in own_a[0]["body"]
    own_b = [n for n in _inbox(client, people["retiree_b"]) if "回复" in n["title"]]
    assert len(own_b) == 1 and ANSWER in own_b[0]["body"]
    copies_a = [n for n in _inbox(client, people["family_a"]) if "回复" in n["title"]]
    assert len(copies_a) == 1 and copies_a[0]["is_copy"]
    assert copies_a[0]["title"] == "王建国同志的提问有回复了"
    assert "关于王建国同志的提问" in copies_a[0]["body"] and ANSWER in copies_a[0]["body"]
    assert "您问过" not in copies_a[0]["body"], "a family copy is not worded as the retiree's own"
    copies_b = [n for n in _inbox(client, people["family_b"]) if "回复" in n["title"]]
    assert len(copies_b) == 1 and "李秀兰同志" in copies_b[0]["title"]

    with transaction(engine) as db:
        entry = db.exec(select(AuditLog).where(AuditLog.action == "bot_question.answer")).one()
    assert sorted(json.loads(entry.after or "{}")["answered_ids"]) == sorted(
        [ids["retiree_a"], ids["family_a"], ids["retiree_b"]]
    )


def test_a_family_members_question_is_worded_as_asked_by_family(
    client: httpx.Client, world: World, fake_wechat, engine: Engine
) -> None:
    a = world.retiree_a
    qid = _asked(
        engine,
        user_id=world.family_a.wechat_user_id,
        retiree_id=a.id,
        unit_id=a.unit_id,
        text="老爷子的护理补贴怎么领取呢",
    )
    staff = staff_headers(client, "staff1")
    client.post(f"/api/v1/staff/bot/questions/{qid}/answer", json={"answer": ANSWER}, headers=staff)
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    own = [n for n in _inbox(client, retiree) if "回复" in n["title"]]
    assert len(own) == 1 and own[0]["body"].startswith("您的家人替您问过：")


def test_staff_answer_stays_inside_their_units(
    client: httpx.Client, world: World, fake_wechat, engine: Engine
) -> None:
    """staff1 (第一军休所) answering reaches askers in their subtree only."""
    ids = _world_asks(engine, world)
    staff1 = staff_headers(client, "staff1")
    groups = client.get("/api/v1/staff/bot/questions", headers=staff1).json()
    assert len(groups) == 1 and len(groups[0]["members"]) == 2
    client.post(
        f"/api/v1/staff/bot/questions/{ids['retiree_a']}/answer",
        json={"answer": ANSWER},
        headers=staff1,
    )
    retiree_b = wechat_headers(client, fake_wechat.base_url, "openid-b")
    assert _mine(client, retiree_b)[ids["retiree_b"]]["staff_answer"] is None
    admin = staff_headers(client, "admin1")
    still_open = client.get("/api/v1/staff/bot/questions", headers=admin).json()
    assert sorted(g["representative"]["id"] for g in still_open) == sorted(
        [ids["retiree_b"], ids["other"]]
    )
