"""Opaque session tokens for WeChat users and staff.

The database holds the truth (hash of the token, subject, expiry); the cache holds a short-lived
copy so most requests do not touch the table. Losing Redis logs nobody out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, delete

from backend.accounts.enums import SessionKind
from backend.accounts.models import AuthSession
from backend.core.cache import Cache
from backend.core.clock import Clock, as_utc
from backend.core.security import new_token, token_hash

CACHE_SECONDS = 300
# Sliding expiry: extend at most once an hour per session, not on every request.
EXTEND_AFTER = timedelta(hours=1)


@dataclass(frozen=True)
class ResolvedSession:
    kind: SessionKind
    subject_id: int
    expires_at: datetime
    token_hash: str


def _cache_key(digest: str) -> str:
    return f"session:{digest}"


def create(
    db: Session, *, clock: Clock, kind: SessionKind, subject_id: int, ttl: timedelta
) -> tuple[str, AuthSession]:
    token = new_token()
    now = clock.now()
    row = AuthSession(
        token_hash=token_hash(token),
        kind=kind,
        subject_id=subject_id,
        created_at=now,
        expires_at=now + ttl,
    )
    db.add(row)
    return token, row


def resolve(
    db: Session,
    *,
    cache: Cache,
    clock: Clock,
    token: str,
    kind: SessionKind,
    sliding_ttl: timedelta | None,
) -> ResolvedSession | None:
    digest = token_hash(token)
    now = clock.now()
    cached = cache.get(_cache_key(digest))
    if cached:
        data = json.loads(cached)
        resolved = ResolvedSession(
            kind=SessionKind(data["kind"]),
            subject_id=int(data["subject_id"]),
            expires_at=as_utc(datetime.fromisoformat(data["expires_at"])),
            token_hash=digest,
        )
    else:
        row = db.get(AuthSession, digest)
        if row is None:
            return None
        resolved = ResolvedSession(
            kind=SessionKind(row.kind),
            subject_id=row.subject_id,
            expires_at=as_utc(row.expires_at),
            token_hash=digest,
        )
    if resolved.kind != kind or resolved.expires_at <= now:
        return None
    if sliding_ttl is not None and resolved.expires_at - now < sliding_ttl - EXTEND_AFTER:
        row = db.get(AuthSession, digest)
        if row is None:
            cache.delete(_cache_key(digest))
            return None
        row.expires_at = now + sliding_ttl
        db.add(row)
        resolved = ResolvedSession(resolved.kind, resolved.subject_id, row.expires_at, digest)
        cache.delete(_cache_key(digest))
    elif not cached:
        payload = {
            "kind": resolved.kind.value,
            "subject_id": resolved.subject_id,
            "expires_at": resolved.expires_at.isoformat(),
        }
        cache.set(_cache_key(digest), json.dumps(payload), ttl=CACHE_SECONDS)
    return resolved


def revoke(db: Session, *, cache: Cache, token: str) -> None:
    digest = token_hash(token)
    db.exec(delete(AuthSession).where(AuthSession.token_hash == digest))  # type: ignore[arg-type]
    cache.delete(_cache_key(digest))


def revoke_all_for(db: Session, *, cache: Cache, kind: SessionKind, subject_id: int) -> None:
    rows = db.exec(
        AuthSession.__table__.select().where(  # type: ignore[attr-defined]
            AuthSession.kind == kind, AuthSession.subject_id == subject_id
        )
    ).all()
    for row in rows:
        cache.delete(_cache_key(row.token_hash))
    db.exec(
        delete(AuthSession).where(
            AuthSession.kind == kind,  # type: ignore[arg-type]
            AuthSession.subject_id == subject_id,  # type: ignore[arg-type]
        )
    )
