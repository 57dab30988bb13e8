"""With Redis down or hung, nothing that decides who may do what falls back to "each worker on
its own": a logout sticks on every worker, one worker runs the scheduler, and a message pushed to
the official account is answered once. Two app servers sharing the database stand in for two
workers; each has its own cache pointed at Redis that is not there (or never answers)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest
import redis
import xmltodict
from sqlmodel import func, select
from wechatpy.crypto import WeChatCrypto

from backend.app import build_context, create_app
from backend.botchat.models import BotQuestion
from backend.core.cache import RedisCache, redis_client
from backend.core.db import transaction
from backend.core.scheduler import SchedulerService
from tests.botchat.test_official import AES_KEY, APPID, NOW, TOKEN, _params, _text
from tests.factories import TLS, World, login_code, staff_headers
from tests.server import RunningApp, serve_in_thread


def _dead_cache() -> RedisCache:
    """Redis on a port nobody listens on: every call fails at once."""
    return RedisCache(redis_client("redis://127.0.0.1:1/0", timeout=0.2), prefix="dead:")


@pytest.fixture(scope="module")
def hung_redis() -> Iterator[int]:
    """A port that accepts connections and never answers, like a Redis that hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    yield listener.getsockname()[1]
    listener.close()


@pytest.fixture(scope="module")
def two_workers(settings, clock) -> Iterator[tuple[RunningApp, RunningApp]]:
    first = serve_in_thread(
        create_app(settings, clock=clock, cache=_dead_cache(), configure_logs=False)
    )
    second = serve_in_thread(
        create_app(settings, clock=clock, cache=_dead_cache(), configure_logs=False)
    )
    yield first, second
    first.stop()
    second.stop()


def _wechat_token(base_url: str, fake_base_url: str, openid: str) -> str:
    response = httpx.post(
        f"{base_url}/api/v1/auth/wechat",
        json={"code": login_code(fake_base_url, openid)},
        verify=TLS,
    )
    assert response.status_code == 200, response.text
    return str(response.json()["token"])


def test_logout_sticks_on_every_worker_while_redis_is_down(
    two_workers, world: World, fake_wechat
) -> None:
    a, b = (httpx.Client(verify=TLS, base_url=w.base_url, timeout=30) for w in two_workers)
    with a, b:
        token = _wechat_token(a.base_url.__str__(), fake_wechat.base_url, "openid-a")
        bearer = {"Authorization": f"Bearer {token}"}
        for _ in range(3):  # both workers have served (and, before, cached) the session
            assert a.get("/api/v1/me", headers=bearer).status_code == 200
            assert b.get("/api/v1/me", headers=bearer).status_code == 200
        assert b.post("/api/v1/auth/logout", headers=bearer).status_code == 204
        for _ in range(10):
            assert a.get("/api/v1/me", headers=bearer).status_code == 401
            assert b.get("/api/v1/me", headers=bearer).status_code == 401
        staff = staff_headers(a, "staff1")
        assert b.get("/api/v1/staff/me", headers=staff).status_code == 200
        assert a.post("/api/v1/staff/logout", headers=staff).status_code == 204
        assert b.get("/api/v1/staff/me", headers=staff).status_code == 401


def test_logout_is_immediate_with_a_working_cache(
    client: httpx.Client, world: World, fake_wechat
) -> None:
    token = _wechat_token(str(client.base_url), fake_wechat.base_url, "openid-a")
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=bearer).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=bearer).status_code == 204
    assert client.get("/api/v1/me", headers=bearer).status_code == 401


def test_a_hung_redis_keeps_no_session_alive(
    settings, clock, world: World, fake_wechat, hung_redis: int
) -> None:
    hung = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{hung_redis}/0"})
    running = serve_in_thread(create_app(hung, clock=clock, configure_logs=False))
    try:
        with httpx.Client(verify=TLS, base_url=running.base_url, timeout=30) as c:
            token = _wechat_token(running.base_url, fake_wechat.base_url, "openid-a")
            bearer = {"Authorization": f"Bearer {token}"}
            assert c.get("/api/v1/me", headers=bearer).status_code == 200
            assert c.post("/api/v1/auth/logout", headers=bearer).status_code == 204
            for _ in range(10):
                assert c.get("/api/v1/me", headers=bearer).status_code == 401
    finally:
        running.stop()


def test_one_scheduler_across_workers_while_redis_is_down(settings, clock, engine) -> None:
    contexts = [build_context(settings, clock=clock, cache=_dead_cache()) for _ in range(2)]
    workers = [SchedulerService(ctx, jobs=[]) for ctx in contexts]
    try:
        for _ in range(3):
            for worker in workers:
                worker.step()
            assert [w.running for w in workers] == [True, False]
        workers[0].stop()  # the leader shuts down: the other takes over at its next tick
        workers[1].step()
        assert workers[1].running
    finally:
        for worker in workers:
            worker.stop()
        for ctx in contexts:
            ctx.engine.dispose()


def test_a_callback_message_is_answered_once_across_workers_without_redis(
    two_workers, engine
) -> None:
    crypto = WeChatCrypto(TOKEN, AES_KEY, APPID)
    xml = _text("今天股票行情怎么样", msg_id=424242)
    replies = []
    for worker in (*two_workers, *two_workers):
        nonce = "dedupe"
        envelope = crypto.encrypt_message(xml, nonce, NOW)
        params = {
            **_params(NOW, nonce),
            "encrypt_type": "aes",
            "msg_signature": xmltodict.parse(envelope)["xml"]["MsgSignature"],
        }
        response = httpx.post(
            f"{worker.base_url}/wechat/official",
            verify=TLS,
            params=params,
            content=envelope.encode(),
            timeout=60,
        )
        assert response.status_code == 200, response.text
        outer = xmltodict.parse(response.text)["xml"]
        plain = crypto.decrypt_message(
            response.text, outer["MsgSignature"], outer["TimeStamp"], outer["Nonce"]
        )
        replies.append(xmltodict.parse(plain)["xml"]["Content"])
    assert len(set(replies)) == 1, "every delivery gets the reply made the first time"
    with transaction(engine) as db:
        assert db.exec(select(func.count()).select_from(BotQuestion)).one() == 1


class _HungClient:
    """Stands in for a Redis client whose every call times out; counts the calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __getattr__(self, name: str) -> object:
        def call(*args: object, **kwargs: object) -> object:
            self.calls += 1
            raise redis.TimeoutError("Timeout reading from socket")

        return call


def test_a_hung_redis_is_skipped_for_a_while_instead_of_on_every_call() -> None:
    now = [100.0]
    client = _HungClient()
    cache = RedisCache(client, monotonic=lambda: now[0])  # type: ignore[arg-type]
    assert cache.get("k") is None and client.calls == 1
    for _ in range(20):
        cache.get("k")
        cache.incr("n", ttl=60)
    assert client.calls == 1, "no request waits on a Redis that just timed out"
    now[0] += 5.1
    cache.get("k")
    assert client.calls == 2, "after a few seconds Redis is tried again"
