"""The console's people picker, as a service on the suite's database (SQLite, then PostgreSQL):
its queries run on both even though its page is tried in the browser only once."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine

from backend.accounts import picker
from backend.accounts.models import Unit
from backend.core.clock import FrozenClock
from backend.core.db import transaction
from backend.core.security import PersonalDataCipher
from tests.factories import World, id_number_for, make_retiree, mark_deceased


def _find(engine: Engine, cipher: PersonalDataCipher, scope: Unit, q: str) -> list[str]:
    with transaction(engine) as db:
        return [
            f"{p.name}/{p.unit_name}/{p.phone_masked}"
            for p in picker.find(db, cipher=cipher, scope=scope, q=q)
        ]


def test_by_name_phone_or_last_four_inside_the_scope_living_only(
    engine: Engine, clock: FrozenClock, cipher: PersonalDataCipher, world: World
) -> None:
    id_number = id_number_for(date(1938, 5, 1), serial=417)
    make_retiree(
        engine,
        clock,
        cipher,
        unit=world.unit1,
        name="王秀英",
        phone="13912345678",
        id_number=id_number,
    )
    gone = make_retiree(engine, clock, cipher, unit=world.unit1, name="王德胜")
    mark_deceased(engine, clock, gone.id, died_on=date(2026, 2, 1))
    # Staff of the first unit see its station's 王建国 and their own 王秀英, not the dead, not
    # the second unit's 李秀兰; the phone is masked.
    assert _find(engine, cipher, world.unit1, "王") == [
        "王建国/和平里服务站/138****8000",
        "王秀英/第一军休所/139****5678",
    ]
    assert _find(engine, cipher, world.unit1, "12345678") == ["王秀英/第一军休所/139****5678"]
    assert _find(engine, cipher, world.unit1, id_number[-4:]) == ["王秀英/第一军休所/139****5678"]
    assert _find(engine, cipher, world.unit1, "李秀兰") == []
    assert _find(engine, cipher, world.unit2, "李秀兰") == ["李秀兰/第二军休所/138****8000"]
    assert _find(engine, cipher, world.unit1, "   ") == []


def test_chosen_people_come_back_in_pick_order_and_only_inside_the_scope(
    engine: Engine, world: World
) -> None:
    a, b = world.retiree_a.id or 0, world.retiree_b.id or 0
    with transaction(engine) as db:
        assert [p.name for p in picker.chosen(db, scope=world.centre, ids=[b, a])] == [
            "李秀兰",
            "王建国",
        ]
        assert [p.name for p in picker.chosen(db, scope=world.unit1, ids=[b, a])] == ["王建国"]
        assert picker.chosen(db, scope=world.unit1, ids=[]) == []
    assert picker.parse_ids(["12", " 7 ", "x", "3;", ""]) == [12, 7]
