"""Typed dependency aliases: the one place routes get their db session, cache, clock, user."""

# No `from __future__ import annotations` here (nor in accounts/deps.py, console/auth.py):
# FastAPI reads a dependency's signature again for every route that uses it (get_ctx ~1,400
# times at import); real annotations spare it compiling and evaluating each string each time.
# For the same reason the dependencies below read the context from the request themselves
# (get_ctx is an attribute read) rather than depending on CtxDep: one node less per use, at
# import and on every request.

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from backend.core.cache import Cache
from backend.core.clock import Clock
from backend.core.context import AppContext
from backend.core.db import transaction
from backend.core.security import PersonalDataCipher
from backend.core.settings import Settings


def get_ctx(request: Request) -> AppContext:
    return request.app.state.ctx


CtxDep = Annotated[AppContext, Depends(get_ctx)]


def get_db(request: Request) -> Iterator[Session]:
    """The request owns the transaction: commit on success, roll back on any error.

    scope="function" makes the commit happen before the response is sent, so a client never
    sees success for something that was not written.
    """
    with transaction(get_ctx(request).engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_db, scope="function")]


def get_cache(request: Request) -> Cache:
    return get_ctx(request).cache


def get_clock(request: Request) -> Clock:
    return get_ctx(request).clock


def get_settings_dep(request: Request) -> Settings:
    return get_ctx(request).settings


def get_cipher(request: Request) -> PersonalDataCipher:
    return get_ctx(request).cipher


CacheDep = Annotated[Cache, Depends(get_cache)]
ClockDep = Annotated[Clock, Depends(get_clock)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
CipherDep = Annotated[PersonalDataCipher, Depends(get_cipher)]


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


ClientIP = Annotated[str, Depends(client_ip)]
