"""rides: destinations, vehicles, drivers, requests, trips, slots

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 11:20:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import backend.core.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = backend.core.types.UTCDateTime


def _str(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "ride_destination",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("name", _str(60), nullable=False),
        sa.Column("address", _str(200), nullable=False),
        sa.Column("kind", _str(6), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_ride_destination_unit_id"), "ride_destination", ["unit_id"], unique=False
    )
    op.create_table(
        "ride_driver",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("name", _str(30), nullable=False),
        sa.Column("phone", _str(30), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_ride_driver_unit_id"), "ride_driver", ["unit_id"], unique=False)
    op.create_table(
        "ride_vehicle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("plate", _str(12), nullable=False),
        sa.Column("description", _str(60), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("wheelchair", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.CheckConstraint("seats >= 1", name="ck_ride_vehicle_seats"),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("plate"),
    )
    op.create_index(op.f("ix_ride_vehicle_unit_id"), "ride_vehicle", ["unit_id"], unique=False)
    op.create_table(
        "ride_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("retiree_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("weekdays", _str(20), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("cancelled_at", UTC(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["retiree_id"], ["retiree.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_ride_series_retiree_id"), "ride_series", ["retiree_id"], unique=False)
    op.create_table(
        "ride_trip",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bookable_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("vehicle_id", sa.Integer(), nullable=False),
        sa.Column("driver_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", UTC(timezone=True), nullable=False),
        sa.Column("ends_at", UTC(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name="ck_ride_trip_window"),
        sa.ForeignKeyConstraint(["bookable_id"], ["bookable.id"]),
        sa.ForeignKeyConstraint(["created_by_staff_id"], ["staff_account.id"]),
        sa.ForeignKeyConstraint(["driver_id"], ["ride_driver.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.ForeignKeyConstraint(["vehicle_id"], ["ride_vehicle.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("bookable_id"),
    )
    for column in ("driver_id", "starts_at", "unit_id", "vehicle_id"):
        op.create_index(op.f(f"ix_ride_trip_{column}"), "ride_trip", [column], unique=False)
    op.create_table(
        "ride_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("retiree_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=True),
        sa.Column("pickup_address", _str(200), nullable=False),
        sa.Column("destination_id", sa.Integer(), nullable=True),
        sa.Column("destination", _str(260), nullable=False),
        sa.Column("pickup_at", UTC(timezone=True), nullable=False),
        sa.Column("return_at", UTC(timezone=True), nullable=True),
        sa.Column("passengers", sa.Integer(), nullable=False),
        sa.Column("wheelchair", sa.Boolean(), nullable=False),
        sa.Column("companion_needed", sa.Boolean(), nullable=False),
        sa.Column("notes", _str(200), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("status_reason", _str(200), nullable=True),
        sa.Column("cancelled_by", _str(40), nullable=True),
        sa.Column("requested_by", _str(40), nullable=False),
        sa.Column("idempotency_key", _str(64), nullable=True),
        sa.Column("trip_id", sa.Integer(), nullable=True),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("updated_at", UTC(timezone=True), nullable=False),
        sa.CheckConstraint(
            "passengers >= 1 AND passengers <= 4", name="ck_ride_request_passengers"
        ),
        sa.ForeignKeyConstraint(["booking_id"], ["booking.id"]),
        sa.ForeignKeyConstraint(["destination_id"], ["ride_destination.id"]),
        sa.ForeignKeyConstraint(["retiree_id"], ["retiree.id"]),
        sa.ForeignKeyConstraint(["series_id"], ["ride_series.id"]),
        sa.ForeignKeyConstraint(["trip_id"], ["ride_trip.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("retiree_id", "idempotency_key", name="uq_ride_request_idempotency"),
    )
    for column in ("retiree_id", "series_id", "trip_id"):
        op.create_index(op.f(f"ix_ride_request_{column}"), "ride_request", [column], unique=False)
    op.create_index(
        "ix_ride_request_status_pickup", "ride_request", ["status", "pickup_at"], unique=False
    )
    op.create_index(
        "ix_ride_request_unit_pickup", "ride_request", ["unit_id", "pickup_at"], unique=False
    )
    op.create_table(
        "ride_slot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trip_id", sa.Integer(), nullable=False),
        sa.Column("resource_kind", sa.String(length=8), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("slot_start", UTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["trip_id"], ["ride_trip.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("resource_kind", "resource_id", "slot_start", name="uq_ride_slot"),
    )
    op.create_index(op.f("ix_ride_slot_trip_id"), "ride_slot", ["trip_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_ride_slot_trip_id"), table_name="ride_slot")
    op.drop_table("ride_slot")
    op.drop_index("ix_ride_request_unit_pickup", table_name="ride_request")
    op.drop_index("ix_ride_request_status_pickup", table_name="ride_request")
    for column in ("retiree_id", "series_id", "trip_id"):
        op.drop_index(op.f(f"ix_ride_request_{column}"), table_name="ride_request")
    op.drop_table("ride_request")
    for column in ("driver_id", "starts_at", "unit_id", "vehicle_id"):
        op.drop_index(op.f(f"ix_ride_trip_{column}"), table_name="ride_trip")
    op.drop_table("ride_trip")
    op.drop_index(op.f("ix_ride_series_retiree_id"), table_name="ride_series")
    op.drop_table("ride_series")
    op.drop_index(op.f("ix_ride_vehicle_unit_id"), table_name="ride_vehicle")
    op.drop_table("ride_vehicle")
    op.drop_index(op.f("ix_ride_driver_unit_id"), table_name="ride_driver")
    op.drop_table("ride_driver")
    op.drop_index(op.f("ix_ride_destination_unit_id"), table_name="ride_destination")
    op.drop_table("ride_destination")
