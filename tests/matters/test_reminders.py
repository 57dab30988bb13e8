"""The job on an injected clock: a deadline reminder before the clock runs out and a late one
after it (each once, however often the job runs); a stay abroad of more than three months asks
for a report every quarter and staff hear of a missing one; a return past its day is asked for;
the monthly figures count what was late."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from backend.accounts.models import StaffAccount, Unit
from backend.core.clock import FrozenClock
from backend.core.db import transaction
from backend.matters import rules, scheduled, service, stats
from backend.matters.schemas import AcknowledgeIn, MatterFields
from backend.notices.models import Notice, StaffAlert
from tests.factories import World
from tests.matters.conftest import TRIP, shanghai


def _keys(engine: Engine, model, column) -> list[str]:  # type: ignore[no-untyped-def]
    with Session(engine) as db:
        rows = db.exec(select(column).where(col(column).startswith("matters:"))).all()
    return sorted(k for k in rows if k)


def _run(engine: Engine, clock: FrozenClock) -> None:
    with transaction(engine) as db:
        scheduled.remind(db, clock=clock)


def test_deadline_reminders_are_sent_once_and_late_is_counted(
    world: World, engine: Engine, clock: FrozenClock
) -> None:
    clock.set(shanghai(2026, 3, 2, 10))
    award = MatterFields(kind="表彰奖励", award="优秀党员", awarded_by="市委组织部")  # type: ignore[arg-type]
    with transaction(engine) as db:
        m = service.submit(db, clock=clock, retiree_id=world.retiree_a.id, data=award, by="本人")
    assert m.due_at == shanghai(2026, 3, 6, 0)  # end of Thursday: 3 working days
    _run(engine, clock)
    assert _keys(engine, StaffAlert, StaffAlert.dedupe_key) == [f"matters:{m.id}:submitted"]
    clock.set(shanghai(2026, 3, 3, 9))  # two working days left
    _run(engine, clock)
    _run(engine, clock)
    clock.set(shanghai(2026, 3, 6, 9))  # Friday: past it
    _run(engine, clock)
    _run(engine, clock)
    assert _keys(engine, StaffAlert, StaffAlert.dedupe_key) == [
        f"matters:{m.id}:due_soon",
        f"matters:{m.id}:late",
        f"matters:{m.id}:submitted",
    ]
    with Session(engine) as db:
        late = db.exec(
            select(StaffAlert).where(StaffAlert.dedupe_key == f"matters:{m.id}:late")
        ).one()
        assert late.unit_id == world.unit1.id and "已超期" in late.title
    with transaction(engine) as db:
        staff = db.get(StaffAccount, world.staff1.id)
        scope = db.get(Unit, world.unit1.id)
        assert staff is not None and scope is not None
        service.acknowledge(
            db, clock=clock, staff=staff, scope=scope, matter_id=m.id or 0, data=AcknowledgeIn()
        )
        figures = stats.monthly_figures(
            db,
            unit_ids=[world.station1.id],
            start=shanghai(2026, 3, 1, 0),
            end=shanghai(2026, 4, 1, 0),
        )
        other = stats.monthly_figures(
            db,
            unit_ids=[world.unit2.id],
            start=shanghai(2026, 3, 1, 0),
            end=shanghai(2026, 4, 1, 0),
        )
    assert figures == {"reported": 1, "approved": 0, "late": 1}
    assert other == {"reported": 0, "approved": 0, "late": 0}


def test_a_long_stay_reports_every_quarter_and_a_return_is_asked_for(
    world: World, engine: Engine, clock: FrozenClock
) -> None:
    clock.set(shanghai(2026, 3, 2, 10))
    trip = MatterFields(**{**TRIP, "depart_on": date(2026, 3, 10), "return_on": date(2026, 10, 20)})
    assert rules.is_long_stay(trip.depart_on, trip.return_on)
    with transaction(engine) as db:
        m = service.submit(db, clock=clock, retiree_id=world.retiree_a.id, data=trip, by="本人")
        staff = db.get(StaffAccount, world.staff1.id)
        scope = db.get(Unit, world.unit1.id)
        assert staff is not None and scope is not None
        service.acknowledge(
            db, clock=clock, staff=staff, scope=scope, matter_id=m.id or 0, data=AcknowledgeIn()
        )
    clock.set(shanghai(2026, 6, 9, 10))  # the day before the first quarter
    _run(engine, clock)
    assert not [k for k in _keys(engine, Notice, Notice.dedupe_key) if ":quarter:" in k]
    clock.set(shanghai(2026, 6, 10, 10))
    _run(engine, clock)
    assert f"matters:{m.id}:quarter:1" in _keys(engine, Notice, Notice.dedupe_key)
    clock.set(shanghai(2026, 6, 15, 10))
    with transaction(engine) as db:
        row = db.get(type(m), m.id)
        assert row is not None
        service.report_quarter(db, clock=clock, matter=row, text="身体很好，在女儿家。", by="本人")
    clock.set(shanghai(2026, 9, 25, 10))  # the second quarter (10 September) unreported
    _run(engine, clock)
    alerts = _keys(engine, StaffAlert, StaffAlert.dedupe_key)
    assert f"matters:{m.id}:quarter:2:missing" in alerts
    assert f"matters:{m.id}:quarter:1:missing" not in alerts
    clock.set(shanghai(2026, 10, 22, 10))  # past the planned return, nothing reported
    _run(engine, clock)
    assert f"matters:{m.id}:return" in _keys(engine, Notice, Notice.dedupe_key)
    with transaction(engine) as db:
        row = db.get(type(m), m.id)
        assert row is not None
        service.report_return(
            db, clock=clock, matter=row, returned_on=date(2026, 10, 21), by="本人"
        )
    clock.set(shanghai(2026, 11, 5, 10))
    _run(engine, clock)
    assert f"matters:{m.id}:return:missing" not in _keys(engine, StaffAlert, StaffAlert.dedupe_key)
    with Session(engine) as db:
        told = db.exec(
            select(Notice.body).where(Notice.dedupe_key == f"matters:{m.id}:returned")
        ).one()
    assert "10月31日前把护照" in told


def test_a_short_trip_is_not_a_long_stay() -> None:
    assert not rules.is_long_stay(date(2026, 3, 10), date(2026, 6, 10))
    assert rules.is_long_stay(date(2026, 3, 10), date(2026, 6, 11))
    assert rules.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
