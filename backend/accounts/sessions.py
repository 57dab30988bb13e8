"""Opaque session tokens for WeChat users and staff.

The database holds the truth (hash of the token, subject, expiry) and every request reads its
session there, by primary key. No cache stands in front of it: a cached copy outlives a logout
whenever the cache cannot be told (Redis down, hung, or another worker's memory), and one indexed
lookup is cheap next to the rest of a request. Losing Redis logs nobody out and keeps nobody in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, delete

from backend.accounts.enums import SessionKind
from backend.accounts.models import AuthSession
from backend.core.clock import Clock, as_utc
from backend.core.security import new_token, token_hash

# Sliding expiry: extend at most once an hour per session, not on every request.
EXTEND_AFTER = timedelta(hours=1)


@dataclass(frozen=True)
class ResolvedSession:
    kind: SessionKind
    subject_id: int
    expires_at: datetime
    token_hash: str


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
    clock: Clock,
    token: str,
    kind: SessionKind,
    sliding_ttl: timedelta | None,
) -> ResolvedSession | None:
    digest = token_hash(token)
    now = clock.now()
    row = db.get(AuthSession, digest)
    if row is None:
        return None
    expires_at = as_utc(row.expires_at)
    if SessionKind(row.kind) != kind or expires_at <= now:
        return None
    if sliding_ttl is not None and expires_at - now < sliding_ttl - EXTEND_AFTER:
        row.expires_at = expires_at = now + sliding_ttl
        db.add(row)
    return ResolvedSession(
        kind=kind, subject_id=row.subject_id, expires_at=expires_at, token_hash=digest
    )


def revoke(db: Session, *, token: str) -> None:
    digest = token_hash(token)
    db.exec(delete(AuthSession).where(AuthSession.token_hash == digest))  # type: ignore[arg-type]


def revoke_all_for(db: Session, *, kind: SessionKind, subject_id: int) -> None:
    db.exec(
        delete(AuthSession).where(
            AuthSession.kind == kind,  # type: ignore[arg-type]
            AuthSession.subject_id == subject_id,  # type: ignore[arg-type]
        )
    )
