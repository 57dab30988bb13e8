"""The sign-up's notice is an outbox row committed with the booking and expanded after the
commit: a crash in between still delivers it, exactly once. On PostgreSQL the retiree's sign-up
expands it in the booking's own transaction (bookings/one_trip.py): there is no in between."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel import func, select

from backend.bookings.models import Booking
from backend.core.db import transaction
from backend.notices import fanout, scheduled
from backend.notices.models import InboxItem, Notice, WechatSend
from tests.activities.conftest import create_activity, sign_up
from tests.factories import World


def _delivered(engine, notice_id: int) -> tuple[int, int]:
    with transaction(engine) as db:
        inbox = db.exec(
            select(func.count()).select_from(InboxItem).where(InboxItem.notice_id == notice_id)
        ).one()
        pushes = db.exec(
            select(func.count()).select_from(WechatSend).where(WechatSend.notice_id == notice_id)
        ).one()
    return int(inbox), int(pushes)


def test_a_crash_between_commit_and_expansion_still_tells_once(
    client: httpx.Client,
    world: World,
    engine,
    clock,
    app_server,
    staff1,
    retiree_a,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    activity = create_activity(client, staff1, capacity=1)

    def crash(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the process stopped right after the commit")

    monkeypatch.setattr(fanout, "run_fan_out", crash)
    monkeypatch.setattr(fanout, "expand_known", crash)
    response = sign_up(client, retiree_a, activity["id"], world.retiree_a.id)
    assert response.status_code == 200 and response.json()["status_code"] == "confirmed"
    monkeypatch.undo()

    with transaction(engine) as db:
        booking = db.exec(select(Booking)).one()
        notice = db.exec(
            select(Notice).where(Notice.dedupe_key == f"booking:{booking.id}:confirmed")
        ).one()
    assert booking.status == "confirmed"
    if engine.dialect.name == "postgresql":
        # expanded with the booking, in its transaction: nothing was left for after the commit
        assert notice.status == "sent", "no booking is confirmed without its notice"
        once = _delivered(engine, notice.id or 0)
        assert once[0] >= 1 and once[1] >= 1
        scheduled.send_due_notices(app_server.app.state.ctx)
    else:
        assert notice.status == "sending", "no booking is confirmed without its notice"
        assert _delivered(engine, notice.id or 0) == (0, 0)
        assert client.get("/api/v1/inbox", headers=retiree_a).json()["data"] == []
        scheduled.send_due_notices(app_server.app.state.ctx)  # the job picks it up
    once = _delivered(engine, notice.id or 0)
    assert once[0] >= 1 and once[1] >= 1
    # Expanding again (the job's next run, or a late expansion racing it) tells nobody twice.
    fanout.run_fan_out(engine, clock=clock, notice_id=notice.id or 0)
    scheduled.send_due_notices(app_server.app.state.ctx)
    assert _delivered(engine, notice.id or 0) == once
    titles = [n["title"] for n in client.get("/api/v1/inbox", headers=retiree_a).json()["data"]]
    assert titles == ["报名成功"]


def test_the_notice_is_in_the_inbox_when_the_reply_arrives(
    client: httpx.Client, world: World, engine, staff1, retiree_a
) -> None:
    activity = create_activity(client, staff1, capacity=1)
    response = sign_up(client, retiree_a, activity["id"], world.retiree_a.id)
    assert response.status_code == 200
    titles = [n["title"] for n in client.get("/api/v1/inbox", headers=retiree_a).json()["data"]]
    assert titles == ["报名成功"]
    with transaction(engine) as db:
        assert db.exec(select(Notice.status)).all() == ["sent"]
