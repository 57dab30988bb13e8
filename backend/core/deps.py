"""Typed dependency aliases: the one place routes get their db session, cache, clock, user."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import anyio
from fastapi import Depends, Request
from sqlmodel import Session

from backend.core.cache import Cache
from backend.core.clock import Clock
from backend.core.context import AppContext
from backend.core.db import transaction
from backend.core.security import PersonalDataCipher
from backend.core.settings import Settings

# Dependencies that only read what the request or the app already holds are `async def`: FastAPI
# runs a plain `def` dependency in the thread pool, one hop per dependency per request, which
# costs more than the function itself. Anything that touches the database or Redis stays `def`.


async def get_ctx(request: Request) -> AppContext:
    return request.app.state.ctx


CtxDep = Annotated[AppContext, Depends(get_ctx)]


async def get_db(ctx: CtxDep) -> AsyncIterator[Session]:
    """The request owns the transaction: commit on success, roll back on any error.

    scope="function" makes the commit happen before the response is sent, so a client never
    sees success for something that was not written.

    What FastAPI does for a plain generator dependency (fastapi.concurrency.
    contextmanager_in_threadpool), less the thread-pool hop for the entry: opening the session
    makes an object and touches no connection. The exit (commit or rollback) runs in a thread on
    its own limiter, shielded from cancellation, exactly as FastAPI runs it.
    """
    manager = transaction(ctx.engine)
    session = manager.__enter__()
    exit_limiter = anyio.CapacityLimiter(1)
    try:
        yield session
    except BaseException as exc:
        with anyio.CancelScope(shield=True):
            kept = await anyio.to_thread.run_sync(
                manager.__exit__, type(exc), exc, exc.__traceback__, limiter=exit_limiter
            )
        if not kept:
            raise
    else:
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(manager.__exit__, None, None, None, limiter=exit_limiter)


SessionDep = Annotated[Session, Depends(get_db, scope="function")]


async def get_cache(ctx: CtxDep) -> Cache:
    return ctx.cache


async def get_clock(ctx: CtxDep) -> Clock:
    return ctx.clock


async def get_settings_dep(ctx: CtxDep) -> Settings:
    return ctx.settings


async def get_cipher(ctx: CtxDep) -> PersonalDataCipher:
    return ctx.cipher


CacheDep = Annotated[Cache, Depends(get_cache)]
ClockDep = Annotated[Clock, Depends(get_clock)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
CipherDep = Annotated[PersonalDataCipher, Depends(get_cipher)]


async def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


ClientIP = Annotated[str, Depends(client_ip)]
