"""Typed dependency aliases: the one place routes get their db session, cache, clock, user."""

# No `from __future__ import annotations` here (nor in accounts/deps.py, console/auth.py):
# FastAPI reads a dependency's signature again for every route that uses it (get_ctx ~1,400
# times at import); real annotations spare it compiling and evaluating each string each time.
# For the same reason the dependencies below read the context from the request themselves
# (get_ctx is an attribute read) rather than depending on CtxDep: one node less per use, at
# import and on every request.

from collections.abc import AsyncIterator
from contextlib import AbstractContextManager
from typing import Annotated, Any

import anyio
from fastapi import Depends, Request
from sqlmodel import Session

from backend.core.cache import Cache
from backend.core.clock import Clock
from backend.core.context import AppContext
from backend.core.db import REQUEST_SESSION, idle, transaction
from backend.core.security import PersonalDataCipher
from backend.core.settings import Settings

# Dependencies that only read what the request or the app already holds are `async def`: FastAPI
# runs a plain `def` dependency in the thread pool, one hop per dependency per request, which
# costs more than the function itself. Anything that touches the database or Redis stays `def`.


def context_of(request: Request) -> AppContext:
    """The app's context, read directly by functions that have the request."""
    return request.app.state.ctx


async def get_ctx(request: Request) -> AppContext:
    return context_of(request)


CtxDep = Annotated[AppContext, Depends(get_ctx)]


async def get_db(request: Request) -> AsyncIterator[Session]:
    """The request owns the transaction: commit on success, roll back on any error.

    scope="function" makes the commit happen before the response is sent, so a client never
    sees success for something that was not written.

    What FastAPI does for a plain generator dependency (fastapi.concurrency.
    contextmanager_in_threadpool), less the thread-pool hop for the entry: opening the session
    makes an object and touches no connection. The exit (commit or rollback) runs in a thread on
    its own limiter, shielded from cancellation, exactly as FastAPI runs it — unless there is
    nothing left to send (core/db.idle): a plain `def` route has committed in its own thread
    already (core/routing.py), and a route that never reached the database has nothing to end.
    Then the exit is bookkeeping, done here without a hop.
    """
    manager = transaction(context_of(request).engine)
    session = manager.__enter__()
    session.info[REQUEST_SESSION] = True
    try:
        yield session
    except BaseException as exc:
        if not await _end(manager, session, type(exc), exc, exc.__traceback__):
            raise
    else:
        await _end(manager, session, None, None, None)


async def _end(
    manager: AbstractContextManager[Session], session: Session, *exc_info: Any
) -> bool | None:
    """The transaction's exit (commit or roll back, then close): here when it sends nothing,
    else in a thread of its own, shielded from cancellation."""
    if idle(session):  # e.g. committed in the endpoint's thread (core/routing.py)
        return manager.__exit__(*exc_info)
    kept: bool | None = None
    with anyio.CancelScope(shield=True):
        kept = await anyio.to_thread.run_sync(
            manager.__exit__, *exc_info, limiter=anyio.CapacityLimiter(1)
        )
    return kept


SessionDep = Annotated[Session, Depends(get_db, scope="function")]


async def get_cache(request: Request) -> Cache:
    return context_of(request).cache


async def get_clock(request: Request) -> Clock:
    return context_of(request).clock


async def get_settings_dep(request: Request) -> Settings:
    return context_of(request).settings


async def get_cipher(request: Request) -> PersonalDataCipher:
    return context_of(request).cipher


CacheDep = Annotated[Cache, Depends(get_cache)]
ClockDep = Annotated[Clock, Depends(get_clock)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
CipherDep = Annotated[PersonalDataCipher, Depends(get_cipher)]


async def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


ClientIP = Annotated[str, Depends(client_ip)]
