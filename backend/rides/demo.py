"""Demo rides: four vehicles (one takes a wheelchair), drivers, common hospitals, a few requests
(one already dispatched, one recurring dialysis ride)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from sqlmodel import Session

from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.accounts.scope import staff_actor
from backend.core.clock import Clock, local_at, local_today, to_local
from backend.rides import dispatch, fleet, requests
from backend.rides.schemas import (
    DestinationIn,
    DestinationKind,
    DriverIn,
    RepeatIn,
    RideIn,
    VehicleIn,
)

VEHICLES = [
    ("京A·J0001", "白色面包车", 7, False),
    ("京A·J0002", "银色商务车", 6, False),
    ("京A·J0003", "黑色轿车", 4, False),
    ("京A·J0004", "无障碍车（带升降板）", 4, True),
]
DRIVERS = [("赵师傅", "13901010001"), ("钱师傅", "13901010002"), ("孙师傅", "13901010003")]
PLACES = [
    ("301医院", "海淀区复兴路28号", "医院"),
    ("北京医院", "东城区东单大华路1号", "医院"),
    ("协和医院（东单院区）", "东城区帅府园1号", "医院"),
    ("区透析中心", "东城区和平里北街18号", "医院"),
    ("军休所活动中心", "东城区和平里东街5号", "其他"),
]


def _at(clock: Clock, days: int, hour: int, minute: int = 0) -> datetime:
    day = local_today(clock) + timedelta(days=days)
    return local_at(day, time(hour, minute))


def load(
    db: Session, *, clock: Clock, staff: StaffAccount, unit: Unit, retirees: list[Retiree]
) -> None:
    common: dict[str, Any] = {"clock": clock, "staff": staff, "scope": unit}
    vehicles = [
        fleet.create_vehicle(
            db, **common, data=VehicleIn(plate=p, description=d, seats=s, wheelchair=w)
        )
        for p, d, s, w in VEHICLES
    ]
    drivers = [
        fleet.create_driver(db, **common, data=DriverIn(name=n, phone=t)) for n, t in DRIVERS
    ]
    places = [
        fleet.create_destination(
            db, **common, data=DestinationIn(name=n, address=a, kind=DestinationKind(k))
        )
        for n, a, k in PLACES
    ]
    if len(retirees) < 3:
        return

    def ask(retiree: Retiree, **fields: object) -> int:
        ride = requests.create(
            db,
            clock=clock,
            retiree=retiree,
            data=RideIn(retiree_id=retiree.id or 0, **fields),
            requested_by=staff_actor(staff).label,
            by_staff=True,
        )
        return ride.id or 0

    first = ask(
        retirees[0],
        destination_id=places[0].id,
        pickup_at=_at(clock, 1, 8, 30),
        return_at=_at(clock, 1, 11, 30),
        companion_needed=True,
        notes="带上病历本",
    )
    ask(retirees[1], destination_id=places[1].id, pickup_at=_at(clock, 1, 9, 0))
    ask(
        retirees[2],
        destination_id=places[3].id,
        pickup_at=_at(clock, 1, 7, 30),
        return_at=_at(clock, 1, 12, 0),
        wheelchair=True,
        repeat=RepeatIn(
            weekdays=sorted({to_local(_at(clock, 1, 7)).isoweekday(), 5}),
            until=local_today(clock) + timedelta(days=28),
        ),
    )
    dispatch.dispatch(
        db,
        **common,
        request_ids=[first],
        vehicle_id=vehicles[0].id or 0,
        driver_id=drivers[0].id or 0,
    )
