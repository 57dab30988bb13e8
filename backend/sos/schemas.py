"""What the emergency domain takes in and hands out."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from annotated_types import Ge, Le
from pydantic import AfterValidator, BaseModel, Field

from backend.core.inputs import Code, Id, Line
from backend.sos.models import Outcome

_PHONE = re.compile(r"^[0-9][0-9-]{4,19}$")


def _check_phone(value: str) -> str:
    value = value.replace(" ", "")
    if not _PHONE.match(value):
        raise ValueError("电话号码不对，请只写数字，例如 13800138000。")
    return value


Phone = Annotated[Code, AfterValidator(_check_phone)]
Latitude = Annotated[float, Ge(-90), Le(90)]
Longitude = Annotated[float, Ge(-180), Le(180)]


class ContactIn(BaseModel):
    name: Annotated[Line, Field(min_length=1, max_length=50)]
    relation: Annotated[Line, Field(min_length=1, max_length=20)]
    phone: Phone


class ContactsIn(BaseModel):
    """The whole list, in calling order: 1 to 3 people."""

    contacts: Annotated[list[ContactIn], Field(min_length=1, max_length=3)]


class RetireeContactsIn(ContactsIn):
    retiree_id: Id


class ContactPublic(BaseModel):
    position: int
    name: str
    relation: str
    phone: str  # masked for whoever may not edit the list


class ContactsPublic(BaseModel):
    retiree_id: int
    can_edit: bool
    contacts: list[ContactPublic]


class RaiseIn(BaseModel):
    retiree_id: Id
    # Only when the user allowed wx.getLocation; refusing it never stops the alert.
    latitude: Latitude | None = None
    longitude: Longitude | None = None


class AlertState(BaseModel):
    """What the mini-program's status screen shows, in plain words."""

    id: int
    retiree_id: int
    status: str
    headline: str
    detail: str
    call_120: str
    raised_at: datetime
    acknowledged_at: datetime | None = None
    closed_at: datetime | None = None
    outcome: str | None = None
    open: bool


class CurrentAlert(BaseModel):
    alert: AlertState | None


class CloseIn(BaseModel):
    outcome: Outcome
    note: Annotated[Line, Field(max_length=200)] | None = None


class CallPublic(BaseModel):
    kind: str
    name: str
    relation: str
    phone: str
    message: str


class AlertCard(BaseModel):
    """An alert as staff see it: whom to call, and what has happened so far."""

    id: int
    retiree_id: int
    retiree_name: str
    unit_name: str
    address: str | None
    phone: str | None
    status: str
    status_label: str
    raised_at: datetime
    raised_by: str
    minutes: int
    latitude: float | None
    longitude: float | None
    escalated_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    closed_at: datetime | None
    closed_by: str | None
    outcome: str | None
    outcome_note: str | None
    contacts: list[ContactPublic]
    calls: list[CallPublic]


class AlertsPage(BaseModel):
    data: list[AlertCard]
    count: int


class Poll(BaseModel):
    open: int
    newest_id: int
