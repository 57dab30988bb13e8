"""The official account callback, fed real WeChat payloads built with wechatpy's own helpers."""

from __future__ import annotations

import base64
import itertools
from datetime import timedelta

import httpx
import pytest
import xmltodict
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

from backend.wechat import callback

TOKEN = "test-official-token"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
APPID = "wx-test-official"
_ids = itertools.count(7000000000)


def _signature(timestamp: str, nonce: str) -> str:
    signer = WeChatSigner()
    signer.add_data(TOKEN, timestamp, nonce)
    return str(signer.signature)


def _text(content: str, *, openid: str = "o-official", msg_id: int | None = None) -> str:
    return (
        f"<xml><ToUserName><![CDATA[gh_junxiu]]></ToUserName>"
        f"<FromUserName><![CDATA[{openid}]]></FromUserName><CreateTime>1772416800</CreateTime>"
        f"<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{content}]]></Content>"
        f"<MsgId>{msg_id or next(_ids)}</MsgId></xml>"
    )


def _voice(recognition: str) -> str:
    return (
        "<xml><ToUserName><![CDATA[gh_junxiu]]></ToUserName>"
        "<FromUserName><![CDATA[o-voice]]></FromUserName><CreateTime>1772416801</CreateTime>"
        "<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[m1]]></MediaId>"
        "<Format><![CDATA[amr]]></Format>"
        f"<Recognition><![CDATA[{recognition}]]></Recognition><MsgId>{next(_ids)}</MsgId></xml>"
    )


CRYPTO = WeChatCrypto(TOKEN, AES_KEY, APPID)
NOW = "1772416800"  # tests/conftest.py START: the app's clock


def _params(timestamp: str, nonce: str, *, forged: bool = False) -> dict[str, str]:
    signature = "bad" if forged else _signature(timestamp, nonce)
    return {"signature": signature, "timestamp": timestamp, "nonce": nonce}


def _post(
    client: httpx.Client,
    xml: str,
    *,
    forged: bool = False,
    timestamp: str = NOW,
    nonce: str = "n0nce",
    encrypt: bool = True,
) -> httpx.Response:
    """As WeChat sends it in safe mode (the test server has an EncodingAESKey)."""
    params = _params(timestamp, nonce, forged=forged)
    content = xml
    if encrypt:
        content = CRYPTO.encrypt_message(xml, nonce, timestamp)
        params["encrypt_type"] = "aes"
        params["msg_signature"] = xmltodict.parse(content)["xml"]["MsgSignature"]
    return client.post("/wechat/official", params=params, content=content.encode())


def _reply(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    outer = xmltodict.parse(response.text)["xml"]
    plain = CRYPTO.decrypt_message(
        response.text, outer["MsgSignature"], outer["TimeStamp"], outer["Nonce"]
    )
    return str(xmltodict.parse(plain)["xml"]["Content"])


def test_url_verification_and_forged_requests(client: httpx.Client, app_server) -> None:
    ok = client.get(
        "/wechat/official",
        params={"signature": _signature("1", "2"), "timestamp": "1", "nonce": "2", "echostr": "e"},
    )
    assert ok.status_code == 200 and ok.text == "e"
    forged = client.get(
        "/wechat/official",
        params={"signature": "x", "timestamp": "1", "nonce": "2", "echostr": "e"},
    )
    assert forged.status_code == 403
    assert _post(client, _text("体检多久一次"), forged=True).status_code == 403


def test_text_question_gets_a_cited_answer(client: httpx.Client, app_server) -> None:
    reply = _reply(_post(client, _text("体检多久一次")))
    assert "体检" in reply and "依据" in reply


def test_duplicate_delivery_is_answered_once(client: httpx.Client, app_server, engine) -> None:
    from sqlmodel import func, select

    from backend.botchat.models import BotQuestion
    from backend.core.db import transaction

    xml = _text("今天股票行情怎么样", msg_id=123456789)
    first = _reply(_post(client, xml))
    second = _reply(_post(client, xml))  # WeChat retried: same MsgId
    assert first == second
    with transaction(engine) as db:
        assert db.exec(select(func.count()).select_from(BotQuestion)).one() == 1


def test_voice_uses_recognition_and_empty_asks_to_type(client: httpx.Client, app_server) -> None:
    assert "体检" in _reply(_post(client, _voice("体检多久一次")))
    empty = _reply(_post(client, _voice("")))
    assert "打字" in empty and "人工" in empty


def test_subscribe_event_gets_a_welcome(client: httpx.Client, app_server) -> None:
    xml = (
        "<xml><ToUserName><![CDATA[gh_junxiu]]></ToUserName>"
        "<FromUserName><![CDATA[o-new]]></FromUserName><CreateTime>1772416802</CreateTime>"
        "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event></xml>"
    )
    assert "欢迎" in _reply(_post(client, xml))


def test_safe_mode_round_trip(client: httpx.Client, app_server) -> None:
    crypto = WeChatCrypto(TOKEN, AES_KEY, APPID)
    timestamp, nonce = "1772416900", "safe-nonce"
    encrypted = crypto.encrypt_message(_text("出国要报备吗"), nonce, timestamp)
    msg_signature = xmltodict.parse(encrypted)["xml"]["MsgSignature"]
    response = client.post(
        "/wechat/official",
        params={
            "signature": _signature(timestamp, nonce),
            "timestamp": timestamp,
            "nonce": nonce,
            "encrypt_type": "aes",
            "msg_signature": msg_signature,
        },
        content=encrypted.encode(),
    )
    assert response.status_code == 200
    outer = xmltodict.parse(response.text)["xml"]
    plain = crypto.decrypt_message(
        response.text, outer["MsgSignature"], outer["TimeStamp"], outer["Nonce"]
    )
    assert "报备" in xmltodict.parse(plain)["xml"]["Content"]
    tampered = client.post(
        "/wechat/official",
        params={
            "signature": _signature(timestamp, nonce),
            "timestamp": timestamp,
            "nonce": nonce,
            "encrypt_type": "aes",
            "msg_signature": "wrong",
        },
        content=encrypted.encode(),
    )
    assert tampered.status_code == 403


def test_stale_and_future_timestamps_are_refused(client: httpx.Client, app_server, clock) -> None:
    """A replayed message (the attack used a timestamp from 2001) is refused before it is read."""
    start = int(NOW)
    for timestamp in ("1000000000", str(start - 301), str(start + 301), "later"):
        assert _post(client, _text("体检多久一次"), timestamp=timestamp).status_code == 403
    assert "体检" in _reply(_post(client, _text("体检多久一次"), timestamp=str(start - 299)))
    xml = _text("出国要报备吗")
    clock.advance(timedelta(minutes=6))  # the same signed message, replayed six minutes on
    assert _post(client, xml, timestamp=NOW).status_code == 403


def test_plaintext_is_refused_when_an_aes_key_is_set(client: httpx.Client, app_server) -> None:
    assert _post(client, _text("体检多久一次"), encrypt=False).status_code == 403


def test_the_configured_mode_decides() -> None:
    callback.check_mode(aes_key="", encrypt_type="raw")
    callback.check_mode(aes_key=AES_KEY, encrypt_type="aes")
    for key, kind in ((AES_KEY, "raw"), (AES_KEY, ""), ("", "aes")):
        with pytest.raises(callback.Refused):
            callback.check_mode(aes_key=key, encrypt_type=kind)


def _envelope_signature(encrypt: str, timestamp: str, nonce: str) -> str:
    signer = WeChatSigner()
    signer.add_data(TOKEN, timestamp, nonce, encrypt)
    return str(signer.signature)


@pytest.mark.parametrize(
    "encrypt",
    [
        None,  # not XML at all
        "",  # no Encrypt element
        "!!!",
        base64.b64encode(b"x" * 5).decode(),
        base64.b64encode(b"x" * 32).decode(),
        base64.b64encode(b"x" * 48).decode(),
    ],
    ids=["not-xml", "no-encrypt", "not-base64", "short", "one-block", "three-blocks"],
)
def test_malformed_envelopes_answer_400(client: httpx.Client, app_server, encrypt) -> None:
    timestamp, nonce = NOW, "bad-envelope"
    if encrypt is None:
        body = "this is not xml"
    elif encrypt == "":
        body = "<xml><ToUserName>gh_junxiu</ToUserName></xml>"
    else:
        body = f"<xml><ToUserName>gh_junxiu</ToUserName><Encrypt>{encrypt}</Encrypt></xml>"
    params = {
        **_params(timestamp, nonce),
        "encrypt_type": "aes",
        "msg_signature": _envelope_signature(encrypt or "", timestamp, nonce),
    }
    response = client.post("/wechat/official", params=params, content=body.encode())
    assert response.status_code == 400, response.text
