"""API shapes for rides."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field, field_validator, model_validator

STATUS_LABELS = {
    "requested": "已申请",
    "dispatched": "已派车",
    "completed": "已完成",
    "cancelled": "已取消",
    "unarranged": "无法安排",
}
STATUS_CODES = {label: code for code, label in STATUS_LABELS.items()}


class DestinationKind(StrEnum):
    hospital = "医院"
    other = "其他"


class RepeatIn(BaseModel):
    weekdays: list[int] = Field(min_length=1, max_length=7, description="1=周一 … 7=周日")
    until: date

    @field_validator("weekdays")
    @classmethod
    def _days(cls, value: list[int]) -> list[int]:
        if any(not 1 <= d <= 7 for d in value):
            raise ValueError("星期几应是1到7")
        return sorted(set(value))


class RideIn(BaseModel):
    retiree_id: int
    pickup_address: str | None = Field(
        default=None, max_length=200, description="空：用登记的家庭住址"
    )
    destination_id: int | None = None
    destination_text: str | None = Field(default=None, max_length=200)
    pickup_at: datetime
    return_at: datetime | None = None
    passengers: int = Field(default=1, ge=1, le=4, description="坐车的人数（含老同志本人）")
    wheelchair: bool = False
    companion_needed: bool = False
    notes: str | None = Field(default=None, max_length=200)
    idempotency_key: str | None = Field(default=None, min_length=8, max_length=64)
    repeat: RepeatIn | None = None
    confirm_duplicate: bool = Field(
        default=False, description="已看过“可能重复”的提醒，确实还要再约一次"
    )

    @model_validator(mode="after")
    def _check(self) -> RideIn:
        if self.destination_id is None and not (self.destination_text or "").strip():
            raise ValueError("请选择或填写去哪里")
        if self.return_at is not None and self.return_at <= self.pickup_at:
            raise ValueError("回程时间应晚于出发时间")
        return self


class StaffRideIn(RideIn):
    channel: str = Field(default="电话", pattern="^(电话|窗口)$")


class ReasonIn(BaseModel):
    reason: str = Field(min_length=1, max_length=200)


class OptionalReasonIn(BaseModel):
    reason: str | None = Field(default=None, max_length=200)


class VehicleOut(BaseModel):
    plate: str
    description: str


class DriverOut(BaseModel):
    name: str
    phone: str


class RidePublic(BaseModel):
    id: int
    pickup_address: str
    destination: str
    pickup_at: datetime
    return_at: datetime | None
    passengers: int
    wheelchair: bool
    companion_needed: bool
    notes: str | None
    status: str
    status_reason: str | None
    vehicle: VehicleOut | None
    driver: DriverOut | None
    can_cancel: bool
    series_id: int | None


class RidesPublic(BaseModel):
    data: list[RidePublic]
    count: int


class StaffRide(RidePublic):
    retiree_id: int
    retiree_name: str
    retiree_phone: str | None
    unit_name: str
    seats: int
    trip_id: int | None
    requested_by: str
    cancelled_by: str | None
    created_at: datetime


class StaffRides(BaseModel):
    data: list[StaffRide]
    count: int


class SeriesCancelled(BaseModel):
    cancelled: int


class DestinationIn(BaseModel):
    name: str = Field(min_length=1, max_length=60)
    address: str = Field(min_length=1, max_length=200)
    kind: DestinationKind = DestinationKind.hospital
    unit_id: int | None = Field(default=None, description="空：本单位")


class DestinationPatch(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=60)
    address: str | None = Field(default=None, min_length=1, max_length=200)
    kind: DestinationKind | None = None
    active: bool | None = None


class DestinationPublic(BaseModel):
    id: int
    name: str
    address: str
    kind: str


class DestinationStaff(DestinationPublic):
    unit_id: int
    active: bool


class DestinationsPublic(BaseModel):
    data: list[DestinationPublic]
    count: int


class DestinationsStaff(BaseModel):
    data: list[DestinationStaff]
    count: int


class VehicleIn(BaseModel):
    plate: str = Field(min_length=2, max_length=12)
    description: str = Field(default="", max_length=60)
    seats: int = Field(ge=1, le=60)
    wheelchair: bool = False
    unit_id: int | None = Field(default=None, description="空：本单位")


class VehiclePatch(BaseModel):
    description: str | None = Field(default=None, max_length=60)
    seats: int | None = Field(default=None, ge=1, le=60)
    wheelchair: bool | None = None
    active: bool | None = None


class VehicleStaff(BaseModel):
    id: int
    unit_id: int
    plate: str
    description: str
    seats: int
    wheelchair: bool
    active: bool


class VehiclesStaff(BaseModel):
    data: list[VehicleStaff]
    count: int


class DriverIn(BaseModel):
    name: str = Field(min_length=1, max_length=30)
    phone: str = Field(min_length=5, max_length=30)
    unit_id: int | None = Field(default=None, description="空：本单位")


class DriverPatch(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=30)
    phone: str | None = Field(default=None, min_length=5, max_length=30)
    active: bool | None = None


class DriverStaff(BaseModel):
    id: int
    unit_id: int
    name: str
    phone: str
    active: bool


class DriversStaff(BaseModel):
    data: list[DriverStaff]
    count: int


class DispatchIn(BaseModel):
    request_ids: list[int] = Field(min_length=1, max_length=20)
    vehicle_id: int
    driver_id: int
    starts_at: datetime | None = Field(default=None, description="空：最早的上车时间")
    ends_at: datetime | None = Field(default=None, description="空：最晚的回程（或上车）后1小时")


class AddToTripIn(BaseModel):
    request_ids: list[int] = Field(min_length=1, max_length=20)


class RunSheetStop(BaseModel):
    ride_id: int
    retiree_name: str
    retiree_phone: str | None
    pickup_address: str
    pickup_at: datetime
    destination: str
    return_at: datetime | None
    passengers: int
    seats: int
    wheelchair: bool
    companion_needed: bool
    notes: str | None
    status: str


class TripPublic(BaseModel):
    id: int
    vehicle_id: int
    driver_id: int
    vehicle: VehicleOut
    driver: DriverOut
    wheelchair_vehicle: bool
    starts_at: datetime
    ends_at: datetime
    seats: int
    seats_taken: int
    status: str
    stops: list[RunSheetStop]


class RunSheet(BaseModel):
    date: date
    trips: list[TripPublic]
