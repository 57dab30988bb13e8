"""The scope seam: one getter for "this row, if it is inside what this staff member may see"."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.accounts.scope import (
    Scope,
    above_or_below,
    ancestor_ids,
    at_or_above,
    contains,
    get_scoped,
    staff_actor,
    unit_in,
)
from backend.botchat.models import BotQuestion
from backend.core.actors import Actor, persisted_id
from backend.core.clock import FrozenClock
from backend.core.errors import BadRequest, NotFound
from tests.factories import World


def _ids(world: World) -> tuple[int, int, int, int]:
    return (
        persisted_id(world.centre),
        persisted_id(world.unit1),
        persisted_id(world.station1),
        persisted_id(world.unit2),
    )


def test_ancestor_ids_read_the_path_top_first(world: World) -> None:
    centre, unit1, station1, _ = _ids(world)
    assert ancestor_ids(world.station1) == [centre, unit1, station1]
    assert ancestor_ids(world.centre) == [centre]


def test_contains_is_the_subtree(world: World) -> None:
    assert contains(world.unit1, world.station1)
    assert contains(world.unit1, world.unit1)
    assert not contains(world.unit1, world.unit2)
    assert not contains(world.station1, world.unit1)


def test_unit_in_and_above_or_below_in_sql(engine: Engine, world: World) -> None:
    centre, unit1, station1, unit2 = _ids(world)
    with Session(engine) as db:
        below = set(db.exec(select(Unit.id).where(unit_in(Unit.id, world.unit1))).all())
        line = set(db.exec(select(Unit.id).where(above_or_below(Unit.id, world.unit1))).all())
        retirees = db.exec(select(Retiree.name).where(unit_in(Retiree.unit_id, world.unit1)))
        assert below == {unit1, station1}
        assert line == {centre, unit1, station1}
        assert unit2 not in line
        assert list(retirees.all()) == ["王建国"]


def test_at_or_above_in_sql_is_ancestor_ids(engine: Engine, world: World) -> None:
    """The units at or above a unit, read from its path inside the query (a list that does not
    read the unit first), are exactly ancestor_ids."""
    home = aliased(Unit, name="home")
    with Session(engine) as db:
        for unit in (world.centre, world.unit1, world.station1, world.unit2):
            found = db.exec(
                select(Unit.id)
                .join(home, col(home.id) == persisted_id(unit))
                .where(at_or_above(Unit.id, home))
            ).all()
            assert sorted(found) == sorted(ancestor_ids(unit)), unit.name


def test_get_scoped_returns_a_row_inside(engine: Engine, world: World) -> None:
    with Session(engine) as db:
        row = get_scoped(db, Retiree, persisted_id(world.retiree_a), world.unit1)
        assert row.name == "王建国"
        staff = get_scoped(db, StaffAccount, persisted_id(world.staff2), world.centre)
        assert staff.username == "staff2"


def test_get_scoped_answers_outside_and_missing_alike(engine: Engine, world: World) -> None:
    with Session(engine) as db:
        with pytest.raises(NotFound) as outside:
            get_scoped(db, Retiree, persisted_id(world.retiree_b), world.unit1)
        with pytest.raises(NotFound) as missing:
            get_scoped(db, Retiree, 999_999, world.unit1)
        assert outside.value.message == missing.value.message == "没有找到这位老同志。"
        with pytest.raises(BadRequest, match="请从列表里选择"):
            get_scoped(
                db,
                Unit,
                persisted_id(world.unit2),
                world.unit1,
                missing="请从列表里选择。",
                refuse=BadRequest,
            )


def test_rows_without_a_unit_are_seen_from_the_top_only(
    engine: Engine, world: World, clock: FrozenClock
) -> None:
    with Session(engine) as db:
        question = BotQuestion(
            at=clock.now(), channel="miniprogram", question="医药费怎么报销", kind="abstained"
        )
        db.add(question)
        db.flush()
        assert get_scoped(db, BotQuestion, persisted_id(question), world.centre) is question
        with pytest.raises(NotFound, match="没有找到这个问题"):
            get_scoped(db, BotQuestion, persisted_id(question), world.unit1)
        db.rollback()


def test_scope_value_carries_the_actor(engine: Engine, world: World) -> None:
    scope = Scope.of_staff(world.unit1, world.staff1)
    assert scope.actor == staff_actor(world.staff1)
    assert scope.actor.label == f"staff:{world.staff1.id}"
    assert scope.contains(world.station1) and not scope.contains(world.unit2)
    with Session(engine) as db:
        assert scope.get(db, Retiree, persisted_id(world.retiree_a)).name == "王建国"


def test_actor_labels_keep_the_stored_text() -> None:
    assert Actor.staff(12).label == "staff:12"
    assert Actor.family(7).label == "family:7"
    assert Actor.retiree(3).label == "retiree:3"
    assert Actor.self_().label == "self"
    assert Actor.system().label == "system"
    assert Actor.system("cutoff").label == "system:cutoff"


def test_persisted_id_refuses_an_unsaved_row(clock: FrozenClock) -> None:
    with pytest.raises(RuntimeError, match="flush"):
        persisted_id(Unit(name="x", kind="军休所", created_at=clock.now()))  # type: ignore[arg-type]
