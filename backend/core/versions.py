"""Version keys in Redis that tell every worker "what you cached about X is out of date".

A copy cached under a version (accounts/identity_cache.py) is served only while the version key
still holds the value the copy was made under. The code that changes the database names the
versions its change touches (`touch`); they are replaced by new random values right after the
transaction commits — before the request's response is sent — so the next request anywhere reads
the database again. Replaced, not incremented: a version key that Redis lost (evicted, expired,
restarted) is created afresh with a value no old copy carries, so a lost key is a miss, never a
stale hit.

Only Redis holds versions and copies (`RedisCache.get_shared`): a process-local store cannot be
told by another process, so with the in-process cache nothing is cached and the database answers.
When Redis cannot be written at the commit, a copy already in Redis can be served until it expires
(the copy's own TTL, the same bound as accounts/sessions.CACHE_SECONDS); `pending()` replays the
lost bumps as soon as this process reaches Redis again.
"""

from __future__ import annotations

import logging
import secrets
import threading
import weakref
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from backend.core.cache import Cache, RedisCache

log = logging.getLogger(__name__)

PREFIX = "ver:"
# A version outlives every copy made under it (copies live seconds); when it expires, the next
# read makes a new one and the old copies are misses.
VERSION_TTL = 24 * 3600

_TOUCHED = "junxiu_versions_touched"
_caches: weakref.WeakKeyDictionary[Engine, list[RedisCache]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()
_unsent: dict[int, set[str]] = {}  # id(cache) -> bumps that did not reach Redis


def shared(cache: Cache | None) -> RedisCache | None:
    return cache if isinstance(cache, RedisCache) else None


def register(engine: Engine, cache: Cache) -> None:
    """Changes committed through this engine bump their versions in this cache (the app's
    context and every command that writes through its own engine call this)."""
    redis_cache = shared(cache)
    if redis_cache is not None:
        caches = _caches.setdefault(engine, [])
        if redis_cache not in caches:
            caches.append(redis_cache)


def unregister(engine: Engine, cache: Cache) -> None:
    caches = _caches.get(engine, [])
    if cache in caches:
        caches.remove(cache)


def key(name: str) -> str:
    return PREFIX + name


def touch(session: Session, *names: str) -> None:
    """This transaction changes what copies under these versions hold: bump them at commit."""
    session.info.setdefault(_TOUCHED, set()).update(names)


def new_value() -> str:
    return secrets.token_hex(8)


def bump(cache: RedisCache, names: set[str]) -> bool:
    """Give each version a new value; False (and remembered for a replay) if Redis refused."""
    with _lock:
        names = names | _unsent.pop(id(cache), set())
    try:
        pipe = cache.pipeline()
        for name in names:
            pipe.set(cache.full_key(key(name)), new_value(), ex=VERSION_TTL)
        pipe.execute()
        cache.mark_ok()
        return True
    except Exception as exc:  # noqa: BLE001 - the database is already committed
        cache.mark_failed(exc)
        with _lock:
            _unsent.setdefault(id(cache), set()).update(names)
        log.warning("cache versions not bumped (%s); copies expire on their own", len(names))
        return False


def replay(cache: RedisCache) -> None:
    """Send the bumps a failed commit could not send, before this process trusts a copy."""
    if _unsent.get(id(cache)):
        bump(cache, set())


def _engine_of(session: Session) -> Engine | None:
    try:
        bind = session.get_bind()
    except Exception:  # noqa: BLE001 - no bind: nothing registered
        return None
    return bind if isinstance(bind, Engine) else getattr(bind, "engine", None)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    names: set[str] | None = session.info.pop(_TOUCHED, None)
    if not names:
        return
    engine = _engine_of(session)
    for cache in _caches.get(engine, []) if engine is not None else []:
        bump(cache, names)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # rolled back (a commit has already taken them)
        session.info.pop(_TOUCHED, None)
