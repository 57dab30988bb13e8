"""Ratings after a completed ride, a served meal and an attended activity: asked once (the
inbox notice and the detail's buttons), answered with one tap, counted in the rate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from sqlmodel import Session, col, select

from backend.activities import ratings as activity_ratings
from backend.core.db import transaction
from backend.meals import ratings as meal_ratings
from backend.notices.models import Notice
from backend.satisfaction.models import SatisfactionRating
from tests.activities.conftest import create_activity, sign_up
from tests.factories import World, staff_headers
from tests.meals.conftest import order, publish
from tests.rides.conftest import ask_by_staff, dispatch, fleet  # noqa: F401 - fixture
from tests.satisfaction.conftest import shanghai

PENDING = "/api/v1/satisfaction/ratings/pending"


def _ask_keys(engine) -> list[str]:
    with Session(engine) as db:
        keys = db.exec(
            select(Notice.dedupe_key).where(col(Notice.dedupe_key).startswith("satisfaction:"))
        ).all()
    return sorted(k for k in keys if k)


def test_a_completed_ride_asks_once_and_takes_one_tap(
    client: httpx.Client,
    engine,
    clock,
    world: World,
    staff1,
    retiree_a,
    fleet,  # noqa: F811
) -> None:
    a = world.retiree_a.id
    ride = ask_by_staff(client, staff1, a, pickup_at="2026-03-03T09:00:00+08:00")
    assert dispatch(client, staff1, [ride["id"]], fleet.van, fleet.zhao).status_code == 201
    clock.set(shanghai(2026, 3, 3, 11))
    staff1 = staff_headers(client, "staff1")
    assert client.post(f"/api/v1/staff/rides/{ride['id']}/complete", headers=staff1).is_success
    inbox = client.get("/api/v1/inbox", headers=retiree_a).json()["data"]
    ask = next(n for n in inbox if n["title"].startswith("请评价"))
    assert ask["title"] == "请评价：3月3日的用车"
    assert ask["link_page"] == f"pages/rate/rate?source=ride&id={ride['id']}&retiree_id={a}"
    pending = client.get(PENDING, params={"retiree_id": a}, headers=retiree_a).json()["data"]
    assert [(p["source"], p["source_id"]) for p in pending] == [("ride", ride["id"])]

    body = {"source": "ride", "source_id": ride["id"], "retiree_id": a, "score": "不满意"}
    tapped = client.post("/api/v1/satisfaction/ratings", json=body, headers=retiree_a)
    assert tapped.status_code == 200 and tapped.json()["score"] == "不满意"
    fixed = client.post(
        "/api/v1/satisfaction/ratings", json={**body, "score": "满意"}, headers=retiree_a
    )
    assert fixed.json()["score"] == "满意" and fixed.json()["rated_at"] == tapped.json()["rated_at"]
    state = client.get(
        "/api/v1/satisfaction/ratings",
        params={"source": "ride", "source_id": ride["id"], "retiree_id": a},
        headers=retiree_a,
    )
    assert state.json()["score"] == "满意"
    assert client.get(PENDING, params={"retiree_id": a}, headers=retiree_a).json()["data"] == []
    # A ride that is not hers: the same "not found" as one that does not exist.
    other = client.post(
        "/api/v1/satisfaction/ratings", json={**body, "source_id": 999}, headers=retiree_a
    )
    assert other.status_code == 404 and "没有找到要评价的事" in other.json()["message"]
    rates = client.get(
        "/api/v1/staff/satisfaction/rates",
        params={"start": "2026-03-01", "end": "2026-03-31", "source": "ride"},
        headers=staff1,
    ).json()
    assert (rates["total"]["rated"], rates["total"]["satisfied"]) == (1, 1)


def test_served_meals_are_offered_with_one_notice_a_week(
    client: httpx.Client, engine, clock, world: World, staff1, retiree_a
) -> None:
    a = world.retiree_a.id
    tuesday = publish(client, staff1, day="2026-03-03")
    wednesday = publish(client, staff1, day="2026-03-04")
    first = order(client, retiree_a, a, tuesday["options"][0]["id"])
    second = order(client, retiree_a, a, wednesday["options"][0]["id"])
    assert first.status_code == second.status_code == 200, first.text
    clock.set(shanghai(2026, 3, 3, 12, 0))  # lunch at 11:30, not yet an hour ago
    with transaction(engine) as db:
        assert meal_ratings.ask_ratings(db, clock=clock) == 0
    clock.set(shanghai(2026, 3, 3, 12, 30))
    with transaction(engine) as db:
        assert meal_ratings.ask_ratings(db, clock=clock) == 1
    with transaction(engine) as db:
        assert meal_ratings.ask_ratings(db, clock=clock) == 0  # once
    clock.set(shanghai(2026, 3, 4, 13, 0))
    with transaction(engine) as db:
        assert meal_ratings.ask_ratings(db, clock=clock) == 1
    assert _ask_keys(engine) == [f"satisfaction:ask:meal:{a}:2026-10"]  # one notice this week
    pending = client.get(PENDING, params={"retiree_id": a}, headers=retiree_a).json()["data"]
    assert [p["label"] for p in pending] == ["3月4日午餐", "3月3日午餐"]
    body = {"source": "meal", "source_id": pending[0]["source_id"], "retiree_id": a}
    tapped = client.post(
        "/api/v1/satisfaction/ratings", json={**body, "score": "基本满意"}, headers=retiree_a
    )
    assert tapped.status_code == 200
    with Session(engine) as db:
        row = db.exec(
            select(SatisfactionRating).where(SatisfactionRating.score == "基本满意")
        ).one()
    assert (row.source, row.unit_id) == ("meal", world.station1.id)


def test_an_activity_rating_folds_into_the_one_table(
    client: httpx.Client, engine, clock, world: World, staff1, retiree_a
) -> None:
    a = world.retiree_a.id
    activity = create_activity(client, staff1, ends_at="2026-03-10T11:00:00+08:00")
    booking = sign_up(client, retiree_a, activity["id"], a).json()
    mark = client.post(
        f"/api/v1/staff/bookings/{booking['id']}/attendance",
        json={"attended": True},
        headers=staff1,
    )
    assert mark.status_code == 200
    clock.set(datetime(2026, 3, 10, 4, 0, tzinfo=UTC))  # 12:00, an hour after the end
    with transaction(engine) as db:
        assert activity_ratings.ask_ratings(db, clock=clock) == 1
    inbox = client.get("/api/v1/inbox", headers=retiree_a).json()["data"]
    ask = next(n for n in inbox if n["title"].startswith("请评价"))
    assert ask["link_page"] == f"pages/activity/activity?id={activity['id']}"
    # The activity page keeps its own three answers; 一般 is 基本满意 on the one scale.
    rated = client.post(
        f"/api/v1/bookings/{booking['id']}/rating", json={"rating": "一般"}, headers=retiree_a
    )
    assert rated.json()["rating"] == "一般"
    with Session(engine) as db:
        row = db.exec(
            select(SatisfactionRating).where(SatisfactionRating.source == "activity")
        ).one()
    assert (row.score, row.rated_by) == ("基本满意", "self")
    # The buttons page does not rate activities (their page does, so both agree).
    body = {"source": "activity", "source_id": booking["id"], "retiree_id": a, "score": "满意"}
    assert (
        client.post("/api/v1/satisfaction/ratings", json=body, headers=retiree_a).status_code == 404
    )
    clock.set(clock.now() + timedelta(hours=1))
    with transaction(engine) as db:
        assert activity_ratings.ask_ratings(db, clock=clock) == 0


def test_no_rating_notice_at_night_and_no_end_time_means_two_hours(
    client: httpx.Client, engine, clock, ctx, world: World, staff1, retiree_a
) -> None:
    from backend.activities import scheduled as activity_jobs
    from backend.meals import scheduled as meal_jobs

    a = world.retiree_a.id
    activity = create_activity(client, staff1)  # 09:00, no end time
    booking = sign_up(client, retiree_a, activity["id"], a).json()
    client.post(
        f"/api/v1/staff/bookings/{booking['id']}/attendance",
        json={"attended": True},
        headers=staff1,
    )
    clock.set(shanghai(2026, 3, 10, 10, 59))
    assert activity_jobs.ask_ratings(ctx) == 0  # not two hours yet
    clock.set(shanghai(2026, 3, 10, 22, 0))
    assert activity_jobs.ask_ratings(ctx) == 0 and meal_jobs.ask_ratings(ctx) == 0  # night
    clock.set(shanghai(2026, 3, 11, 9, 0))
    assert activity_jobs.ask_ratings(ctx) == 1
