"""Checks on a message pushed by WeChat to the official account's callback, before anything is
read or answered: the signature, the age of the timestamp (a replayed message is refused), the
configured mode (with an EncodingAESKey set, only encrypted messages), an envelope that opens —
and, in the database, that the message has not been taken already.
"""

from __future__ import annotations

import struct
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from xml.parsers.expat import ExpatError

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from backend.wechat.models import WechatCallbackMessage

if TYPE_CHECKING:
    from wechatpy.crypto import WeChatCrypto

# WeChat does not publish a window; its servers stamp a message when they send it and retry
# for 15 seconds. Five minutes leaves room for clock drift and refuses any replay older.
MAX_AGE = timedelta(minutes=5)
KEEP_TAKEN = timedelta(hours=1)


class Refused(Exception):
    """Not from WeChat (bad signature, stale timestamp, wrong mode): 403."""


class BadEnvelope(Exception):
    """Signed correctly but the encrypted envelope does not open: 400."""


def check_request(
    token: str, *, signature: str, timestamp: str, nonce: str, now: datetime | None
) -> None:
    """The signature over token, timestamp and nonce; with `now`, also the timestamp's age."""
    # wechatpy (and requests under it) imported on first use: ~0.1 s of every worker's start.
    from wechatpy.exceptions import InvalidSignatureException
    from wechatpy.utils import check_signature

    try:
        check_signature(token, signature, timestamp, nonce)
    except InvalidSignatureException as exc:
        raise Refused("signature") from exc
    if now is None:
        return
    try:
        sent = int(timestamp)
    except ValueError as exc:
        raise Refused("timestamp") from exc
    if abs(now.timestamp() - sent) > MAX_AGE.total_seconds():
        raise Refused("stale")


def check_mode(*, aes_key: str, encrypt_type: str) -> None:
    encrypted = encrypt_type == "aes"
    if encrypted != bool(aes_key):
        raise Refused("mode")


def open_envelope(
    crypto: WeChatCrypto, body: bytes, *, msg_signature: str, timestamp: str, nonce: str
) -> bytes:
    from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException

    try:
        return crypto.decrypt_message(body, msg_signature, timestamp, nonce).encode()
    except (InvalidSignatureException, InvalidAppIdException) as exc:
        raise Refused("envelope signature") from exc
    # wechatpy lets the parsing and padding errors of a malformed envelope through as they are.
    except (ExpatError, TypeError, LookupError, ValueError, struct.error) as exc:
        raise BadEnvelope(type(exc).__name__) from exc


def take(db: Session, *, key: str, now: datetime) -> bool:
    """Claim a message for this request. False when another request (this worker or another)
    took it first; a claim still being answered blocks here until that answer is committed."""
    db.exec(
        delete(WechatCallbackMessage).where(
            col(WechatCallbackMessage.created_at) < now - KEEP_TAKEN
        )
    )
    try:
        with db.begin_nested():
            db.add(WechatCallbackMessage(key=key, created_at=now))
            db.flush()
    except IntegrityError:
        return False
    return True


def reply_of(db: Session, key: str) -> str | None:
    row = db.get(WechatCallbackMessage, key, populate_existing=True)
    return row.reply if row else None


def remember_reply(db: Session, *, key: str, reply: str | None) -> None:
    row = db.get(WechatCallbackMessage, key)
    if row is not None:
        row.reply = reply
        db.add(row)
