"""WeChat's content check runs after the reply, in the job botchat.content_checks: the reply never
waits on WeChat, a failing check is tried again later and the question is never lost."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from backend.botchat.checks import CheckResult
from backend.botchat.models import BotQuestion
from backend.botchat.service import UNCHECKED_TEXT
from backend.core.db import transaction
from backend.wechat.errors import WeChatError
from tests.factories import World, staff_headers, wechat_headers

QUESTION = "今天股票行情怎么样"


class HangingWeChat:
    """A WeChat that does not answer: each check waits until released, then times out."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.release = threading.Event()

    def check_text(self, openid: str, content: str, scene: int = 2) -> bool:  # noqa: ARG002
        self.calls.append(content)
        self.release.wait(timeout=30)
        raise WeChatError(None, "ReadTimeout")


def _rows(engine: Engine) -> list[BotQuestion]:
    with transaction(engine) as db:
        return list(db.exec(select(BotQuestion).order_by(BotQuestion.id)).all())  # type: ignore[arg-type]


def _staff_questions(client: httpx.Client) -> list[str]:
    groups = client.get("/api/v1/staff/bot/questions", headers=staff_headers(client, "staff1"))
    return [m["question"] for g in groups.json() for m in g["members"]]


@pytest.fixture
def hanging(app_server, monkeypatch) -> HangingWeChat:
    wechat = HangingWeChat()
    monkeypatch.setattr(app_server.app.state.ctx.wechat, "check_text", wechat.check_text)
    yield wechat
    wechat.release.set()


def test_the_reply_never_waits_on_wechat(
    client: httpx.Client,
    world: World,
    fake_wechat,
    engine: Engine,
    hanging: HangingWeChat,
) -> None:
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    asked = client.post("/api/v1/bot/ask", json={"question": QUESTION}, headers=retiree)
    assert asked.status_code == 200 and asked.json()["handoff_offered"] is True
    handoff = client.post("/api/v1/bot/handoff", json={"question": "想当面问"}, headers=retiree)
    assert handoff.status_code == 201
    assert hanging.calls == [], "no WeChat call on the request path"
    rows = _rows(engine)
    assert [(r.question, r.check_state) for r in rows] == [
        (QUESTION, "pending"),
        ("想当面问", "pending"),
    ]
    assert _staff_questions(client) == [], "staff read only checked text"
    mine = client.get("/api/v1/bot/questions", headers=retiree).json()
    assert {q["question"] for q in mine} == {QUESTION, "想当面问"}, "the asker sees their own"


def test_a_failing_check_is_retried_and_the_question_never_lost(
    client: httpx.Client,
    world: World,
    fake_wechat,
    engine: Engine,
    clock,
    run_checks: Callable[[], CheckResult],
) -> None:
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    client.post("/api/v1/bot/ask", json={"question": QUESTION}, headers=retiree)
    fake_wechat.state.fail_next.extend([-1, -1])  # WeChat busy, twice

    assert run_checks().counts == {"retry": 1}
    (row,) = _rows(engine)
    assert (row.check_state, row.check_attempts, row.question) == ("pending", 1, QUESTION)
    assert run_checks().counts == {}, "not tried again before its backoff"
    clock.advance(timedelta(seconds=30))
    assert run_checks().counts == {"retry": 1}
    (row,) = _rows(engine)
    assert row.check_attempts == 2 and row.check_state == "pending"
    clock.advance(timedelta(seconds=30))
    assert run_checks().counts == {}, "the second wait is longer (60 s)"
    assert _staff_questions(client) == []

    clock.advance(timedelta(seconds=30))
    assert run_checks().counts == {"passed": 1}
    (row,) = _rows(engine)
    assert (row.check_state, row.question) == ("passed", QUESTION)
    assert _staff_questions(client) == [QUESTION]
    assert run_checks().counts == {}, "checked once"


def test_a_question_asked_while_wechat_hangs_is_checked_later(
    client: httpx.Client,
    world: World,
    fake_wechat,
    engine: Engine,
    clock,
    monkeypatch,
    app_server,
    hanging: HangingWeChat,
    run_checks: Callable[[], CheckResult],
) -> None:
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    client.post("/api/v1/bot/ask", json={"question": QUESTION}, headers=retiree)
    hanging.release.set()
    assert run_checks().counts == {"retry": 1} and hanging.calls == [QUESTION]
    monkeypatch.undo()  # WeChat is back
    clock.advance(timedelta(minutes=1))
    assert run_checks().counts == {"passed": 1}
    assert _staff_questions(client) == [QUESTION]


def test_wechat_refusing_to_check_withholds_the_text_but_keeps_the_question(
    client: httpx.Client,
    world: World,
    fake_wechat,
    engine: Engine,
    run_checks: Callable[[], CheckResult],
) -> None:
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    client.post("/api/v1/bot/handoff", json={"question": "想当面问问护理费"}, headers=retiree)
    fake_wechat.state.fail_next.append(40003)  # permanent: this openid cannot be checked
    assert run_checks().counts == {"unchecked": 1}
    assert _staff_questions(client) == [UNCHECKED_TEXT]
    assert "护理费" not in str(_rows(engine)[0].question)
