"""API shapes for rides."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field, field_validator, model_validator

from backend.bookings.status import StatusShape
from backend.core.inputs import Code, Day, Id, Line, Moment, Text
from backend.rides.enums import RideStatus

STATUS_LABELS: dict[str, str] = {
    RideStatus.requested: "已申请",
    RideStatus.dispatched: "已派车",
    RideStatus.completed: "已完成",
    RideStatus.cancelled: "已取消",
    RideStatus.unarranged: "无法安排",
}
STATUS_CODES = {label: code for code, label in STATUS_LABELS.items()}


class DestinationKind(StrEnum):
    hospital = "医院"
    other = "其他"


class RepeatIn(BaseModel):
    weekdays: list[int] = Field(
        title="每周哪几天", min_length=1, max_length=7, description="1=周一 … 7=周日"
    )
    until: Day = Field(title="重复到哪天")

    @field_validator("weekdays")
    @classmethod
    def _days(cls, value: list[int]) -> list[int]:
        if any(not 1 <= d <= 7 for d in value):
            raise ValueError("星期几应是1到7")
        return sorted(set(value))


class RideIn(BaseModel):
    retiree_id: Id = Field(title="老同志")
    pickup_address: Line | None = Field(
        title="上车地址", default=None, max_length=200, description="空：用登记的家庭住址"
    )
    destination_id: Id | None = Field(default=None, title="目的地")
    destination_text: Line | None = Field(title="目的地", default=None, max_length=200)
    pickup_at: Moment = Field(title="出发时间")
    return_at: Moment | None = Field(default=None, title="回程时间")
    passengers: int = Field(
        title="人数", default=1, ge=1, le=4, description="坐车的人数（含老同志本人）"
    )
    wheelchair: bool = Field(default=False, title="是否坐轮椅")
    companion_needed: bool = Field(default=False, title="是否需要陪同")
    notes: Text | None = Field(title="备注", default=None, max_length=200)
    idempotency_key: Line | None = Field(
        title="提交编号", default=None, min_length=8, max_length=64
    )
    repeat: RepeatIn | None = Field(default=None, title="重复约车")
    confirm_duplicate: bool = Field(
        default=False,
        title="确认不是重复",
        description="已看过“可能重复”的提醒，确实还要再约一次",
    )

    @model_validator(mode="after")
    def _check(self) -> RideIn:
        if self.destination_id is None and not (self.destination_text or "").strip():
            raise ValueError("请选择或填写去哪里")
        if self.return_at is not None and self.return_at <= self.pickup_at:
            raise ValueError("回程时间应晚于出发时间")
        return self


class StaffRideIn(RideIn):
    channel: Line = Field(title="约车方式", default="电话", pattern="^(电话|窗口)$")


class ReasonIn(BaseModel):
    reason: Text = Field(title="原因", min_length=1, max_length=200)


class OptionalReasonIn(BaseModel):
    reason: Text | None = Field(title="原因", default=None, max_length=200)


class VehicleOut(BaseModel):
    plate: str
    description: str


class DriverOut(BaseModel):
    name: str
    phone: str


class RidePublic(StatusShape):
    """status_code / status_label: the shape every booking consumer shares (the codes are the
    request's: requested, dispatched, completed, cancelled, unarranged). `status` is the label
    again, kept for mini-program versions still in use."""

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
    name: Line = Field(title="地点名称", min_length=1, max_length=60)
    address: Line = Field(title="地址", min_length=1, max_length=200)
    kind: DestinationKind = Field(default=DestinationKind.hospital, title="类型")
    unit_id: Id | None = Field(title="单位", default=None, description="空：本单位")


class DestinationPatch(BaseModel):
    name: Line | None = Field(title="地点名称", default=None, min_length=1, max_length=60)
    address: Line | None = Field(title="地址", default=None, min_length=1, max_length=200)
    kind: DestinationKind | None = Field(default=None, title="类型")
    active: bool | None = Field(default=None, title="是否在用")


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
    plate: Line = Field(title="车牌号", min_length=2, max_length=12)
    description: Text = Field(title="车辆说明", default="", max_length=60)
    seats: int = Field(title="座位数", ge=1, le=60)
    wheelchair: bool = Field(default=False, title="能否上轮椅")
    unit_id: Id | None = Field(title="单位", default=None, description="空：本单位")


class VehiclePatch(BaseModel):
    description: Text | None = Field(title="车辆说明", default=None, max_length=60)
    seats: int | None = Field(title="座位数", default=None, ge=1, le=60)
    wheelchair: bool | None = Field(default=None, title="能否上轮椅")
    active: bool | None = Field(default=None, title="是否在用")


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
    name: Line = Field(title="司机姓名", min_length=1, max_length=30)
    phone: Code = Field(title="司机电话", min_length=5, max_length=30)
    unit_id: Id | None = Field(title="单位", default=None, description="空：本单位")


class DriverPatch(BaseModel):
    name: Line | None = Field(title="司机姓名", default=None, min_length=1, max_length=30)
    phone: Code | None = Field(title="司机电话", default=None, min_length=5, max_length=30)
    active: bool | None = Field(default=None, title="是否在用")


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
    request_ids: list[Id] = Field(title="约车申请", min_length=1, max_length=20)
    vehicle_id: Id = Field(title="车辆")
    driver_id: Id = Field(title="司机")
    starts_at: Moment | None = Field(
        title="出车时间", default=None, description="空：最早的上车时间"
    )
    ends_at: Moment | None = Field(
        title="收车时间", default=None, description="空：最晚的回程（或上车）后1小时"
    )


class AddToTripIn(BaseModel):
    request_ids: list[Id] = Field(title="约车申请", min_length=1, max_length=20)


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
