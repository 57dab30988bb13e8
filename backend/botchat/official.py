"""WeChat Official Account callback: people ask the bot by text or voice from the 公众号.

wechatpy checks the signature, decrypts safe-mode (AES) messages, parses and builds the reply.
WeChat retries a message it got no answer to within 5 s; a retry with the same MsgId (or
FromUserName + CreateTime for events) gets the reply already made, and is not processed again
(the claim is a database row, so this holds across workers and without Redis). Stale timestamps,
plaintext when an EncodingAESKey is set and envelopes that do not open are refused
(backend/wechat/callback.py).
"""

from __future__ import annotations

import logging

from fastapi import Query, Request
from fastapi.responses import PlainTextResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from backend.botchat import service
from backend.core.db import transaction
from backend.core.deps import CtxDep
from backend.core.routing import APIRouter
from backend.wechat import callback

log = logging.getLogger(__name__)
router = APIRouter(tags=["公众号"])

WELCOME = (
    "您好，欢迎关注军休服务助手！\n"
    "您可以直接打字或发语音问政策，比如“体检多久一次”“出国要报备吗”。\n"
    "回复“人工”，可以找工作人员。"
)
VOICE_UNCLEAR = "不好意思，这段语音没听清。请打字再问一次，或回复“人工”找工作人员。"
UNSUPPORTED = "目前只能看懂文字和语音。请打字或发语音问我。回复“人工”找工作人员。"
FORBIDDEN = "forbidden"


@router.get("/wechat/official", include_in_schema=False)
def verify_url(
    ctx: CtxDep,
    signature: str = Query(""),
    timestamp: str = Query(""),
    nonce: str = Query(""),
    echostr: str = Query(""),
) -> Response:
    try:
        # Replaying a URL check only echoes its own echostr: no age check here.
        callback.check_request(
            ctx.settings.official_token,
            signature=signature,
            timestamp=timestamp,
            nonce=nonce,
            now=None,
        )
    except callback.Refused:
        return PlainTextResponse(FORBIDDEN, status_code=403)
    return PlainTextResponse(echostr)


def _answer_text(ctx: CtxDep, db: Session, openid: str, text: str) -> str:
    runtime = ctx.bot
    asker = service.Asker(
        channel="official",
        key=openid,
        openid=openid,
        wechat_user_id=None,
        retiree_id=None,
        unit_id=None,
    )
    answer = service.ask(
        db,
        index=runtime.index(),
        cache=ctx.cache,
        clock=ctx.clock,
        asker=asker,
        question=text,
    )
    reply = answer.answer
    if answer.sources:
        cited = "；".join(f"{s.title}" for s in answer.sources[:2])
        reply += f"\n\n依据：{cited}"
    if answer.suggestions:
        reply += "\n\n您也可以问：\n" + "\n".join(f"· {q}" for q in answer.suggestions[:3])
    if answer.handoff_offered:
        reply += "\n\n回复“人工”，可以找工作人员。"
    return reply


def _handle(ctx: CtxDep, db: Session, message: object) -> str | None:
    kind = getattr(message, "type", "")
    openid = str(getattr(message, "source", ""))
    if kind == "event":
        if getattr(message, "event", "") == "subscribe":
            return WELCOME
        return None
    if kind == "voice":
        text = (getattr(message, "recognition", None) or "").strip()
        if not text:
            return VOICE_UNCLEAR
        return _answer_text(ctx, db, openid, text)
    if kind == "text":
        return _answer_text(ctx, db, openid, str(getattr(message, "content", "")))
    return UNSUPPORTED


def _dedupe_key(message: object) -> str:
    msg_id = getattr(message, "id", None)
    if msg_id:
        return f"official:msg:{msg_id}"
    source = getattr(message, "source", "")
    created = getattr(message, "create_time", None) or getattr(message, "time", "")
    return f"official:evt:{source}:{created}"


@router.post("/wechat/official", include_in_schema=False)
async def receive(
    request: Request,
    ctx: CtxDep,
    signature: str = Query(""),
    timestamp: str = Query(""),
    nonce: str = Query(""),
    encrypt_type: str = Query("raw"),
    msg_signature: str = Query(""),
) -> Response:
    settings = ctx.settings
    # Everything that can be checked from the URL is checked before the body is read.
    try:
        callback.check_request(
            settings.official_token,
            signature=signature,
            timestamp=timestamp,
            nonce=nonce,
            now=ctx.clock.now(),
        )
        callback.check_mode(aes_key=settings.official_aes_key, encrypt_type=encrypt_type)
    except callback.Refused as exc:
        log.info("official account: refused (%s)", exc)
        return PlainTextResponse(FORBIDDEN, status_code=403)
    body = await request.body()
    crypto = None
    if encrypt_type == "aes":
        from wechatpy.crypto import WeChatCrypto  # on first use (backend/wechat/callback.py)

        crypto = WeChatCrypto(
            settings.official_token, settings.official_aes_key, settings.official_appid
        )
        try:
            body = callback.open_envelope(
                crypto, body, msg_signature=msg_signature, timestamp=timestamp, nonce=nonce
            )
        except callback.Refused as exc:
            log.info("official account: refused (%s)", exc)
            return PlainTextResponse(FORBIDDEN, status_code=403)
        except callback.BadEnvelope as exc:
            log.info("official account: envelope does not open (%s)", exc)
            return PlainTextResponse("bad request", status_code=400)
    xml = await run_in_threadpool(_reply_xml, ctx, body)
    if xml is None:
        return PlainTextResponse("success")
    if crypto is not None:
        xml = crypto.encrypt_message(xml, nonce, timestamp)
    return Response(xml, media_type="application/xml")


def _reply_xml(ctx: CtxDep, body: bytes) -> str | None:
    """Parse, answer once per message, render. Runs in a worker thread (jieba, db).

    The message is claimed by a row in the database in the same transaction as its answer: a
    second delivery (WeChat's retry, or another worker) gets the reply already made, with or
    without Redis."""
    from wechatpy import create_reply, parse_message  # on first use (backend/wechat/callback.py)

    try:
        message = parse_message(body)
    except Exception:  # malformed XML from a forged or broken sender
        log.warning("official account: unparsable message")
        return None
    key = _dedupe_key(message)
    with transaction(ctx.engine) as db:
        if not callback.take(db, key=key, now=ctx.clock.now()):
            return callback.reply_of(db, key)
        text = _handle(ctx, db, message)
        xml = None if text is None else create_reply(text, message).render()
        callback.remember_reply(db, key=key, reply=xml)
    return xml
