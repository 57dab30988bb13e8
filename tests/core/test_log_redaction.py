"""Personal data never reaches the logs: the real server (a subprocess started like `junxiu
serve`, logging configured as in production) is driven through every failure path with a
身份证号, a mobile number and an openid in the path, the query string, the body, an exception
message and a failing SQL statement; every line it writes to stdout and stderr is then searched
for the raw values, in text mode and in JSON mode."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from wechatpy.utils import WeChatSigner

from backend.core.logging import redact
from backend.core.serving import free_port
from tests.factories import PASSWORD, TLS, World

REPO = Path(__file__).resolve().parents[2]
ID_NUMBER = "11010119400101231X"
PHONE = "13912345678"
OPENID = "oR5tY7uI9oP1aS3dF5gH7jK9lZ2x"
RAW = (ID_NUMBER, PHONE, OPENID, ID_NUMBER.lower())
TOKEN = "log-test-official-token"


def _start(settings, tmp_path: Path, *, as_json: bool) -> tuple[subprocess.Popen, str, Path]:
    port = free_port()
    log_file = tmp_path / f"server-{'json' if as_json else 'text'}.log"
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "SECRET_KEY": settings.secret_key,
        "WECHAT_API_BASE": settings.wechat_api_base,
        "MOUNT_FAKE_WECHAT": "false",
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "BOT_INDEX_PATH": str(settings.bot_index_path),
        "RUN_SCHEDULER": "false",
        "OFFICIAL_TOKEN": TOKEN,
        "OFFICIAL_AES_KEY": "",
        "LOG_LEVEL": "INFO",
        "LOG_JSON": "true" if as_json else "false",
    }
    with log_file.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.core.logged_server", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    # Only a guard against a server that hangs: on a loaded machine (parallel workers, other
    # jobs) importing the app and warming the bot has taken over two minutes.
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited:\n{log_file.read_text()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1, verify=TLS).status_code == 200:
                return process, base, log_file
        except httpx.HTTPError:
            pass
        time.sleep(0.1)  # waiting for a process to start, not for the app's clock
    process.kill()
    raise AssertionError("server did not start")


def _signature(timestamp: str, nonce: str) -> str:
    signer = WeChatSigner()
    signer.add_data(TOKEN, timestamp, nonce)
    return str(signer.signature)


def _drive(base: str) -> None:
    data = {"id_number": ID_NUMBER, "phone": PHONE, "openid": OPENID}
    with httpx.Client(verify=TLS, base_url=base, timeout=30) as c:
        # 404, with the data in the path and the query string
        assert c.get(f"/api/v1/nothing/{ID_NUMBER}/{PHONE}", params=data).status_code == 404
        # 401: a search for a 身份证号 without logging in
        assert c.get("/api/v1/staff/retirees", params={"q": ID_NUMBER}).status_code == 401
        assert c.post("/api/v1/staff/login", json={"username": PHONE, "password": ID_NUMBER})
        staff = c.post("/api/v1/staff/login", json={"username": "staff1", "password": PASSWORD})
        headers = {"Authorization": f"Bearer {staff.json()['token']}"}
        # 200, the search in the access log's query string
        for q in (ID_NUMBER, PHONE, OPENID):
            assert c.get("/api/v1/staff/retirees", params={"q": q}, headers=headers).is_success
        # 422 with the data in the body and the query string
        bad = c.post(
            "/api/v1/staff/retirees",
            params=data,
            json={"name": OPENID, "id_number": ID_NUMBER + "9", "phone": PHONE + "0"},
            headers=headers,
        )
        assert bad.status_code == 422
        # 500: an exception quoting the data, and a failing statement with it as parameters
        # (uvicorn closes the connection after an unhandled error: one connection each)
        for path in ("/_test/boom", "/_test/bad-sql"):
            assert httpx.get(base + path, params=data, timeout=30, verify=TLS).status_code == 500
        # the official account's callback: forged, then genuine, carrying the openid
        message = (
            f"<xml><ToUserName><![CDATA[gh_junxiu]]></ToUserName>"
            f"<FromUserName><![CDATA[{OPENID}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[我的身份证{ID_NUMBER}电话{PHONE}]]></Content>"
            f"<MsgId>9988776655</MsgId></xml>"
        )
        timestamp, nonce = str(int(time.time())), "n0nce-log"
        forged = {"signature": "bad", "timestamp": timestamp, "nonce": nonce, "openid": OPENID}
        assert c.post("/wechat/official", params=forged, content=message).status_code == 403
        signed = {**forged, "signature": _signature(timestamp, nonce)}
        assert c.post("/wechat/official", params=signed, content=message).status_code == 200


@pytest.fixture
def captured(
    settings, world: World, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[str]:
    process, base, log_file = _start(settings, tmp_path, as_json=request.param)
    try:
        _drive(base)
    finally:
        process.terminate()
        process.wait(timeout=30)
    yield log_file.read_text(encoding="utf-8", errors="replace")


@pytest.mark.parametrize("captured", [False, True], ids=["text", "json"], indirect=True)
def test_no_personal_data_in_any_log_line(captured: str, request) -> None:
    lines = captured.splitlines()
    leaks = [line for line in lines if any(raw in line for raw in RAW)]
    assert not leaks, "\n".join(leaks[:20])
    text = captured
    # The lines are there, redacted: the access log, both tracebacks, the callback.
    assert "GET /api/v1/staff/retirees?q=*** HTTP/1.1" in text
    assert " 401" in text and " 404" in text and " 422" in text and " 500" in text
    assert "RuntimeError" in text and "110101********231X" in text
    assert "IntegrityError" in text and "SQL parameters hidden" in text
    assert "/wechat/official?signature=***" in text
    if "json" in request.node.callspec.id:
        # JSON mode: every line came through our one handler (nothing printed around it).
        for line in lines:
            if line.strip():
                json.loads(line)


def test_redact_masks_what_the_logs_may_carry() -> None:
    assert redact("身份证 110101193603120011 电话 13800138000") == (
        "身份证 110101********0011 电话 138****8000"
    )
    assert redact(f"/wechat/official?signature=abc&nonce=n1&openid={OPENID}&x=1") == (
        "/wechat/official?signature=***&nonce=***&openid=***&x=1"
    )
    assert OPENID not in redact(f"user {OPENID} asked")
    assert redact("DETAIL:  Failing row contains (5, 王建国, 13800138000).") == (
        "DETAIL:  Failing row contains (***)."
    )
    assert redact("Key (username)=(wang) already exists.") == "Key (username)=(***) already exists."
