"""One job scheduler across all workers.

Every worker runs a small leader loop; the one holding the Redis lock (with expiry, renewed while
alive) runs APScheduler, whose jobs persist in the database (`apscheduler_jobs`, created by an
Alembic migration). If the holder dies its lock expires and another worker takes over. Jobs are
module-level functions that read the app context from `current_context()`: APScheduler's job
store keeps a function reference, never our objects.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from backend.core.cache import Cache
from backend.core.context import AppContext

log = logging.getLogger(__name__)

LOCK_KEY = "lock:scheduler-leader"
LOCK_TTL = 30
TICK_SECONDS = 10.0

_context: AppContext | None = None


def current_context() -> AppContext:
    if _context is None:
        raise RuntimeError("scheduler context not set")
    return _context


@dataclass(frozen=True)
class IntervalJob:
    id: str
    func: Callable[[], None]
    seconds: int


class Leadership:
    """The leader lock alone, so tests can race two of them without threads."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self.token = uuid.uuid4().hex
        self.is_leader = False

    def tick(self) -> bool:
        if self.is_leader:
            self.is_leader = self.cache.extend_if_owner(LOCK_KEY, self.token, LOCK_TTL)
        else:
            self.is_leader = self.cache.set_if_absent(LOCK_KEY, self.token, LOCK_TTL)
        return self.is_leader

    def resign(self) -> None:
        if self.is_leader:
            self.cache.release_if_owner(LOCK_KEY, self.token)
        self.is_leader = False


class SchedulerService:
    def __init__(self, ctx: AppContext, jobs: list[IntervalJob]) -> None:
        self.ctx = ctx
        self.jobs = jobs
        self.leadership = Leadership(ctx.cache)
        self._scheduler: BackgroundScheduler | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="scheduler-leader", daemon=True)

    def start(self) -> None:
        global _context
        _context = self.ctx
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                leader = self.leadership.tick()
            except Exception:  # the loop must survive a cache hiccup
                log.exception("scheduler leadership check failed")
                leader = False
            if leader and self._scheduler is None:
                self._start_scheduler()
            elif not leader and self._scheduler is not None:
                self._stop_scheduler()
            self._stop.wait(TICK_SECONDS)

    def _start_scheduler(self) -> None:
        scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=self.ctx.engine)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60},
            timezone="UTC",
        )
        for job in self.jobs:
            scheduler.add_job(
                job.func, "interval", seconds=job.seconds, id=job.id, replace_existing=True
            )
        scheduler.start()
        self._scheduler = scheduler
        log.info("this worker runs the scheduler")

    def _stop_scheduler(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
            log.info("scheduler handed over")

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._stop_scheduler()
        self.leadership.resign()
