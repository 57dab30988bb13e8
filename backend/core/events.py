"""In-process domain hooks, so accounts can announce "retiree deceased" without importing the
domains (bookings, notices) that must react. Handlers run inside the caller's transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

Handler = Callable[..., None]

_handlers: dict[str, list[Handler]] = defaultdict(list)


def subscribe(event: str, handler: Handler) -> None:
    if handler not in _handlers[event]:
        _handlers[event].append(handler)


def publish(event: str, **payload: Any) -> None:
    for handler in list(_handlers[event]):
        handler(**payload)


RETIREE_DECEASED = "retiree.deceased"
