"""A retiree's death ends everything they have open; the next in line moves up and is told;
the retiree is not."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from backend.bookings import hooks, queries
from backend.bookings.enums import BookingEvent, BookingStatus
from backend.core import events
from backend.core.clock import FrozenClock
from tests.bookings.conftest import Place, Told
from tests.bookings.test_mechanism import book, fresh


def test_everything_open_ends_and_the_next_moves_up(
    db: Session, clock: FrozenClock, place: Place, told: Told
) -> None:
    hooks.install()
    gone, next_in_line, other = place.retiree("王老"), place.retiree(), place.retiree()
    full = place.bookable(capacity=1)
    roomy = place.bookable(capacity=5)
    held = book(db, clock, full.id or 0, gone)
    waiting_behind = book(db, clock, full.id or 0, next_in_line)
    on_waiting_list = book(db, clock, roomy.id or 0, other)
    roomy_seat = book(db, clock, roomy.id or 0, gone, quantity=2)
    past = place.bookable(capacity=1, starts_in=timedelta(hours=1))
    attended = book(db, clock, past.id or 0, gone)
    clock.advance(timedelta(hours=2))  # `past` has happened: its booking stays as history
    before = len(told.calls)

    events.publish(events.RETIREE_DECEASED, db=db, retiree=gone, clock=clock)

    assert fresh(db, held).status == BookingStatus.cancelled
    assert fresh(db, held).cancel_reason == hooks.REASON
    assert fresh(db, roomy_seat).status == BookingStatus.cancelled
    assert fresh(db, attended).status == BookingStatus.confirmed
    assert fresh(db, waiting_behind).status == BookingStatus.confirmed
    assert fresh(db, on_waiting_list).status == BookingStatus.confirmed
    db.refresh(full)
    db.refresh(roomy)
    assert (full.confirmed_count, roomy.confirmed_count) == (1, 1)
    new = told.calls[before:]
    assert [(e, who) for e, who, _ in new] == [(BookingEvent.promoted, next_in_line.id)]
    assert queries.active_bookings_of(db, gone.id or 0, [full.id or 0, roomy.id or 0]) == {}


def test_a_waiting_place_is_given_up_without_promoting_anyone(
    db: Session, clock: FrozenClock, place: Place, told: Told
) -> None:
    hooks.install()
    first, gone, last = place.retiree(), place.retiree("王老"), place.retiree()
    full = place.bookable(capacity=1)
    book(db, clock, full.id or 0, first)
    mine = book(db, clock, full.id or 0, gone)
    behind = book(db, clock, full.id or 0, last)
    assert queries.waitlist_position(db, behind) == 2
    before = len(told.calls)

    events.publish(events.RETIREE_DECEASED, db=db, retiree=gone, clock=clock)

    assert fresh(db, mine).status == BookingStatus.cancelled
    assert queries.waitlist_position(db, fresh(db, behind)) == 1
    assert told.calls[before:] == []


def test_hearing_it_twice_changes_nothing_more(
    db: Session, clock: FrozenClock, place: Place, told: Told
) -> None:
    hooks.install()
    gone = place.retiree("王老")
    thing = place.bookable()
    mine = book(db, clock, thing.id or 0, gone)
    events.publish(events.RETIREE_DECEASED, db=db, retiree=gone, clock=clock)
    cancelled_at = fresh(db, mine).cancelled_at
    clock.advance(timedelta(minutes=5))
    events.publish(events.RETIREE_DECEASED, db=db, retiree=gone, clock=clock)
    assert fresh(db, mine).cancelled_at == cancelled_at
