"""What a domain adds to the app: its routers (in the order they are matched), its scheduled
jobs and its reactions to core/events.py facts. Each domain's `routes.py` exports one DOMAIN;
backend/domains.py lists them, and the app and the scheduler loop over that list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import APIRouter

from backend.core.scheduler import IntervalJob


@dataclass(frozen=True)
class Domain:
    name: str
    routers: tuple[APIRouter, ...] = ()
    jobs: tuple[IntervalJob, ...] = ()
    # Subscribes the domain's handlers to core/events.py (idempotent); None when it hears none.
    install_hooks: Callable[[], None] | None = None
