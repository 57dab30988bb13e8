"""The booking index by bookable and status also holds the id, so a place in the waiting line
(how many wait with a smaller id) is counted from the index alone

Revision ID: 0034
Revises: 0033
Create Date: 2026-11-28 23:00:00+00:00

The activity list shows, for each activity a retiree waits on, their place in line: a count of
the waiting bookings with a smaller id. With (bookable_id, status) the database fetched every
waiting row from the table to compare its id; with the id in the index it reads the index only.
The same index still serves every lookup by (bookable_id) and (bookable_id, status).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_booking_bookable_status_id", "booking", ["bookable_id", "status", "id"])
    op.drop_index("ix_booking_bookable_status", table_name="booking")


def downgrade() -> None:
    op.create_index("ix_booking_bookable_status", "booking", ["bookable_id", "status"])
    op.drop_index("ix_booking_bookable_status_id", table_name="booking")
