"""A retiree's sign-up on PostgreSQL with its locked part and the commit in one round trip.

Every sign-up for one thing queues on its row lock, so how long the lock is held bounds how
many sign-ups a second it can take. The ordinary path (api._locked_sign_up) holds it across four
or five round trips — lock, seat, booking, notice, commit — and after each, on a busy worker, the
thread also waits to get the GIL back. Here the same steps are one function in the database
(`booking_sign_up`, migration 0033) sent together with the COMMIT (core.db.send_with_commit): the
lock is held only while the server runs them. The function also expands the notice — its inbox
rows and WeChat outbox rows, by the statements notices/fanout.py uses for every notice, written
into the function (migration 0036; tests/bookings/test_sign_up_expansion.py checks they are
still fanout.expansion_sql's) — so the notice needs no transaction of its own after the
sign-up's.

The notice is worded before the lock, for both outcomes; the database puts the waiting place
in and writes the one that applies. It was worded from the bookable as read before the lock: if
staff changed its title or times since, nothing is written and the caller takes the ordinary
path ("changed")."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import Session

from backend.accounts.models import Retiree
from backend.bookings import notifier, telling
from backend.bookings.enums import BookingEvent, BookingStatus
from backend.bookings.models import Bookable, Booking
from backend.core.db import send_with_commit
from backend.notices import service as notices_service
from backend.notices.models import Notice

# Where the waiting place goes in the worded message: a private-use character, taken out of
# anything else the message holds.
_MARK = "\ue000"

_PARAMS = (
    ("p_bookable", "integer"),
    ("p_retiree", "integer"),
    ("p_unit", "integer"),
    ("p_quantity", "integer"),
    ("p_notes", "text"),
    ("p_booked_by", "text"),
    ("p_channel", "text"),
    ("p_key", "text"),
    ("p_now", "timestamptz"),
    ("p_title", "text"),
    ("p_starts_at", "timestamptz"),
    ("p_cancel_deadline", "timestamptz"),
    ("p_notice_unit", "integer"),
    ("p_category", "text"),
    ("p_audience", "text"),
    ("p_include_family", "boolean"),
    ("p_confirmed_title", "text"),
    ("p_confirmed_body", "text"),
    ("p_confirmed_link", "text"),
    ("p_waiting_title", "text"),
    ("p_waiting_body", "text"),
    ("p_waiting_link", "text"),
    ("p_position_mark", "text"),
)
_CALL = "SELECT outcome, booking_id, waiting_position, notice_id FROM booking_sign_up({})".format(
    ", ".join(f"%({name})s::{kind}" for name, kind in _PARAMS)
)


def possible(db: Session) -> bool:
    return db.get_bind().dialect.name == "postgresql"


@dataclass(frozen=True)
class Outcome:
    """`outcome`: confirmed / waiting (the booking written; `position` when waiting), or
    missing / closed / earlier / changed (nothing written)."""

    outcome: str
    position: int | None = None


def sign_up(db: Session, *, bookable: Bookable, booking: Booking, retiree: Retiree) -> Outcome:
    """Lock, seat or waiting place, `booking` written (its id, status and confirmation filled in
    here), the notice with its inbox rows, and the commit of the caller's transaction, in one
    round trip. `bookable`: as read before the lock. The transaction is committed on return,
    whatever the outcome (core.db.send_with_commit)."""
    now = booking.created_at
    told, confirmed, waiting = _worded(bookable, retiree, now)
    row = send_with_commit(
        db,
        _CALL,
        {
            "p_bookable": booking.bookable_id,
            "p_retiree": booking.retiree_id,
            "p_unit": booking.unit_id,
            "p_quantity": booking.quantity,
            "p_notes": booking.notes,
            "p_booked_by": booking.booked_by,
            "p_channel": booking.channel,
            "p_key": booking.idempotency_key,
            "p_now": now,
            "p_title": bookable.title,
            "p_starts_at": bookable.starts_at,
            "p_cancel_deadline": bookable.cancel_deadline,
            "p_notice_unit": retiree.unit_id,
            "p_category": told.category if told else None,
            "p_audience": told.audience if told else None,
            "p_include_family": told.include_family if told else None,
            "p_confirmed_title": _title(confirmed),
            "p_confirmed_body": confirmed.body if confirmed else None,
            "p_confirmed_link": confirmed.link_page if confirmed else None,
            "p_waiting_title": _title(waiting),
            "p_waiting_body": waiting.body if waiting else None,
            "p_waiting_link": waiting.link_page if waiting else None,
            "p_position_mark": _MARK,
        },
    )
    outcome, booking_id, position, _notice_id = row
    if outcome == "confirmed":
        booking.status = BookingStatus.confirmed
        booking.confirmed_at = now
    if outcome in ("confirmed", "waiting"):
        booking.id = booking_id
    return Outcome(outcome, position)


def _worded(
    bookable: Bookable, retiree: Retiree, now: datetime
) -> tuple[Notice | None, notifier.Message | None, notifier.Message | None]:
    """The message for each outcome (None: that outcome tells nobody), as telling.tell words
    it — the waiting one with _MARK where the place in line goes — and the notice's other
    fields (None: nobody is told)."""
    words = notifier.for_kind(bookable.kind)
    if words is None:
        return None, None, None
    facts = telling.facts_of(bookable, position=_MARK)
    facts = replace(facts, title=facts.title.replace(_MARK, ""))
    retiree_id = retiree.id or 0
    confirmed = words.message(BookingEvent.confirmed, facts, retiree_id)
    waiting = words.message(BookingEvent.waiting, facts, retiree_id)
    either = confirmed or waiting
    if either is None:
        return None, None, None
    told = notices_service.system_notice(
        retiree_id=retiree_id,
        unit_id=retiree.unit_id,
        now=now,
        title=either.title,
        body=either.body,
        dedupe_key="",
        link_page=either.link_page,
    )
    return told, confirmed, waiting


def _title(message: notifier.Message | None) -> str | None:
    return message.title[: notices_service.TITLE_LENGTH] if message else None
