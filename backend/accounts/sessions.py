"""Opaque session tokens for WeChat users and staff.

The database holds the truth (hash of the token, subject, expiry). A short-lived copy in the
cache saves the lookup on most requests, under one rule that bounds how stale it can be:

- an entry is written only right after the database showed the session valid, and lives
  CACHE_SECONDS at most (never extended without reading the database again);
- revoking deletes the row (the truth) and then the entry, best effort.

So a revoked session is refused at once when the cache can be told, and at the latest
CACHE_SECONDS after the revocation when it cannot (Redis down or hung at that moment, another
worker's in-process fallback, a request that read the row just before the revocation committed).
Only Redis holds these copies, never a process-local cache (RedisCache's fallback or the embedded
MemoryCache): a deletion must reach every worker. When Redis cannot answer, the database does:
losing Redis logs nobody out and never keeps anybody in longer than that window.

Who the subject is (staff active, retiree bound, family bindings) is cached separately, under
versions every change to it bumps at commit (accounts/identity_cache.py), so those changes apply
at once.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, select

from backend.accounts.enums import SessionKind
from backend.accounts.models import AuthSession
from backend.core.cache import Cache, RedisCache
from backend.core.clock import Clock, as_utc
from backend.core.security import new_token, token_hash

log = logging.getLogger(__name__)

# Sliding expiry: extend at most once an hour per session, not on every request.
EXTEND_AFTER = timedelta(hours=1)
# The longest a revoked session can still be served from the cache (see the module docstring).
CACHE_SECONDS = 30


def cache_key(digest: str) -> str:
    return f"session:{digest}"


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


def _needs_extending(expires_at: datetime, now: datetime, sliding_ttl: timedelta | None) -> bool:
    return sliding_ttl is not None and expires_at - now < sliding_ttl - EXTEND_AFTER


def _shared(cache: Cache | None) -> RedisCache | None:
    return cache if isinstance(cache, RedisCache) else None


def _cached(
    cache: RedisCache,
    digest: str,
    *,
    kind: SessionKind,
    now: datetime,
    sliding_ttl: timedelta | None,
) -> ResolvedSession | None:
    """The cached session when it is usable as is; None sends the caller to the database."""
    try:
        raw = cache.get_shared(cache_key(digest))
        if raw is None:
            return None
        data = json.loads(raw)
        expires_at = datetime.fromisoformat(data["e"])
        if data["k"] != kind.value or expires_at <= now:
            return None
        if _needs_extending(expires_at, now, sliding_ttl):
            return None  # the database writes the new expiry (at most hourly)
        return ResolvedSession(
            kind=kind, subject_id=int(data["s"]), expires_at=expires_at, token_hash=digest
        )
    except Exception:  # noqa: BLE001 - any cache trouble: ask the database
        log.warning("session cache unreadable; using the database")
        return None


def _remember(cache: RedisCache, resolved: ResolvedSession, now: datetime) -> None:
    left = int((resolved.expires_at - now).total_seconds())
    ttl = min(CACHE_SECONDS, left)
    if ttl <= 0:
        return
    value = json.dumps(
        {
            "k": resolved.kind.value,
            "s": resolved.subject_id,
            "e": resolved.expires_at.isoformat(),
        }
    )
    try:
        cache.set_shared(cache_key(resolved.token_hash), value, ttl=ttl)
    except Exception:  # noqa: BLE001 - not cached: the next request reads the database
        log.warning("session cache not written")


def resolve_cached(
    cache: Cache | None,
    *,
    clock: Clock,
    token: str,
    kind: SessionKind,
    sliding_ttl: timedelta | None,
) -> ResolvedSession | None:
    """resolve's answer from Redis's copy alone, when the copy is usable as is (no database, no
    sliding expiry to write); None: ask resolve."""
    shared = _shared(cache)
    if shared is None:
        return None
    return _cached(shared, token_hash(token), kind=kind, now=clock.now(), sliding_ttl=sliding_ttl)


def resolve(
    db: Session,
    *,
    clock: Clock,
    token: str,
    kind: SessionKind,
    sliding_ttl: timedelta | None,
    cache: Cache | None = None,
) -> ResolvedSession | None:
    """The live session for this token, or None. With Redis, most calls read no database."""
    digest = token_hash(token)
    now = clock.now()
    shared = _shared(cache)
    if shared is not None:
        hit = _cached(shared, digest, kind=kind, now=now, sliding_ttl=sliding_ttl)
        if hit is not None:
            return hit
    row = db.get(AuthSession, digest)
    if row is None:
        return None
    expires_at = as_utc(row.expires_at)
    if SessionKind(row.kind) != kind or expires_at <= now:
        return None
    if _needs_extending(expires_at, now, sliding_ttl):
        assert sliding_ttl is not None
        row.expires_at = expires_at = now + sliding_ttl
        db.add(row)
    resolved = ResolvedSession(
        kind=kind, subject_id=row.subject_id, expires_at=expires_at, token_hash=digest
    )
    if shared is not None:
        _remember(shared, resolved, now)
    return resolved


def _forget(cache: Cache | None, digests: list[str]) -> None:
    if _shared(cache) is None or cache is None:
        return
    for digest in digests:
        try:
            cache.delete(cache_key(digest))
        except Exception:  # noqa: BLE001 - the entry expires within CACHE_SECONDS anyway
            log.warning("session cache entry not deleted; it expires within %ss", CACHE_SECONDS)


def revoke(db: Session, *, token: str, cache: Cache | None = None) -> None:
    """End one session: the row goes (the truth), then its cached copy."""
    digest = token_hash(token)
    db.exec(delete(AuthSession).where(AuthSession.token_hash == digest))  # type: ignore[arg-type]
    _forget(cache, [digest])


def revoke_all_for(
    db: Session, *, kind: SessionKind, subject_id: int, cache: Cache | None = None
) -> None:
    where = (
        col(AuthSession.kind) == kind,
        col(AuthSession.subject_id) == subject_id,
    )
    digests = list(db.exec(select(col(AuthSession.token_hash)).where(*where)).all())
    db.exec(delete(AuthSession).where(*where))
    _forget(cache, digests)
