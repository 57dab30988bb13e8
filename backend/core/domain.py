"""What a domain adds to the app: its routers (in the order they are matched), its staff API's
routers, its scheduled jobs and its reactions to core/events.py facts. Each domain's `routes.py`
exports one DOMAIN; backend/domains.py lists them, and the app and the scheduler loop over that
list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from backend.core.routing import APIRouter
from backend.core.scheduler import IntervalJob


@dataclass(frozen=True)
class Domain:
    name: str
    routers: tuple[APIRouter, ...] = ()
    # The domain's routers under /api/v1/staff, named ("module" for its `router`, or
    # "module:attribute"), not imported: the staff API is built after start-up from these
    # (backend/core/staff_api.py), so a worker serves the mini-program without them.
    staff_routers: tuple[str, ...] = ()
    jobs: tuple[IntervalJob, ...] = ()
    # Subscribes the domain's handlers to core/events.py (idempotent); None when it hears none.
    install_hooks: Callable[[], None] | None = None
