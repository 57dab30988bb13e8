"""定人包户 and the week's list: week boundaries in Asia/Shanghai, frequency per care flag (and
per unit), overdue first, scope."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session

from backend.accounts.enums import CareFlag
from backend.core.errors import BadRequest, NotFound
from backend.visits import plans
from backend.visits.schemas import FrequencyIn, VisitKind
from tests.factories import World, make_retiree
from tests.visits.conftest import assign, due_ids, scope_of, visit


def test_the_week_turns_at_midnight_in_shanghai_not_in_utc(
    db: Session, world: World, clock
) -> None:
    assign(db, clock, world.staff1, world.staff1, world.retiree_a.id)
    visit(db, clock, world.staff1, world.retiree_a.id)  # Monday 2 March, at home
    # 独居: monthly at home → due Thursday 2 April.
    clock.set(datetime(2026, 3, 29, 15, 30, tzinfo=UTC))  # Sunday 29 March 23:30 in Shanghai
    assert due_ids(db, clock, world.staff1) == {}
    clock.set(datetime(2026, 3, 29, 16, 30, tzinfo=UTC))  # Monday 30 March 00:30 (UTC: Sunday)
    page = plans.due_this_week(
        db, clock=clock, scope=scope_of(db, world.staff1), staff=world.staff1
    )
    assert (page.week_starts_on, page.week_ends_on) == (date(2026, 3, 30), date(2026, 4, 5))
    assert [(r.retiree_id, r.due_on, r.overdue) for r in page.data] == [
        (world.retiree_a.id, date(2026, 4, 2), False)
    ]
    clock.set(datetime(2026, 4, 2, 16, 30, tzinfo=UTC))  # Friday 3 April 00:30
    assert (
        plans.due_this_week(db, clock=clock, scope=scope_of(db, world.staff1), staff=world.staff1)
        .data[0]
        .overdue
    )


def test_frequency_follows_the_care_flags_and_the_unit_setting(
    db: Session, world: World, clock, engine, cipher
) -> None:
    plain = make_retiree(engine, clock, cipher, unit=world.station1, name="赵平")
    ill = make_retiree(
        engine,
        clock,
        cipher,
        unit=world.station1,
        name="钱重",
        care_flags=(CareFlag.seriously_ill, CareFlag.advanced_age),
    )
    ids = (world.retiree_a.id, plain.id, ill.id)
    assign(db, clock, world.staff1, world.staff1, *ids)
    for rid in ids:
        visit(db, clock, world.staff1, rid)
    # A phone call does not stand in for the monthly home visit of someone living alone.
    clock.set(datetime(2026, 3, 20, 2, 0, tzinfo=UTC))
    visit(db, clock, world.staff1, world.retiree_a.id, VisitKind.phone)
    clock.set(datetime(2026, 4, 2, 2, 0, tzinfo=UTC))  # week 30 March – 5 April
    # 独居 and 重病 (the stricter of 重病 and 高龄) monthly; no flag quarterly.
    assert due_ids(db, clock, world.staff1) == {
        world.retiree_a.id: date(2026, 4, 2),
        ill.id: date(2026, 4, 2),
    }
    # The institute visits everyone without a flag monthly: its station inherits it.
    plans.set_frequency(
        db,
        clock=clock,
        staff=world.staff1,
        scope=scope_of(db, world.staff1),
        unit_id=world.unit1.id,
        data=FrequencyIn(flag="其他", every_months=1, at_home=False),
    )
    db.commit()
    assert plain.id in due_ids(db, clock, world.staff1)
    rows = {r.flag: r for r in plans.frequencies(db, unit=world.station1).data}
    assert (rows["其他"].every_months, rows["其他"].own) == (1, False)
    assert (rows["失能"].every_months, rows["失能"].at_home) == (1, True)
    assert rows["空巢"].every_months == 3
    with pytest.raises(BadRequest):
        plans.set_frequency(
            db,
            clock=clock,
            staff=world.staff1,
            scope=scope_of(db, world.staff1),
            unit_id=world.unit1.id,
            data=FrequencyIn(flag="随便", every_months=1),
        )


def test_never_visited_is_due_from_the_day_assigned_and_overdue_comes_first(
    db: Session, world: World, clock, engine, cipher
) -> None:
    later = make_retiree(engine, clock, cipher, unit=world.station1, name="孙后")
    assign(db, clock, world.staff1, world.staff1, world.retiree_a.id)
    clock.set(datetime(2026, 3, 4, 2, 0, tzinfo=UTC))
    assign(db, clock, world.staff1, world.staff1, later.id)
    page = plans.due_this_week(
        db, clock=clock, scope=scope_of(db, world.staff1), staff=world.staff1
    )
    assert [(r.retiree_id, r.overdue) for r in page.data] == [
        (world.retiree_a.id, True),
        (later.id, False),
    ]


def test_my_list_holds_only_whom_i_look_after_and_scope_holds(
    db: Session, world: World, clock, engine, cipher
) -> None:
    from tests.factories import make_staff

    colleague = make_staff(engine, clock, unit=world.station1, username="station-staff")
    assert assign(db, clock, world.staff1, colleague, world.retiree_a.id) == 1
    assert assign(db, clock, world.staff1, colleague, world.retiree_a.id) == 0  # no change
    assert due_ids(db, clock, world.staff1) == {}
    assert world.retiree_a.id in due_ids(db, clock, world.staff1, mine=False)
    assert world.retiree_a.id in due_ids(db, clock, colleague)
    assert world.retiree_b.id not in due_ids(db, clock, world.staff1, mine=False)
    # Another institute's staff cannot see, assign or visit retiree A.
    with pytest.raises(BadRequest):
        assign(db, clock, world.staff2, world.staff2, world.retiree_a.id)
    db.rollback()
    with pytest.raises(NotFound):
        visit(db, clock, world.staff2, world.retiree_a.id)
    db.rollback()
    # The centre cannot give retiree B (second institute) to staff of the first.
    with pytest.raises(BadRequest, match="不在"):
        assign(db, clock, world.admin, world.staff1, world.retiree_b.id)
