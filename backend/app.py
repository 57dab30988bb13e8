"""create_app(): routers, error handlers, and the lifespan that builds engines and clients."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from backend.accounts.roster_router import router as roster_router
from backend.accounts.router import router as accounts_router
from backend.accounts.staff_router import router as staff_router
from backend.activities import scheduled as activity_jobs
from backend.activities import wording as activities_wording
from backend.activities.attendance_router import router as activities_attendance_router
from backend.activities.router import router as activities_router
from backend.activities.staff_router import router as activities_staff_router
from backend.bookings import hooks as bookings_hooks
from backend.botchat.official import router as official_router
from backend.botchat.router import router as bot_router
from backend.botchat.router import staff_router as bot_staff_router
from backend.botchat.runtime import BotRuntime
from backend.checkin import scheduled as checkin_jobs
from backend.checkin.router import router as checkin_router
from backend.checkin.staff_router import router as checkin_staff_router
from backend.console.router import install_console
from backend.core.bodylimit import BodyLimitMiddleware
from backend.core.cache import Cache, create_cache
from backend.core.clock import Clock, SystemClock
from backend.core.context import AppContext
from backend.core.db import make_engine
from backend.core.docs import install_docs
from backend.core.errors import install_error_handlers
from backend.core.logging import configure_logging
from backend.core.openapi import install_openapi
from backend.core.scheduler import SchedulerService
from backend.core.security import PersonalDataCipher
from backend.core.settings import Settings, get_settings
from backend.health.router import router as health_router
from backend.meals import hooks as meals_hooks
from backend.meals import scheduled as meal_jobs
from backend.meals import wording as meals_wording
from backend.meals.router import router as meals_router
from backend.meals.staff_router import router as meals_staff_router
from backend.notices import hooks as notices_hooks
from backend.notices import scheduled as notices_jobs
from backend.notices.router import router as notices_router
from backend.notices.staff_router import router as notices_staff_router
from backend.rides import hooks as rides_hooks
from backend.rides import scheduled as ride_jobs
from backend.rides.router import router as rides_router
from backend.rides.staff_router import router as rides_staff_router
from backend.wechat.client import WeChatGateway

log = logging.getLogger(__name__)


def build_context(
    settings: Settings, *, clock: Clock | None = None, cache: Cache | None = None
) -> AppContext:
    cache = cache or create_cache(settings.redis_url)
    ctx = AppContext(
        settings=settings,
        engine=make_engine(settings.database_url),
        cache=cache,
        clock=clock or SystemClock(),
        cipher=PersonalDataCipher(settings.secret_key, settings.id_encryption_key),
    )
    ctx.extras["wechat"] = WeChatGateway(
        appid=settings.wechat_appid,
        secret=settings.wechat_secret,
        api_base=settings.wechat_api_base,
        cache=cache,
    )
    return ctx


def install_hooks() -> None:
    """Every domain's reactions to core/events.py facts (idempotent): the app and the CLI."""
    notices_hooks.install()
    bookings_hooks.install()
    activities_wording.install()
    meals_wording.install()
    rides_hooks.install()
    meals_hooks.install()


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    cache: Cache | None = None,
    fake_wechat_state: Any = None,
    configure_logs: bool = True,
) -> FastAPI:
    settings = settings or get_settings()
    if configure_logs:
        configure_logging(settings.log_level, settings.log_json)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
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
        ctx.extras["bot"] = runtime
        scheduler = None
        if settings.run_scheduler:
            scheduler = SchedulerService(
                ctx,
                jobs=notices_jobs.JOBS
                + checkin_jobs.JOBS
                + activity_jobs.JOBS
                + ride_jobs.JOBS
                + meal_jobs.JOBS,
            )
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
    install_docs(app)
    install_hooks()
    # Outermost of our own layers: an oversized body is refused before any of it is read.
    app.add_middleware(BodyLimitMiddleware)
    install_error_handlers(app)
    install_openapi(app)
    app.include_router(health_router)
    app.include_router(accounts_router)
    app.include_router(staff_router)
    app.include_router(roster_router)
    app.include_router(notices_router)
    app.include_router(notices_staff_router)
    app.include_router(checkin_router)
    app.include_router(checkin_staff_router)
    app.include_router(activities_router)
    app.include_router(activities_staff_router)
    app.include_router(meals_router)
    app.include_router(meals_staff_router)
    app.include_router(rides_router)
    app.include_router(rides_staff_router)
    app.include_router(activities_attendance_router)
    app.include_router(bot_router)
    app.include_router(bot_staff_router)
    app.include_router(official_router)
    install_console(app)
    if settings.mount_fake_wechat:
        from backend.wechat.fake_api import create_fake_wechat_app

        app.mount("/fake-wechat", create_fake_wechat_app(fake_wechat_state, clock=clock))
    return app
