"""The official account callback, fed real WeChat payloads built with wechatpy's own helpers."""

from __future__ import annotations

import itertools

import httpx
import xmltodict
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

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


def _post(client: httpx.Client, xml: str, *, forged: bool = False) -> httpx.Response:
    timestamp, nonce = "1772416800", "n0nce"
    signature = "bad" if forged else _signature(timestamp, nonce)
    return client.post(
        "/wechat/official",
        params={"signature": signature, "timestamp": timestamp, "nonce": nonce},
        content=xml.encode(),
    )


def _reply(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    return str(xmltodict.parse(response.text)["xml"]["Content"])


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
