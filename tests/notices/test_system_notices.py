"""The internal API other features call: tell this retiree X, once per dedupe key."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel import func, select

from backend.core.db import transaction
from backend.notices import service
from backend.notices.models import InboxItem, Notice, WechatSend
from tests.factories import World, staff_headers, wechat_headers


def test_same_dedupe_key_sends_once(
    client: httpx.Client, world: World, engine, clock, fake_wechat
) -> None:
    for _ in range(2):
        with transaction(engine) as db:
            service.notify(
                db,
                clock=clock,
                retiree_id=world.retiree_a.id,
                title="您的年度登记已通过",
                body="谢谢您按时登记。",
                dedupe_key="checkin-approved:2026:1",
                link_page="pages/checkin/index",
            )
    with transaction(engine) as db:
        assert db.exec(select(func.count()).select_from(Notice)).one() == 1
        assert db.exec(select(func.count()).select_from(InboxItem)).one() == 2  # retiree + family
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    entry = client.get("/api/v1/inbox", headers=retiree).json()["data"][0]
    assert entry["link_page"] == "pages/checkin/index"


def test_family_copy_only_with_notice_permission(
    client: httpx.Client, world: World, engine, clock, fake_wechat
) -> None:
    with transaction(engine) as db:
        from backend.accounts.models import FamilyBinding

        binding = db.get(FamilyBinding, world.family_a.id)
        binding.can_receive_notices = False
        db.add(binding)
    with transaction(engine) as db:
        service.notify(
            db,
            clock=clock,
            retiree_id=world.retiree_a.id,
            title="提醒",
            body="明天体检。",
            dedupe_key="k1",
        )
    family = wechat_headers(client, fake_wechat.base_url, "openid-fa")
    assert client.get("/api/v1/inbox", headers=family).json()["data"] == []


def test_deceased_family_is_told_and_notices_stop(
    client: httpx.Client, world: World, fake_wechat
) -> None:
    staff = staff_headers(client, "staff1")
    response = client.post(
        f"/api/v1/staff/retirees/{world.retiree_a.id}/status",
        json={"status": "去世", "died_on": "2026-03-01"},
        headers=staff,
    )
    assert response.status_code == 200
    family = wechat_headers(client, fake_wechat.base_url, "openid-fa")
    told = client.get("/api/v1/inbox", headers=family).json()["data"]
    assert [e["title"] for e in told] == ["关于王建国同志"]
    assert told[0]["urgent"] is True
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    assert client.get("/api/v1/inbox", headers=retiree).json()["data"] == []
    later = client.post(
        "/api/v1/staff/notices",
        json={"title": "新通知", "body": "x", "audience": {"everyone": True}},
        headers=staff,
    )
    # The deceased receive no new notices: a unit with nobody else left reaches no one, and
    # the sender is told so instead of 「已发送」.
    assert later.status_code == 422 and "一个人也发不到" in later.json()["message"]
    # Marking again (a retried request) tells the family nothing new.
    client.post(
        f"/api/v1/staff/retirees/{world.retiree_a.id}/status",
        json={"status": "去世", "died_on": "2026-03-01"},
        headers=staff,
    )
    assert len(client.get("/api/v1/inbox", headers=family).json()["data"]) == 1


def test_family_copy_says_whose_message_it_is(
    client: httpx.Client, world: World, engine, clock, fake_wechat
) -> None:
    from backend.bookings.enums import BookingEvent
    from backend.meals.wording import WORDS

    title, template = WORDS[BookingEvent.confirmed]
    with transaction(engine) as db:
        service.notify(
            db,
            clock=clock,
            retiree_id=world.retiree_a.id,
            title=title,
            body=template.format(title="3月3日午餐", deadline="3月2日18:00"),
            dedupe_key="meal-confirmed:1",
        )
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    own = client.get("/api/v1/inbox", headers=retiree).json()["data"][0]
    assert own["body"].startswith("您已订上“3月3日午餐”")
    family = wechat_headers(client, fake_wechat.base_url, "openid-fa")
    copy = client.get("/api/v1/inbox", headers=family).json()["data"][0]
    assert copy["is_copy"] is True
    assert copy["body"].startswith("王建国已订上“3月3日午餐”")
    assert "您" not in copy["body"]
    detail = client.get(f"/api/v1/inbox/{copy['id']}", headers=family).json()
    assert detail["body"] == copy["body"]


def test_written_in_the_callers_transaction_and_expanded_after_its_commit(
    world: World, engine, clock
) -> None:
    """The notice row (the outbox) is written with the caller's change; the inbox rows only
    once the whole transaction has committed — not when a savepoint inside it is released or
    rolled back — and not at all when it rolls back."""
    with transaction(engine) as db:
        notice = service.notify(
            db,
            clock=clock,
            retiree_id=world.retiree_a.id,
            title="提醒",
            body="明天体检。",
            dedupe_key="after-commit",
        )
        assert notice is not None and notice.status == "sending"
        with db.begin_nested():
            pass
        db.begin_nested().rollback()
        assert db.exec(select(func.count()).select_from(InboxItem)).one() == 0
    with transaction(engine) as db:
        assert db.exec(select(func.count()).select_from(InboxItem)).one() == 2
        assert db.exec(select(Notice.status)).all() == ["sent"]
    try:
        with transaction(engine) as db:
            service.notify(
                db,
                clock=clock,
                retiree_id=world.retiree_a.id,
                title="提醒",
                body="不会发出。",
                dedupe_key="rolled-back",
            )
            raise RuntimeError("the caller's change fails")
    except RuntimeError:
        pass
    with transaction(engine) as db:
        assert db.exec(select(func.count()).select_from(Notice)).one() == 1
        assert db.exec(select(func.count()).select_from(InboxItem)).one() == 2


def test_the_notice_is_expanded_after_the_connection_is_given_back(
    world: World, engine, clock
) -> None:
    """A request holds one pooled connection at a time: expanding the notice while the
    committed session still held its connection made every busy request wait for a second."""
    from sqlalchemy import event

    before = engine.pool.checkedout()
    most: list[int] = []

    def on_checkout(*_: object) -> None:
        most.append(engine.pool.checkedout() - before)

    event.listen(engine.pool, "checkout", on_checkout)
    try:
        with transaction(engine) as db:
            service.notify(
                db,
                clock=clock,
                retiree_id=world.retiree_a.id,
                title="提醒",
                body="明天体检。",
                dedupe_key="one-connection",
            )
    finally:
        event.remove(engine.pool, "checkout", on_checkout)
    with transaction(engine) as db:
        assert db.exec(select(func.count()).select_from(InboxItem)).one() == 2  # expanded
    assert most and max(most) == 1, most


def test_expanded_without_reading_it_back_only_while_still_sending(
    world: World, engine, clock
) -> None:
    """The after-commit expansion does not read the notice back: it writes the rows, then marks
    it sent only if it is still "sending". Taken over meanwhile (here: already sent): nothing
    of it is committed. Otherwise: sent, with how many it reached."""
    from backend.notices import fanout

    with transaction(engine) as db:
        notice = service.notify(
            db,
            clock=clock,
            retiree_id=world.retiree_a.id,
            title="提醒",
            body="明天体检。",
            dedupe_key="known",
        )
        assert notice is not None
        notice_id, audience = notice.id or 0, notice.audience
        db.info.pop("junxiu_after_commit").clear()  # expanded by hand below
    with transaction(engine) as db:
        row = db.get(Notice, notice_id)
        assert row is not None
        row.status = "sent"
        db.add(row)
    fanout.expand_known(
        engine, clock=clock, notice_id=notice_id, audience=audience, include_family=True
    )
    with transaction(engine) as db:
        assert db.exec(select(func.count()).select_from(InboxItem)).one() == 0
        row = db.get(Notice, notice_id)
        assert row is not None
        row.status = "sending"
        db.add(row)
    fanout.expand_known(
        engine, clock=clock, notice_id=notice_id, audience=audience, include_family=True
    )
    with transaction(engine) as db:
        assert db.exec(select(func.count()).select_from(InboxItem)).one() == 2
        row = db.get(Notice, notice_id)
        assert row is not None and row.status == "sent" and row.recipients_total == 2


@pytest.mark.parametrize(
    ("to_retiree", "include_family", "copies"),
    [(True, True, {0, 1}), (True, False, {0}), (False, True, {1}), (False, False, set())],
)
def test_who_is_told_by_each_kind_of_system_notice(
    world: World, engine, clock, to_retiree: bool, include_family: bool, copies: set[int]
) -> None:
    """Each kind of audience has its own prepared statements (fanout._expansion): each writes
    exactly its people's inbox rows and their WeChat outbox rows, and marks the notice sent
    with the count."""
    with transaction(engine) as db:
        notice = service.notify(
            db,
            clock=clock,
            retiree_id=world.retiree_a.id,
            title="提醒",
            body="明天上午九点体检。",
            dedupe_key=f"kinds:{to_retiree}:{include_family}",
            to_retiree=to_retiree,
            include_family=include_family,
        )
        assert notice is not None
    with transaction(engine) as db:
        items = db.exec(select(InboxItem).where(InboxItem.notice_id == notice.id)).all()
        # 0: the retiree's own copy; 1: family_a's copy (world.family_a is binding id 1)
        assert {1 if i.copy_binding_id else 0 for i in items} == copies
        assert all(i.retiree_id == world.retiree_a.id for i in items)
        sends = db.exec(select(WechatSend).where(WechatSend.notice_id == notice.id)).all()
        assert sorted(s.inbox_item_id for s in sends) == sorted(i.id for i in items)
        row = db.get(Notice, notice.id)
        assert row is not None
        assert (row.status, row.recipients_total) == ("sent", len(copies))
