"""on_duty: who answers for a unit at a given moment — shift boundaries (start counts, end does
not), a night shift across midnight, the fallback order (shift → main number → other numbers →
the unit above), an inactive account skipped, and the answer in one sentence."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlmodel import Session, select

from backend.accounts.models import StaffAccount, Unit
from backend.contact import service
from backend.contact.models import DutyShift
from backend.core.clock import FrozenClock, local_at
from tests.contact.conftest import add_shift, add_unit_phone, set_phone, staff_with_phone
from tests.factories import World

MONDAY = date(2026, 3, 2)
TUESDAY = date(2026, 3, 3)


def _at(day: date, hh: int, mm: int = 0) -> datetime:
    return local_at(day, time(hh, mm))


def _who(db: Session, world: World, at: datetime, unit=None) -> list[tuple[str, str, str]]:
    found = service.on_duty(db, unit_id=(unit or world.unit1).id, at=at)
    return [(f.source, f.name or f.unit_name, f.phone) for f in found]


def test_shift_boundaries_start_counts_end_does_not(engine, world: World) -> None:
    clock = FrozenClock(datetime(2026, 3, 1, tzinfo=UTC))
    li = staff_with_phone(
        engine, clock, unit=world.unit1, username="li", name="李红", phone="13900000001"
    )
    wang = staff_with_phone(
        engine, clock, unit=world.unit1, username="wang", name="王强", phone="13900000002"
    )
    with Session(engine) as db:
        set_phone(db, clock, world, world.unit1, "0431-80000001")
        add_shift(db, clock, world, staff_id=li.id, day=MONDAY, start=time(8), end=time(17, 30))
        add_shift(
            db, clock, world, staff_id=wang.id, day=MONDAY, start=time(17, 30), end=time(8, 30)
        )
        db.commit()

        assert _who(db, world, _at(MONDAY, 7, 59)) == [("unit", "第一军休所", "0431-80000001")]
        assert _who(db, world, _at(MONDAY, 8)) == [("shift", "李红", "13900000001")]
        assert _who(db, world, _at(MONDAY, 17, 29)) == [("shift", "李红", "13900000001")]
        # 17:30 sharp: the day shift has ended, the night shift has begun.
        assert _who(db, world, _at(MONDAY, 17, 30)) == [("shift", "王强", "13900000002")]


def test_a_night_shift_runs_past_midnight(engine, world: World) -> None:
    clock = FrozenClock(datetime(2026, 3, 1, tzinfo=UTC))
    wang = staff_with_phone(
        engine, clock, unit=world.unit1, username="wang", name="王强", phone="13900000002"
    )
    with Session(engine) as db:
        set_phone(db, clock, world, world.unit1, "0431-80000001")
        shift = add_shift(
            db, clock, world, staff_id=wang.id, day=MONDAY, start=time(17, 30), end=time(8, 30)
        )
        db.commit()
        assert shift.ends_at == _at(TUESDAY, 8, 30)
        assert service.hours_text(shift.starts_at, shift.ends_at) == "17:30–次日08:30"
        for at in (_at(MONDAY, 23, 59), _at(TUESDAY, 0), _at(TUESDAY, 8, 29)):
            assert _who(db, world, at) == [("shift", "王强", "13900000002")], at
        assert _who(db, world, _at(TUESDAY, 8, 30))[0][0] == "unit"
        # The same clock time at both ends is a 24-hour shift.
        other = add_shift(
            db, clock, world, staff_id=wang.id, day=date(2026, 3, 5), start=time(8), end=time(8)
        )
        assert other.ends_at == _at(date(2026, 3, 6), 8)


def test_fallback_order_walks_up_the_tree(engine, world: World) -> None:
    """retiree A's station has no roster and no number of its own: the institute above answers."""
    clock = FrozenClock(datetime(2026, 3, 1, tzinfo=UTC))
    li = staff_with_phone(
        engine, clock, unit=world.unit1, username="li", name="李红", phone="13900000001"
    )
    zhao = staff_with_phone(
        engine, clock, unit=world.station1, username="zhao", name="赵敏", phone="13900000003"
    )
    noon = _at(MONDAY, 12)
    with Session(engine) as db:
        station = world.station1
        assert _who(db, world, noon, station) == []  # nothing anywhere
        assert "没有查到" in service.describe([])

        set_phone(db, clock, world, world.centre, "010-60000000")
        assert _who(db, world, noon, station) == [("unit", "服务管理中心", "010-60000000")]

        set_phone(db, clock, world, world.unit1, "0431-80000001")
        assert _who(db, world, noon, station) == [("unit", "第一军休所", "0431-80000001")]

        add_shift(db, clock, world, staff_id=li.id, day=MONDAY, start=time(8), end=time(18))
        assert _who(db, world, noon, station) == [("shift", "李红", "13900000001")]

        # The station's own numbers come before the institute's roster: 值班电话 before 办公室.
        add_unit_phone(db, clock, world, station, "办公室", "0431-81111111")
        add_unit_phone(db, clock, world, station, "值班电话", "0431-82222222")
        found = service.on_duty(db, unit_id=station.id or 0, at=noon)
        assert [(f.label, f.phone) for f in found] == [("值班电话", "0431-82222222")]

        set_phone(db, clock, world, station, "0431-83333333")
        assert _who(db, world, noon, station) == [("unit", "和平里服务站", "0431-83333333")]
        assert service.describe(service.on_duty(db, unit_id=station.id or 0, at=noon)) == (
            "和平里服务站的总机是 0431-83333333，工作人员会接。"
        )

        # A shift of the station itself comes first of all.
        add_shift(
            db,
            clock,
            world,
            staff_id=zhao.id,
            day=MONDAY,
            start=time(11),
            end=time(13),
            unit=station,
        )
        assert service.describe(service.on_duty(db, unit_id=station.id or 0, at=noon)) == (
            "现在是赵敏在和平里服务站值班，电话 13900000003。"
        )
        db.rollback()


def test_two_on_duty_at_once_and_an_inactive_account_skipped(engine, world: World) -> None:
    clock = FrozenClock(datetime(2026, 3, 1, tzinfo=UTC))
    li = staff_with_phone(
        engine, clock, unit=world.unit1, username="li", name="李红", phone="13900000001"
    )
    wang = staff_with_phone(
        engine, clock, unit=world.unit1, username="wang", name="王强", phone="13900000002"
    )
    with Session(engine) as db:
        set_phone(db, clock, world, world.unit1, "0431-80000001")
        add_shift(db, clock, world, staff_id=li.id, day=MONDAY, start=time(8), end=time(18))
        add_shift(
            db,
            clock,
            world,
            staff_id=wang.id,
            day=MONDAY,
            start=time(9),
            end=time(12),
            phone="0431-89999999",
        )
        assert _who(db, world, _at(MONDAY, 10)) == [
            ("shift", "李红", "13900000001"),
            ("shift", "王强", "0431-89999999"),  # the number typed on the shift wins
        ]
        row = db.get(StaffAccount, li.id)
        assert row is not None
        row.active = False  # left the centre: nobody must be sent to a dead number
        db.add(row)
        db.flush()
        assert _who(db, world, _at(MONDAY, 10)) == [("shift", "王强", "0431-89999999")]
        assert _who(db, world, _at(MONDAY, 13)) == [("unit", "第一军休所", "0431-80000001")]
        db.rollback()


def test_the_demo_has_phones_and_a_week_of_roster(engine, cipher) -> None:
    """`make run`: Wednesday 10:00 张敏 is on duty at 第一军休所; at night its main number."""
    from backend.core.db import transaction
    from backend.demo import load_demo

    clock = FrozenClock(datetime(2026, 11, 25, 2, 0, tzinfo=UTC))  # Wednesday 10:00
    with transaction(engine) as db:
        load_demo(db, clock=clock, cipher=cipher)
    with Session(engine) as db:
        retiree_unit = next(u for u in db.exec(select(Unit)).all() if u.name == "和平里服务站")
        now = service.on_duty(db, unit_id=retiree_unit.id or 0, at=clock.now())
        assert [(f.name, f.phone) for f in now] == [("张敏", "13901010001")]
        night = service.on_duty(db, unit_id=retiree_unit.id or 0, at=_at(date(2026, 11, 25), 22))
        assert [(f.unit_name, f.phone) for f in night] == [("第一军休所", "010-64210001")]
        shifts = db.exec(select(DutyShift)).all()
        assert len(shifts) == 12  # Monday to Saturday in each 军休所
