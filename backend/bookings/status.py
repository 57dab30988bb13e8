"""The one public status shape every consumer (activities, meals, rides) returns for a booking:
`status_code` (the machine value) and `status_label` (the words on the screen). Each consumer
may word the label its own way (订餐 says 已订, 活动 says 已报名); the codes are shared."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from backend.bookings.enums import BookingStatus

DEFAULT_LABELS: dict[str, str] = {
    BookingStatus.confirmed: "已报名",
    BookingStatus.waitlisted: "候补中",
    BookingStatus.cancelled: "已取消",
}


class StatusShape(BaseModel):
    """Mixed into each consumer's public booking model."""

    status_code: str
    status_label: str


def status_fields(status: str, labels: dict[str, str] | None = None) -> dict[str, str]:
    """{"status_code": …, "status_label": …} for a booking status."""
    return {
        "status_code": str(status),
        "status_label": (labels or DEFAULT_LABELS)[status],
    }


def can_cancel(status: str, *, deadline: datetime, now: datetime) -> bool:
    """A place on the waiting list can always be given up; a confirmed one until the deadline
    (an activity's cancel deadline, a meal's order cut-off). Both doors show this the same way."""
    return status == BookingStatus.waitlisted or (
        status == BookingStatus.confirmed and now <= deadline
    )
