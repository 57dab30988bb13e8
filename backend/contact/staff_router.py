"""Staff API for the duty roster (值班表) and units' phones. The console calls the same service
functions with the same input schemas. Every write is audited."""

from __future__ import annotations

from datetime import date

from fastapi import Response

from backend.accounts.deps import CurrentStaff, StaffScope
from backend.contact import service, views
from backend.contact.schemas import (
    MainPhoneIn,
    RosterStaff,
    ShiftIn,
    ShiftStaff,
    UnitPhoneIn,
    UnitPhonesStaff,
    UnitPhoneStaff,
)
from backend.core.clock import local_today
from backend.core.deps import ClockDep, SessionDep
from backend.core.inputs import Day, Id
from backend.core.routing import APIRouter

router = APIRouter(prefix="/api/v1/staff/contact", tags=["工作人员：值班表和电话"])


@router.get("/roster", response_model=RosterStaff, summary="一周的值班表（各单位）")
def roster(
    db: SessionDep,
    clock: ClockDep,
    scope: StaffScope,
    week: Day | None = None,
    unit_id: Id | None = None,
) -> RosterStaff:
    day: date = week or local_today(clock)
    return views.roster(db, scope=scope, day=day, unit_id=unit_id)


@router.post("/shifts", response_model=ShiftStaff, status_code=201, summary="排一个班")
def add_shift(
    body: ShiftIn, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> ShiftStaff:
    shift = service.create_shift(db, clock=clock, staff=me, scope=scope, data=body)
    return views.one_shift(db, shift)


@router.put("/shifts/{shift_id}", response_model=ShiftStaff, summary="改一个班")
def edit_shift(
    shift_id: Id,
    body: ShiftIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> ShiftStaff:
    shift = service.shift_in_scope(db, shift_id, scope)
    shift = service.update_shift(db, clock=clock, staff=me, scope=scope, shift=shift, data=body)
    return views.one_shift(db, shift)


@router.delete("/shifts/{shift_id}", status_code=204, summary="删掉一个班")
def remove_shift(
    shift_id: Id, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> Response:
    shift = service.shift_in_scope(db, shift_id, scope)
    service.delete_shift(db, clock=clock, staff=me, shift=shift)
    return Response(status_code=204)


@router.get("/units/{unit_id}/phones", response_model=UnitPhonesStaff, summary="单位的电话")
def phones(unit_id: Id, db: SessionDep, scope: StaffScope) -> UnitPhonesStaff:
    unit = service.unit_in_scope(db, unit_id, scope)
    return views.unit_phones(db, unit)


@router.put("/units/{unit_id}/phone", response_model=UnitPhonesStaff, summary="改单位的总机电话")
def set_main_phone(
    unit_id: Id,
    body: MainPhoneIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> UnitPhonesStaff:
    unit = service.set_main_phone(
        db, clock=clock, staff=me, scope=scope, unit_id=unit_id, data=body
    )
    return views.unit_phones(db, unit)


@router.post(
    "/units/{unit_id}/phones",
    response_model=UnitPhoneStaff,
    status_code=201,
    summary="给单位加一个电话（值班电话、办公室…）",
)
def add_phone(
    unit_id: Id,
    body: UnitPhoneIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> UnitPhoneStaff:
    row = service.add_phone(db, clock=clock, staff=me, scope=scope, unit_id=unit_id, data=body)
    return views.phone_staff(row)


@router.delete("/phones/{phone_id}", status_code=204, summary="删掉单位的一个电话")
def remove_phone(
    phone_id: Id, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> Response:
    row = service.phone_in_scope(db, phone_id, scope)
    service.remove_phone(db, clock=clock, staff=me, phone=row)
    return Response(status_code=204)
