"""How bookings tells a retiree what happened without knowing its consumers' words.

Each consumer (activities, meals, rides) registers a `Notifier` for its kind of bookable at app
start; bookings hands it the event and the facts, the consumer words the message and picks the
page it opens. A kind with no notifier, or a notifier that returns None, tells nobody."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from backend.bookings.enums import BookingEvent
from backend.core.clock import format_local


@dataclass(frozen=True)
class Facts:
    """What a message may mention."""

    title: str
    starts_at: datetime
    cancel_deadline: datetime
    # the place in the waiting line; a str when the database fills it in (one_trip.py)
    position: int | str
    reason: str


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    link_page: str | None


class Notifier(Protocol):
    def message(self, event: BookingEvent, facts: Facts, retiree_id: int) -> Message | None: ...


class WordedNotifier:
    """A notifier from a consumer's own words: {event: (title, body)} with the placeholders
    {title} {when} {time} {deadline} {position} {reason}, and the page a message opens."""

    def __init__(self, words: dict[BookingEvent, tuple[str, str]], page: str) -> None:
        self.words = words
        self.page = page

    def page_for(self, retiree_id: int) -> str:
        return f"{self.page}?retiree_id={retiree_id}"

    def message(self, event: BookingEvent, facts: Facts, retiree_id: int) -> Message:
        title, body = self.words[event]
        text = body.format(
            title=facts.title,
            when=format_local(facts.starts_at, "%m月%d日 %H:%M"),
            time=format_local(facts.starts_at, "%H:%M"),
            deadline=format_local(facts.cancel_deadline, "%m月%d日 %H:%M"),
            position=facts.position,
            reason=facts.reason,
        )
        return Message(title=title, body=text, link_page=self.page_for(retiree_id))


_by_kind: dict[str, Notifier] = {}


def register(kind: str, notifier: Notifier) -> None:
    _by_kind[kind] = notifier


def for_kind(kind: str) -> Notifier | None:
    return _by_kind.get(kind)


def unregister(kind: str) -> None:
    _by_kind.pop(kind, None)
