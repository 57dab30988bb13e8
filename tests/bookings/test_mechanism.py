"""take, release, promote, cancel, end everything for a retiree: the mechanism, without HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from backend.bookings import api, queries
from backend.bookings.enums import BookableStatus, BookingEvent, BookingStatus
from backend.bookings.models import Booking
from backend.core.clock import FrozenClock
from backend.core.errors import BadRequest, Conflict
from tests.bookings.conftest import Place, Told


def book(db: Session, clock: FrozenClock, bookable_id: int, retiree, quantity: int = 1, key=None):
    return api.book(
        db,
        clock=clock,
        bookable_id=bookable_id,
        retiree=retiree,
        quantity=quantity,
        notes=None,
        booked_by="self",
        channel="小程序",
        idempotency_key=key,
    )


def fresh(db: Session, booking: Booking) -> Booking:
    db.flush()
    found = queries.booking(db, booking.id or 0)
    assert found is not None
    db.refresh(found)
    return found


class TestCapacity:
    def test_confirmed_up_to_capacity_then_waiting_in_order(
        self, db: Session, clock: FrozenClock, place: Place, told: Told
    ) -> None:
        thing = place.bookable(capacity=2)
        people = [place.retiree(f"老同志{i}") for i in range(5)]
        made = [book(db, clock, thing.id or 0, p) for p in people]
        assert [b.status for b in made] == ["confirmed"] * 2 + ["waitlisted"] * 3
        assert [queries.waitlist_position(db, b) for b in made] == [None, None, 1, 2, 3]
        assert queries.waiting_counts(db, [thing.id or 0]) == {thing.id: 3}
        assert queries.waitlist_positions(db, made) == {made[i].id: i - 1 for i in (2, 3, 4)}
        db.refresh(thing)
        assert thing.confirmed_count == 2
        assert [e for e, _, _ in told.calls] == [BookingEvent.confirmed] * 2 + [
            BookingEvent.waiting
        ] * 3
        assert [f.position for e, _, f in told.calls if e == BookingEvent.waiting] == [1, 2, 3]

    def test_a_party_larger_than_the_room_left_waits(
        self, db: Session, clock: FrozenClock, place: Place, told: Told
    ) -> None:
        thing = place.bookable(capacity=2)
        book(db, clock, thing.id or 0, place.retiree())
        party = book(db, clock, thing.id or 0, place.retiree(), quantity=2)
        assert party.status == BookingStatus.waitlisted

    def test_quantity_above_the_limit_is_refused(
        self, db: Session, clock: FrozenClock, place: Place, told: Told
    ) -> None:
        thing = place.bookable(max_quantity=2)
        with pytest.raises(BadRequest):
            book(db, clock, thing.id or 0, place.retiree(), quantity=3)
        assert queries.active_of(db, [thing.id or 0]) == []

    def test_capacity_cannot_drop_below_the_confirmed(
        self, db: Session, clock: FrozenClock, place: Place, told: Told
    ) -> None:
        thing = place.bookable(capacity=2)
        book(db, clock, thing.id or 0, place.retiree())
        book(db, clock, thing.id or 0, place.retiree())
        with pytest.raises(BadRequest):
            api.set_capacity(db, clock=clock, bookable_id=thing.id or 0, capacity=1)

    def test_more_capacity_promotes_the_waiting_first_come_first(
        self, db: Session, clock: FrozenClock, place: Place, told: Told
    ) -> None:
        thing = place.bookable(capacity=1)
        first, second, third = (place.retiree() for _ in range(3))
        book(db, clock, thing.id or 0, first)
        waiting = [book(db, clock, thing.id or 0, p) for p in (second, third)]
        api.set_capacity(db, clock=clock, bookable_id=thing.id or 0, capacity=2)
        assert [fresh(db, b).status for b in waiting] == ["confirmed", "waitlisted"]
        assert told.events_for(second.id or 0)[-1] == BookingEvent.promoted
        assert queries.waitlist_position(db, fresh(db, waiting[1])) == 1


class TestCancel:
    def test_a_freed_place_goes_to_the_first_waiting(
        self, db: Session, clock: FrozenClock, place: Place, told: Told
    ) -> None:
        thing = place.bookable(capacity=1)
        a, b, c = (place.retiree() for _ in range(3))
        mine = book(db, clock, thing.id or 0, a)
        b_booking, c_booking = book(db, clock, thing.id or 0, b), book(db, clock, thing.id or 0, c)
        api.cancel(db, clock=clock, booking=mine, by="self")
        assert fresh(db, mine).status == BookingStatus.cancelled
        assert fresh(db, b_booking).status == BookingStatus.confirmed
        assert fresh(db, b_booking).promoted_at is not None
        assert fresh(db, c_booking).status == BookingStatus.waitlisted
        db.refresh(thing)
        assert thing.confirmed_count == 1
        assert BookingEvent.cancelled_by_staff not in told.events_for(a.id or 0)

    def test_cancel_twice_is_the_same_as_once(
        self, db: Session, clock: FrozenClock, place: Place, told: Told
    ) -> None:
        thing = place.bookable(capacity=2)
        mine = book(db, clock, thing.id or 0, place.retiree())
        api.cancel(db, clock=clock, booking=mine, by="self")
        again = api.cancel(db, clock=clock, booking=mine, by="self")
        assert again.status == BookingStatus.cancelled
        db.refresh(thing)
        assert thing.confirmed_count == 0

    def test_after_the_deadline_only_staff_may_cancel_and_the_retiree_is_told(
        self, db: Session, clock: FrozenClock, place: Place, told: Told
    ) -> None:
        thing = place.bookable(starts_in=timedelta(days=2))
        who = place.retiree()
        mine = book(db, clock, thing.id or 0, who)
        clock.advance(timedelta(days=1, hours=1))
        with pytest.raises(BadRequest):
            api.cancel(db, clock=clock, booking=mine, by="self")
        api.cancel(db, clock=clock, booking=mine, by="staff:1", reason="住院", by_staff=True)
        assert told.events_for(who.id or 0)[-1] == BookingEvent.cancelled_by_staff

    def test_staff_quiet_cancel_tells_nobody(
        self, db: Session, clock: FrozenClock, place: Place, told: Told
    ) -> None:
        thing = place.bookable()
        who = place.retiree()
        mine = book(db, clock, thing.id or 0, who)
        api.cancel(db, clock=clock, booking=mine, by="staff:1", by_staff=True, quiet=True)
        assert told.events_for(who.id or 0) == [BookingEvent.confirmed]

    def test_nobody_moves_up_once_it_has_begun(
        self, db: Session, clock: FrozenClock, place: Place, told: Told
    ) -> None:
        thing = place.bookable(capacity=1, starts_in=timedelta(hours=1))
        mine = book(db, clock, thing.id or 0, place.retiree())
        waiting = book(db, clock, thing.id or 0, place.retiree())
        clock.advance(timedelta(hours=2))
        api.cancel(db, clock=clock, booking=mine, by="staff:1", by_staff=True)
        assert fresh(db, waiting).status == BookingStatus.waitlisted

    def test_calling_the_whole_thing_off_ends_every_booking(
        self, db: Session, clock: FrozenClock, place: Place, told: Told
    ) -> None:
        thing = place.bookable(capacity=1)
        a, b = place.retiree(), place.retiree()
        made = [book(db, clock, thing.id or 0, a), book(db, clock, thing.id or 0, b)]
        assert (
            api.cancel_bookable(
                db, clock=clock, bookable_id=thing.id or 0, reason="下雨", by="staff:1"
            )
            == 2
        )
        assert [fresh(db, m).status for m in made] == ["cancelled", "cancelled"]
        db.refresh(thing)
        assert (thing.status, thing.confirmed_count) == (BookableStatus.cancelled, 0)
        assert told.events_for(b.id or 0)[-1] == BookingEvent.bookable_cancelled
        assert told.calls[-1][2].reason == "下雨"
        assert (
            api.cancel_bookable(
                db, clock=clock, bookable_id=thing.id or 0, reason="下雨", by="staff:1"
            )
            == 0
        )


class TestRepeat:
    def test_the_same_key_returns_the_first_booking(
        self, db: Session, clock: FrozenClock, place: Place, told: Told
    ) -> None:
        thing = place.bookable()
        who = place.retiree()
        first = book(db, clock, thing.id or 0, who, key="k-1")
        again = book(db, clock, thing.id or 0, who, key="k-1")
        assert again.id == first.id
        assert len(queries.active_of(db, [thing.id or 0])) == 1
        assert told.events_for(who.id or 0) == [BookingEvent.confirmed]

    def test_someone_else_reusing_a_key_is_refused(
        self, db: Session, clock: FrozenClock, place: Place, told: Told
    ) -> None:
        thing = place.bookable()
        book(db, clock, thing.id or 0, place.retiree(), key="k-1")
        with pytest.raises(Conflict):
            book(db, clock, thing.id or 0, place.retiree(), key="k-1")

    def test_booking_twice_without_a_key_is_refused(
        self, db: Session, clock: FrozenClock, place: Place, told: Told
    ) -> None:
        thing = place.bookable()
        who = place.retiree()
        book(db, clock, thing.id or 0, who)
        with pytest.raises(Conflict):
            book(db, clock, thing.id or 0, who)


class TestTakePlaces:
    def test_places_are_taken_only_while_they_fit(
        self, db: Session, clock: FrozenClock, place: Place, told: Told
    ) -> None:
        trip = place.bookable(capacity=3, max_quantity=3)

        def seat(quantity: int) -> Booking | None:
            who = place.retiree()
            return api.take_places(
                db,
                clock=clock,
                bookable_id=trip.id or 0,
                retiree_id=who.id or 0,
                unit_id=who.unit_id,
                quantity=quantity,
                notes=None,
                booked_by="staff:1",
                channel="工作人员派车",
            )

        assert seat(2) is not None
        assert seat(2) is None  # nothing written, no waiting list
        assert seat(1) is not None
        db.refresh(trip)
        assert trip.confirmed_count == 3
        assert len(queries.active_of(db, [trip.id or 0])) == 2
        assert told.calls == []


class TestUpdate:
    def test_only_title_and_times_may_be_edited_directly(
        self, db: Session, clock: FrozenClock, place: Place, told: Told
    ) -> None:
        thing = place.bookable()
        later = thing.starts_at + timedelta(hours=1)
        api.update_bookable(db, clock=clock, bookable_id=thing.id or 0, starts_at=later)
        db.refresh(thing)
        assert thing.starts_at == later
        with pytest.raises(ValueError):
            api.update_bookable(db, clock=clock, bookable_id=thing.id or 0, capacity=9)
