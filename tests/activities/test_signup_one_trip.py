"""On PostgreSQL a retiree's sign-up runs its locked part as one function in the database, sent
with its COMMIT (bookings/one_trip.py). It must book, queue, word and refuse exactly as the
statement-at-a-time path does (api._locked_sign_up, which meals, rides and staff still use)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from backend.accounts.models import FamilyBinding, Retiree
from backend.activities import service
from backend.bookings import api, notifier, one_trip
from backend.bookings.models import Bookable, Booking
from backend.core.clock import FrozenClock
from backend.core.db import after_commit, send_with_commit, transaction
from backend.core.errors import Conflict
from backend.notices.models import InboxItem, Notice, WechatSend
from tests.activities.conftest import create_activity
from tests.factories import World, make_family, make_retiree


@pytest.fixture(autouse=True)
def _postgres_only(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no functions in the database: it keeps the Python path")


def _people(engine: Engine, clock: FrozenClock, cipher, world: World, n: int) -> list[int]:
    return [
        make_retiree(engine, clock, cipher, unit=world.unit1, name=f"报名{i}").id or 0
        for i in range(n)
    ]


def _with_wechat_and_family(engine: Engine, clock: FrozenClock, cipher, world: World) -> list[int]:
    """Four people whose notices reach different people: WeChat of their own or not, a family
    member who takes copies, one whose binding was revoked, one who does not take notices."""
    people = [
        make_retiree(engine, clock, cipher, unit=world.unit1, name=f"报名{i}", wechat_openid=openid)
        for i, openid in enumerate(["openid-s0", None, "openid-s2", None])
    ]
    make_family(engine, clock, retiree=people[0], openid="openid-f0")
    make_family(engine, clock, retiree=people[1], openid="openid-f1")
    revoked = make_family(engine, clock, retiree=people[1], openid="openid-f1r")
    make_family(engine, clock, retiree=people[2], openid="openid-f2", can_receive_notices=False)
    with transaction(engine) as db:
        binding = db.get(FamilyBinding, revoked.id)
        assert binding is not None
        binding.revoked_at = clock.now()
        db.add(binding)
    return [p.id or 0 for p in people]


def _sign_up(
    engine: Engine,
    clock: FrozenClock,
    activity_id: int,
    retiree_id: int,
    *,
    one_call: bool,
    key: str | None = None,
    quantity: int = 1,
) -> api.Booked:
    with transaction(engine) as db:
        retiree = db.get(Retiree, retiree_id)
        assert retiree is not None
        _, booked = service.sign_up(
            db,
            clock=clock,
            activity_id=activity_id,
            retiree=retiree,
            quantity=quantity,
            notes=" 坐轮椅 ",
            booked_by="self",
            channel="小程序",
            idempotency_key=key,
            commits_next=one_call,
        )
        return booked


def _bookable_id(engine: Engine, activity_id: int) -> int:
    with Session(engine) as db:
        return service.get(db, activity_id)[1].id or 0


def _written(engine: Engine, bookable_id: int) -> list[dict[str, Any]]:
    """Each booking of the bookable with its notice, in order, without ids or the bookable."""
    with Session(engine) as db:
        rows = db.exec(
            select(Booking).where(Booking.bookable_id == bookable_id).order_by(col(Booking.id))
        ).all()
        result = []
        for b in rows:
            notices = db.exec(
                select(Notice).where(col(Notice.dedupe_key).like(f"booking:{b.id}:%"))
            ).all()
            inbox = db.exec(
                select(InboxItem).where(col(InboxItem.notice_id).in_([n.id for n in notices]))
            ).all()
            sends = db.exec(
                select(WechatSend).where(col(WechatSend.notice_id).in_([n.id for n in notices]))
            ).all()
            by_item = {i.id: i for i in inbox}
            result.append(
                {
                    "booking": b.model_dump(exclude={"id", "bookable_id"}),
                    "notices": [
                        n.model_dump(exclude={"id", "dedupe_key"})
                        | {"key_ends": (n.dedupe_key or "").rsplit(":", 1)[-1]}
                        for n in notices
                    ],
                    "inbox": sorted(
                        (i.retiree_id, i.copy_binding_id, i.wechat_user_id) for i in inbox
                    ),
                    "wechat": sorted(
                        (
                            by_item[w.inbox_item_id].copy_binding_id,
                            w.wechat_user_id,
                            w.template_key,
                            w.status,
                            w.attempts,
                            w.consent_spent,
                        )
                        for w in sends
                    ),
                }
            )
        return result


def test_both_paths_book_queue_and_tell_alike(
    client, world: World, engine, clock, cipher, staff1
) -> None:
    people = _with_wechat_and_family(engine, clock, cipher, world)
    written = {}
    for one_call in (True, False):
        activity = create_activity(client, staff1, capacity=2)
        answers = [
            _sign_up(engine, clock, activity["id"], p, one_call=one_call, key=f"k{one_call}{p}")
            for p in people
        ]
        assert [a.booking.status for a in answers] == [
            "confirmed",
            "confirmed",
            "waitlisted",
            "waitlisted",
        ]
        assert [a.position for a in answers] == [None, None, 1, 2]
        bookable_id = _bookable_id(engine, activity["id"])
        written[one_call] = _written(engine, bookable_id)
        with Session(engine) as db:
            assert db.get(Bookable, bookable_id).confirmed_count == 2  # type: ignore[union-attr]
    for one, other in zip(written[True], written[False], strict=True):
        assert one["booking"] | {"idempotency_key": None} == other["booking"] | {
            "idempotency_key": None
        }
        assert one["notices"] == other["notices"] and len(one["notices"]) == 1
        assert one["inbox"] == other["inbox"] and one["inbox"], "expanded"
        assert one["wechat"] == other["wechat"]
    # each person's own copy; the copy of a family member who takes notices; WeChat messages
    # for those with WeChat (the revoked and the one who takes no notices: nothing)
    assert [len(w["inbox"]) for w in written[True]] == [2, 2, 1, 1]
    assert [len(w["wechat"]) for w in written[True]] == [2, 1, 1, 0]
    assert all(w["notices"][0]["status"] == "sent" for w in written[True])
    bodies = [w["notices"][0]["body"] for w in written[True]]
    assert "候补第1位" in bodies[2] and "候补第2位" in bodies[3], bodies
    assert "\ue000" not in "".join(bodies)


def test_a_repeat_answers_the_first_booking_and_a_second_one_is_refused(
    client, world: World, engine, clock, cipher, staff1
) -> None:
    (person,) = _people(engine, clock, cipher, world, 1)
    activity = create_activity(client, staff1, capacity=2)
    first = _sign_up(engine, clock, activity["id"], person, one_call=True, key="same")
    again = _sign_up(engine, clock, activity["id"], person, one_call=True, key="same")
    assert again.booking.id == first.booking.id
    with pytest.raises(Conflict):
        _sign_up(engine, clock, activity["id"], person, one_call=True, key="other")
    assert len(_written(engine, _bookable_id(engine, activity["id"]))) == 1


def _stale(engine: Engine, activity_id: int) -> tuple[Bookable, int]:
    """The activity's bookable as read now (a sign-up's read before the lock)."""
    with Session(engine, expire_on_commit=False) as db:
        bookable = service.get(db, activity_id)[1]
        db.expunge_all()
    return bookable, bookable.id or 0


def _call_one_trip(engine, clock, bookable: Bookable, retiree_id: int) -> one_trip.Outcome:
    with transaction(engine) as db:
        retiree = db.get(Retiree, retiree_id)
        assert retiree is not None
        booking = Booking(
            bookable_id=bookable.id or 0,
            retiree_id=retiree_id,
            unit_id=retiree.unit_id,
            quantity=1,
            status="waitlisted",
            booked_by="self",
            created_at=clock.now(),
        )
        outcome = one_trip.sign_up(db, bookable=bookable, booking=booking, retiree=retiree)
        db.commit()
        assert booking.id is None, "nothing written"
        return outcome


def test_a_thing_cancelled_or_changed_after_it_was_read_writes_nothing(
    client, world: World, engine, clock, cipher, staff1
) -> None:
    (person,) = _people(engine, clock, cipher, world, 1)
    changed = create_activity(client, staff1)
    read_before, changed_id = _stale(engine, changed["id"])
    with transaction(engine) as db:
        api.update_bookable(db, clock=clock, bookable_id=changed_id, title="改到香山")
    assert _call_one_trip(engine, clock, read_before, person).outcome == "changed"

    cancelled = create_activity(client, staff1)
    read_before, cancelled_id = _stale(engine, cancelled["id"])
    with transaction(engine) as db:
        api.cancel_bookable(db, clock=clock, bookable_id=cancelled_id, reason="下雨", by="staff")
    assert _call_one_trip(engine, clock, read_before, person).outcome == "closed"

    gone = Bookable.model_validate(read_before.model_dump() | {"id": 10**9})
    assert _call_one_trip(engine, clock, gone, person).outcome == "missing"
    assert _written(engine, changed_id) == [] and _written(engine, cancelled_id) == []


def test_a_change_under_the_lock_is_told_in_its_new_words(
    client, world: World, engine, clock, cipher, staff1
) -> None:
    (person,) = _people(engine, clock, cipher, world, 1)
    activity = create_activity(client, staff1)
    bookable_id = _bookable_id(engine, activity["id"])
    with transaction(engine) as db:
        retiree = db.get(Retiree, person)
        assert retiree is not None
        db.get(Bookable, bookable_id)  # read before staff change it: the session keeps it
        with transaction(engine) as staff_db:
            api.update_bookable(staff_db, clock=clock, bookable_id=bookable_id, title="改到香山")
        booked = api.sign_up(
            db,
            clock=clock,
            bookable_id=bookable_id,
            retiree=retiree,
            quantity=1,
            notes=None,
            booked_by="self",
            channel="小程序",
            idempotency_key=None,
            commits_next=True,
        )
    assert booked.booking.status == "confirmed"
    (written,) = _written(engine, bookable_id)
    assert "改到香山" in written["notices"][0]["body"], written


def test_a_kind_nobody_words_is_booked_without_a_notice(
    client, world: World, engine, clock, cipher, staff1, monkeypatch
) -> None:
    (person,) = _people(engine, clock, cipher, world, 1)
    activity = create_activity(client, staff1)
    monkeypatch.setattr(notifier, "_by_kind", {})
    booked = _sign_up(engine, clock, activity["id"], person, one_call=True)
    assert booked.booking.status == "confirmed"
    (written,) = _written(engine, _bookable_id(engine, activity["id"]))
    assert written["notices"] == []


def test_the_statement_is_committed_with_its_commit_and_a_failure_commits_nothing(
    engine: Engine,
) -> None:
    with Session(engine) as db:
        db.execute(text("CREATE TABLE IF NOT EXISTS one_trip_probe (n integer PRIMARY KEY)"))
        db.execute(text("TRUNCATE one_trip_probe"))
        db.commit()
    ran: list[str] = []
    with Session(engine) as db:
        db.execute(text("INSERT INTO one_trip_probe VALUES (1)"))  # earlier in the transaction
        row = send_with_commit(
            db, "INSERT INTO one_trip_probe VALUES (%(n)s) RETURNING n", {"n": 2}
        )
        assert row == (2,)
        with engine.connect() as other:  # committed before the session's own commit
            seen = other.execute(text("SELECT n FROM one_trip_probe ORDER BY n")).scalars()
            assert list(seen) == [1, 2]
        after_commit(db, lambda: ran.append("after"))
        db.commit()
    assert ran == ["after"]
    with Session(engine) as db:
        db.execute(text("INSERT INTO one_trip_probe VALUES (3)"))
        with pytest.raises(sa_exc.IntegrityError) as raised:
            send_with_commit(db, "INSERT INTO one_trip_probe VALUES (%(n)s)", {"n": 1})
        assert "{'n': 1}" not in str(raised.value), "no parameters in the error"
        db.rollback()
        with engine.connect() as other:
            seen = other.execute(text("SELECT n FROM one_trip_probe ORDER BY n")).scalars()
            assert list(seen) == [1, 2], "nothing of the failed transaction"
        db.execute(text("DROP TABLE one_trip_probe"))
        db.commit()
