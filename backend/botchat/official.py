"""WeChat Official Account callback: people ask the bot by text or voice from the 公众号.

wechatpy checks the signature, decrypts safe-mode (AES) messages, parses and builds the reply.
WeChat retries a message it got no answer to within 5 s; a retry with the same MsgId (or
FromUserName + CreateTime for events) gets the reply already made, and is not processed again.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool
from wechatpy import create_reply, parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.utils import check_signature

from backend.botchat import service
from backend.botchat.runtime import BotRuntime
from backend.core.db import transaction
from backend.core.deps import CtxDep

log = logging.getLogger(__name__)
router = APIRouter(tags=["公众号"])

WELCOME = (
    "您好，欢迎关注军休服务助手！\n"
    "您可以直接打字或发语音问政策，比如“体检多久一次”“出国要报备吗”。\n"
    "回复“人工”，可以找工作人员。"
)
VOICE_UNCLEAR = "不好意思，这段语音没听清。请打字再问一次，或回复“人工”找工作人员。"
UNSUPPORTED = "目前只能看懂文字和语音。请打字或发语音问我。回复“人工”找工作人员。"
REPLY_TTL = 600


def _verify(ctx: CtxDep, signature: str, timestamp: str, nonce: str) -> bool:
    try:
        check_signature(ctx.settings.official_token, signature, timestamp, nonce)
    except InvalidSignatureException:
        return False
    return True


@router.get("/wechat/official", include_in_schema=False)
def verify_url(
    ctx: CtxDep,
    signature: str = Query(""),
    timestamp: str = Query(""),
    nonce: str = Query(""),
    echostr: str = Query(""),
) -> Response:
    if not _verify(ctx, signature, timestamp, nonce):
        return PlainTextResponse("forbidden", status_code=403)
    return PlainTextResponse(echostr)


def _answer_text(ctx: CtxDep, openid: str, text: str) -> str:
    runtime: BotRuntime = ctx.extras["bot"]
    asker = service.Asker(
        channel="official",
        key=openid,
        openid=openid,
        wechat_user_id=None,
        retiree_id=None,
        unit_id=None,
    )
    with transaction(ctx.engine) as db:
        answer = service.ask(
            db,
            index=runtime.index(),
            cache=ctx.cache,
            clock=ctx.clock,
            checker=ctx.extras["wechat"],
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


def _handle(ctx: CtxDep, message: object) -> str | None:
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
        return _answer_text(ctx, openid, text)
    if kind == "text":
        return _answer_text(ctx, openid, str(getattr(message, "content", "")))
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
    body = await request.body()
    if not _verify(ctx, signature, timestamp, nonce):
        return PlainTextResponse("forbidden", status_code=403)
    crypto = None
    if encrypt_type == "aes":
        if not ctx.settings.official_aes_key:
            return PlainTextResponse("forbidden", status_code=403)
        crypto = WeChatCrypto(
            ctx.settings.official_token, ctx.settings.official_aes_key, ctx.settings.official_appid
        )
        try:
            body = crypto.decrypt_message(body, msg_signature, timestamp, nonce).encode()
        except (InvalidSignatureException, InvalidAppIdException):
            return PlainTextResponse("forbidden", status_code=403)
    xml = await run_in_threadpool(_reply_xml, ctx, body)
    if xml is None:
        return PlainTextResponse("success")
    if crypto is not None:
        xml = crypto.encrypt_message(xml, nonce, timestamp)
    return Response(xml, media_type="application/xml")


def _reply_xml(ctx: CtxDep, body: bytes) -> str | None:
    """Parse, answer once per message, render. Runs in a worker thread (jieba, db)."""
    try:
        message = parse_message(body)
    except Exception:  # malformed XML from a forged or broken sender
        log.warning("official account: unparsable message")
        return None
    key = _dedupe_key(message)
    if not ctx.cache.set_if_absent(key, "", ttl=REPLY_TTL):
        cached = ctx.cache.get(key)
        return cached or None
    text = _handle(ctx, message)
    if text is None:
        return None
    xml = create_reply(text, message).render()
    ctx.cache.set(key, xml, ttl=REPLY_TTL)
    return xml
