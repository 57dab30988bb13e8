"""One ratings table: idempotent per (source, thing, retiree); the three buttons only for what
the retiree was asked about; the satisfied rate per unit subtree, period and source."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session, col, select

from backend.core.actors import Actor
from backend.core.db import transaction
from backend.core.errors import NotFound
from backend.notices.models import Notice
from backend.satisfaction import service, stats
from backend.satisfaction.models import SatisfactionRating
from backend.satisfaction.schemas import RatingIn, Score, Source
from tests.satisfaction.conftest import rate, shanghai


def _rows(engine) -> list[SatisfactionRating]:
    with Session(engine) as db:
        return list(db.exec(select(SatisfactionRating).order_by(col(SatisfactionRating.id))).all())


def test_a_second_tap_changes_nothing_and_a_different_one_corrects(engine, clock, world) -> None:
    a, unit = world.retiree_a.id, world.station1.id
    rate(engine, clock, retiree_id=a, unit_id=unit, score=Score.poor)
    first = _rows(engine)[0]
    clock.advance(timedelta(minutes=5))
    rate(engine, clock, retiree_id=a, unit_id=unit, score=Score.poor)
    again = _rows(engine)
    assert len(again) == 1 and again[0].updated_at == first.updated_at
    clock.advance(timedelta(days=40))  # corrected later: still counted when it was first given
    rate(engine, clock, retiree_id=a, unit_id=unit, score=Score.good)
    (row,) = _rows(engine)
    assert (row.score, row.rated_at) == ("满意", first.rated_at)
    with Session(engine) as db:
        march = stats.monthly_figures(
            db, unit_ids=[unit], start=date(2026, 3, 1), end=date(2026, 3, 31)
        )
    assert march[unit] == {"rated": 1, "satisfied": 1, "rate": 1.0}


def test_the_buttons_answer_only_what_was_asked(engine, clock, world) -> None:
    a = world.retiree_a.id
    data = RatingIn(source=Source.ride, source_id=7, retiree_id=a, score=Score.fair)
    with transaction(engine) as db, pytest.raises(NotFound):
        service.rate_own(db, clock=clock, data=data, by="self")
    with transaction(engine) as db:
        assert service.invite(
            db,
            clock=clock,
            source=Source.ride,
            source_id=7,
            retiree_id=a,
            unit_id=world.station1.id,
            label="3月2日的用车",
        )
        assert not service.invite(  # once
            db,
            clock=clock,
            source=Source.ride,
            source_id=7,
            retiree_id=a,
            unit_id=world.station1.id,
            label="3月2日的用车",
        )
    with Session(engine) as db:
        pending = service.pending(db, clock=clock, retiree_id=a)
        keys = db.exec(select(Notice.dedupe_key).where(Notice.kind == "system")).all()
    assert [p.label for p in pending] == ["3月2日的用车"]
    assert keys == [f"satisfaction:ask:ride:7:{a}"]
    with transaction(engine) as db:
        service.rate_own(db, clock=clock, data=data, by=Actor.self_().label)
    with Session(engine) as db:
        assert service.pending(db, clock=clock, retiree_id=a) == []
        assert service.state(db, source=Source.ride, source_id=7, retiree_id=a).score == "基本满意"
    # Someone else was not asked about this ride.
    other = data.model_copy(update={"retiree_id": world.retiree_b.id})
    with transaction(engine) as db, pytest.raises(NotFound):
        service.rate_own(db, clock=clock, data=other, by="self")


def test_rate_per_unit_subtree_period_and_source(engine, clock, world) -> None:
    station, unit1, unit2, centre = (
        world.station1.id,
        world.unit1.id,
        world.unit2.id,
        world.centre.id,
    )
    a, b = world.retiree_a.id, world.retiree_b.id
    clock.set(shanghai(2026, 3, 10, 12))
    for i, score in enumerate([Score.good] * 8 + [Score.fair, Score.poor]):
        rate(engine, clock, retiree_id=a, unit_id=station, score=score, source_id=i + 1)
    for i, score in enumerate([Score.good, Score.poor]):
        rate(engine, clock, retiree_id=b, unit_id=unit2, score=score, source_id=i + 1)
    rate(engine, clock, retiree_id=b, unit_id=unit2, score=Score.poor, source=Source.ride)
    clock.set(shanghai(2026, 4, 1, 0, 30))  # April in Shanghai: not in March
    rate(engine, clock, retiree_id=b, unit_id=unit2, score=Score.good, source_id=99)
    with transaction(engine) as db:  # asked, never answered: not counted
        service.invite(
            db,
            clock=clock,
            source=Source.meal,
            source_id=500,
            retiree_id=a,
            unit_id=station,
            label="x",
            notify=False,
        )
    march = (date(2026, 3, 1), date(2026, 3, 31))
    with Session(engine) as db:
        figures = stats.monthly_figures(
            db, unit_ids=[unit1, unit2, centre], start=march[0], end=march[1]
        )
        meals = stats.unit_rates(
            db, unit_ids=[unit1, unit2], start=march[0], end=march[1], source=Source.meal
        )
    assert figures[unit1] == {"rated": 10, "satisfied": 9, "rate": 0.9}  # its station counts
    assert figures[unit2] == {"rated": 3, "satisfied": 1, "rate": pytest.approx(1 / 3)}
    assert figures[centre]["rated"] == 13
    assert [(r.unit_name, r.rated, r.meets_target) for r in meals] == [
        ("第一军休所", 10, True),  # exactly 90% reaches the line
        ("第二军休所", 2, False),
    ]


def test_nobody_rated_is_no_rate_not_zero(engine, clock, world) -> None:
    with Session(engine) as db:
        (row,) = stats.unit_rates(
            db, unit_ids=[world.unit1.id], start=date(2026, 3, 1), end=date(2026, 3, 31)
        )
    assert (row.rated, row.rate, row.meets_target) == (0, None, None)


def test_an_unanswered_question_leaves_the_list_after_30_days(engine, clock, world) -> None:
    a = world.retiree_a.id
    with transaction(engine) as db:
        service.invite(
            db,
            clock=clock,
            source=Source.meal,
            source_id=3,
            retiree_id=a,
            unit_id=world.station1.id,
            label="3月2日午餐",
        )
    clock.advance(timedelta(days=30))
    with Session(engine) as db:
        assert len(service.pending(db, clock=clock, retiree_id=a)) == 1
    clock.advance(timedelta(minutes=1))
    with Session(engine) as db:
        assert service.pending(db, clock=clock, retiree_id=a) == []
