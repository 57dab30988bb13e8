"""One job scheduler across all workers.

Every worker runs a small leader loop; the one holding the lease runs APScheduler, whose jobs
persist in the database (`apscheduler_jobs`, created by an Alembic migration). The lease is a row
in the database (`leader_lease`), taken and renewed by a conditional UPDATE: the database decides,
so with Redis down or split from some workers there is still exactly one leader, never
"everyone". If the holder dies its lease expires and another worker takes over. Jobs are
module-level functions that read the app context from `current_context()`: APScheduler's job
store keeps a function reference, never our objects.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import or_, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from backend.core.clock import Clock
from backend.core.context import AppContext
from backend.core.models import LeaderLease

if TYPE_CHECKING:  # apscheduler is imported when a scheduler starts: not every worker runs one
    from apscheduler.schedulers.background import BackgroundScheduler

log = logging.getLogger(__name__)

LEASE_NAME = "scheduler"
LEASE_TTL = timedelta(seconds=30)
_RELEASED = datetime(2000, 1, 1, tzinfo=UTC)
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
    """The leader lease alone, so tests can race two of them without threads."""

    def __init__(self, engine: Engine, clock: Clock, name: str = LEASE_NAME) -> None:
        self.engine = engine
        self.clock = clock
        self.name = name
        self.token = uuid.uuid4().hex
        self.is_leader = False

    def tick(self) -> bool:
        """Renew the lease when we hold it, take it when it has expired; else stand by."""
        now = self.clock.now()
        lease = LeaderLease.__table__  # type: ignore[attr-defined]
        with self.engine.begin() as conn:
            taken = conn.execute(
                update(lease)
                .where(
                    lease.c.name == self.name,
                    or_(lease.c.holder == self.token, lease.c.expires_at <= now),
                )
                .values(holder=self.token, expires_at=now + LEASE_TTL)
            ).rowcount
        if not taken:
            taken = self._create(now)
        self.is_leader = bool(taken)
        return self.is_leader

    def _create(self, now: datetime) -> bool:
        """The very first tick of a deployment: the row does not exist yet."""
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    LeaderLease.__table__.insert().values(  # type: ignore[attr-defined]
                        name=self.name, holder=self.token, expires_at=now + LEASE_TTL
                    )
                )
        except IntegrityError:
            return False
        return True

    def resign(self) -> None:
        if self.is_leader:
            lease = LeaderLease.__table__  # type: ignore[attr-defined]
            with self.engine.begin() as conn:
                conn.execute(
                    update(lease)
                    .where(lease.c.name == self.name, lease.c.holder == self.token)
                    .values(expires_at=_RELEASED)
                )
        self.is_leader = False


class SchedulerService:
    def __init__(self, ctx: AppContext, jobs: list[IntervalJob]) -> None:
        self.ctx = ctx
        self.jobs = jobs
        self.leadership = Leadership(ctx.engine, ctx.clock)
        self._scheduler: BackgroundScheduler | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="scheduler-leader", daemon=True)

    def start(self) -> None:
        global _context
        _context = self.ctx
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.step()
            self._stop.wait(TICK_SECONDS)

    def step(self) -> None:
        """One tick of the leader loop: run the scheduler exactly while holding the lease."""
        try:
            leader = self.leadership.tick()
        except Exception:  # the loop must survive a database hiccup; no lease, no jobs
            log.exception("scheduler leadership check failed")
            leader = False
        if leader and self._scheduler is None:
            self._start_scheduler()
        elif not leader and self._scheduler is not None:
            self._stop_scheduler()

    @property
    def running(self) -> bool:
        return self._scheduler is not None

    def _start_scheduler(self) -> None:
        from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
        from apscheduler.schedulers.background import BackgroundScheduler

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
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self._stop_scheduler()
        self.leadership.resign()
