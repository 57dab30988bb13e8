"""After an activity ends, everyone marked present is asked once, in the inbox, whether they
were satisfied (satisfaction/); the activity's page has the same three answers. An activity
without an end time counts as ended two hours after its start."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from backend.activities.models import Activity
from backend.bookings import queries
from backend.bookings.enums import BookableKind, BookableStatus, BookingStatus
from backend.core.clock import Clock, as_utc
from backend.satisfaction import service as satisfaction
from backend.satisfaction.schemas import Source

LOOK_BACK = timedelta(days=2)
DEFAULT_LENGTH = timedelta(hours=2)


def ask_ratings(db: Session, *, clock: Clock) -> int:
    now = clock.now()
    ended = {
        b.id or 0: b
        for b in queries.find_bookables(
            db, kind=BookableKind.activity, starts_after=now - LOOK_BACK
        )
        if b.status == BookableStatus.open
        and as_utc(b.ends_at or b.starts_at + DEFAULT_LENGTH) <= now
    }
    present = [
        b
        for b in queries.of_status(db, ended, [BookingStatus.confirmed])
        if b.attended is True and b.rating is None
    ]
    pages = {
        a.bookable_id: f"pages/activity/activity?id={a.id}"
        for a in db.exec(
            select(Activity).where(col(Activity.bookable_id).in_({b.bookable_id for b in present}))
        ).all()
    }
    asks = [
        satisfaction.Ask(
            source_id=b.id or 0,
            retiree_id=b.retiree_id,
            unit_id=b.unit_id,
            label=ended[b.bookable_id].title,
            link_page=pages.get(b.bookable_id),
        )
        for b in present
    ]
    return satisfaction.invite_many(db, clock=clock, source=Source.activity, asks=asks)
