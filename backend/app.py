"""create_app(): routers, error handlers, and the lifespan that builds engines and clients."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from backend.botchat.runtime import BotRuntime
from backend.console.lazy import install_lazy_console
from backend.core import versions
from backend.core.bodylimit import BodyLimitMiddleware
from backend.core.cache import Cache, create_cache
from backend.core.clock import Clock, SystemClock
from backend.core.context import AppContext
from backend.core.db import make_engine
from backend.core.docs import install_docs
from backend.core.errors import install_error_handlers
from backend.core.lazy_part import build_in_background
from backend.core.logging import configure_logging
from backend.core.memory import collector_paused, settle_after_startup
from backend.core.openapi import install_openapi
from backend.core.routing import OneHopRoute, add_routes
from backend.core.scheduler import SchedulerService
from backend.core.security import PersonalDataCipher
from backend.core.settings import Settings, get_settings
from backend.core.staff_api import install_staff_api
from backend.domains import DOMAINS, all_jobs, install_hooks
from backend.wechat.client import WeChatGateway

log = logging.getLogger(__name__)


def build_context(
    settings: Settings, *, clock: Clock | None = None, cache: Cache | None = None
) -> AppContext:
    cache = cache or create_cache(settings.redis_url)
    ctx = AppContext(
        settings=settings,
        engine=make_engine(settings.database_url, pool_connections=settings.database_pool_size),
        cache=cache,
        clock=clock or SystemClock(),
        cipher=PersonalDataCipher(settings.secret_key, settings.id_encryption_key),
        wechat_gateway=WeChatGateway(
            appid=settings.wechat_appid,
            secret=settings.wechat_secret,
            api_base=settings.wechat_api_base,
            cache=cache,
        ),
    )
    # What commits through this engine tells every worker's cached identities (core/versions).
    versions.register(ctx.engine, cache)
    return ctx


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    cache: Cache | None = None,
    fake_wechat_state: Any = None,
    configure_logs: bool = True,
    freeze_after_startup: bool = False,
) -> FastAPI:
    """`freeze_after_startup` (the served app, backend/main.py): what start-up built is moved out
    of the garbage collector's way for good (core/memory.py); tests, which start many apps in one
    process, leave it off so each app's objects stay collectable."""
    settings = settings or get_settings()
    if configure_logs:
        configure_logging(settings.log_level, settings.log_json)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with collector_paused():  # start-up creates only long-lived objects (core/memory.py)
            ctx = build_context(settings, clock=clock, cache=cache)
            app.state.ctx = ctx
            # Sync routes, their dependencies and response validation each take a thread; a request
            # that holds a row lock or SQLite's write lock needs one more to finish. With fewer
            # threads than requests in flight, all could be waiting on that lock: so more threads
            # than the concurrency limit (serve/uvicorn --limit-concurrency).
            anyio.to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
            # Warm the bot before taking requests: jieba and the index load here, not on a request.
            runtime = BotRuntime(
                knowledge_dir=settings.knowledge_dir,
                index_path=settings.bot_index_path,
                cache=ctx.cache,
            )
            await run_in_threadpool(runtime.start, ctx.engine)
            ctx.bot_runtime = runtime
        settle_after_startup(freeze=freeze_after_startup)
        build_in_background(staff_api, console)  # built after start-up (core/lazy_part.py)
        scheduler = None
        if settings.run_scheduler:
            scheduler = SchedulerService(ctx, jobs=all_jobs())
            scheduler.start()
        log.info("started")
        try:
            yield
        finally:
            if scheduler is not None:
                scheduler.stop()
            ctx.engine.dispose()

    app = FastAPI(
        title="军休服务助手 API",
        version="0.1.0",
        description="军休干部、家属与服务机构工作人员使用的小程序后端与工作人员后台。",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.router.route_class = OneHopRoute  # routes added on the app itself (core/routing.py)
    install_docs(app)
    install_hooks()
    # Outermost of our own layers: an oversized body is refused before any of it is read.
    app.add_middleware(BodyLimitMiddleware)
    install_error_handlers(app)
    install_openapi(app)
    staff_api = install_staff_api(app, DOMAINS)  # every /api/v1/staff path (core/staff_api.py)
    for domain in DOMAINS:
        for router in domain.routers:
            add_routes(app.router, router)  # what include_router does, once (core/routing.py)
    console = install_lazy_console(app)  # the last route (backend/console/lazy.py)
    if settings.mount_fake_wechat:
        from backend.wechat.fake_api import create_fake_wechat_app

        app.mount("/fake-wechat", create_fake_wechat_app(fake_wechat_state, clock=clock))
    return app
