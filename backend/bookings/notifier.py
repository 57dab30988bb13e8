"""How bookings tells a retiree what happened without knowing its consumers' words.

Each consumer (activities, meals, rides) registers a `Notifier` for its kind of bookable at app
start; bookings hands it the event and the facts, the consumer words the message and picks the
page it opens. A kind with no notifier, or a notifier that returns None, tells nobody."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from backend.bookings.enums import BookingEvent


@dataclass(frozen=True)
class Facts:
    """What a message may mention."""

    title: str
    starts_at: datetime
    cancel_deadline: datetime
    position: int
    reason: str


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    link_page: str | None


class Notifier(Protocol):
    def message(self, event: BookingEvent, facts: Facts, retiree_id: int) -> Message | None: ...


_by_kind: dict[str, Notifier] = {}


def register(kind: str, notifier: Notifier) -> None:
    _by_kind[kind] = notifier


def for_kind(kind: str) -> Notifier | None:
    return _by_kind.get(kind)


def unregister(kind: str) -> None:
    _by_kind.pop(kind, None)
