"""The 值班表 through the staff API (the console calls the same service): add, edit, remove,
overlap for one person refused in Chinese with nothing written, scope, audit with the phone
masked; the mini-program's 「打电话给所里」 number for a retiree and for their family; the bot."""

from __future__ import annotations

import threading

import httpx
from sqlmodel import Session, col, select

from backend.accounts.models import AuditLog
from backend.contact.models import DutyShift
from tests.contact.conftest import staff_with_phone
from tests.factories import TLS, World, staff_headers, wechat_headers

BASE = "/api/v1/staff/contact"


def _shift(client, headers, **body) -> httpx.Response:
    return client.post(f"{BASE}/shifts", json=body, headers=headers)


def test_add_edit_remove_and_overlap(client: httpx.Client, world: World, engine, clock) -> None:
    li = staff_with_phone(
        engine, clock, unit=world.unit1, username="li", name="李红", phone="13900000001"
    )
    staff1 = staff_headers(client, "staff1")
    day = {"staff_id": li.id, "day": "2026-03-03", "unit_id": world.unit1.id}
    first = _shift(client, staff1, **day, start="08:00", end="17:30")
    assert first.status_code == 201, first.text
    body = first.json()
    assert (body["staff_name"], body["hours"], body["phone"]) == (
        "李红",
        "08:00–17:30",
        "13900000001",
    )
    assert body["starts_at"] == "2026-03-03T00:00:00+00:00"  # stored UTC

    clash = _shift(client, staff1, **day, start="17:00", end="20:00")
    assert clash.status_code == 409
    assert clash.json()["message"] == (
        "李红在3月3日 08:00–17:30已经有班了，同一个人的班不能重叠。请换个时间或换个人。"
    )
    back_to_back = _shift(client, staff1, **day, start="17:30", end="08:30")
    assert back_to_back.status_code == 201 and back_to_back.json()["hours"] == "17:30–次日08:30"
    night = back_to_back.json()["id"]

    # Editing a shift does not clash with itself, but does with the person's other shift.
    moved = client.put(
        f"{BASE}/shifts/{night}", json={**day, "start": "18:00", "end": "09:00"}, headers=staff1
    )
    assert moved.status_code == 200 and moved.json()["hours"] == "18:00–次日09:00"
    onto = client.put(
        f"{BASE}/shifts/{night}", json={**day, "start": "12:00", "end": "13:00"}, headers=staff1
    )
    assert onto.status_code == 409

    week = client.get(f"{BASE}/roster", params={"week": "2026-03-05"}, headers=staff1).json()
    assert week["week_of"] == "2026-03-02"
    unit1 = next(u for u in week["units"] if u["unit_id"] == world.unit1.id)
    assert [s["hours"] for s in unit1["shifts"]] == ["08:00–17:30", "18:00–次日09:00"]

    assert client.delete(f"{BASE}/shifts/{night}", headers=staff1).status_code == 204
    with Session(engine) as db:
        assert len(db.exec(select(DutyShift)).all()) == 1
        actions = [
            (a.action, a.after)
            for a in db.exec(
                select(AuditLog).where(AuditLog.entity == "duty_shift").order_by(col(AuditLog.id))
            ).all()
        ]
    assert [a for a, _ in actions] == [
        "duty_shift.create",
        "duty_shift.create",
        "duty_shift.update",
        "duty_shift.delete",
    ]
    assert all("13900000001" not in (after or "") for _, after in actions)


def test_bad_input_is_a_chinese_4xx(client: httpx.Client, world: World, engine, clock) -> None:
    no_phone = staff_with_phone(
        engine, clock, unit=world.unit1, username="np", name="钱多", phone=""
    )
    staff1 = staff_headers(client, "staff1")
    day = {"day": "2026-03-03", "start": "08:00", "end": "12:00"}
    missing = _shift(client, staff1, staff_id=no_phone.id, **day)
    assert missing.status_code == 400 and "请填上值班电话" in missing.json()["message"]
    ok = _shift(client, staff1, staff_id=no_phone.id, phone="０４３１-８０００", **day)
    assert ok.status_code == 201 and ok.json()["phone"] == "0431-8000"
    bad_time = _shift(client, staff1, staff_id=no_phone.id, **{**day, "start": "25:00"})
    assert bad_time.status_code == 422


def test_scope(client: httpx.Client, world: World, engine, clock) -> None:
    li = staff_with_phone(
        engine, clock, unit=world.unit1, username="li", name="李红", phone="13900000001"
    )
    staff1, staff2 = staff_headers(client, "staff1"), staff_headers(client, "staff2")
    shift = {"staff_id": li.id, "day": "2026-03-03", "start": "08:00", "end": "12:00"}
    # staff2 (第二军休所) can neither put 第一军休所's person on duty nor fill its roster.
    refused = _shift(client, staff2, **shift)
    assert (
        refused.status_code == 400 and refused.json()["message"] == "值班人不对，请从列表里选择。"
    )
    wrong_unit = _shift(
        client, staff2, **{**shift, "staff_id": world.staff2.id, "unit_id": world.unit1.id}
    )
    assert wrong_unit.status_code == 400
    made = _shift(client, staff1, **shift).json()
    assert client.delete(f"{BASE}/shifts/{made['id']}", headers=staff2).status_code == 404
    theirs = client.get(f"{BASE}/roster", params={"week": "2026-03-03"}, headers=staff2).json()
    assert [u["unit_name"] for u in theirs["units"]] == ["第二军休所"]
    assert all(not u["shifts"] for u in theirs["units"])
    phones = client.put(
        f"{BASE}/units/{world.unit1.id}/phone", json={"phone": "0431-1"}, headers=staff2
    )
    assert phones.status_code == 404


def test_unit_phones(client: httpx.Client, world: World, engine) -> None:
    staff1 = staff_headers(client, "staff1")
    main = client.put(
        f"{BASE}/units/{world.unit1.id}/phone", json={"phone": "0431-80000001"}, headers=staff1
    )
    assert main.status_code == 200 and main.json()["phone"] == "0431-80000001"
    added = client.post(
        f"{BASE}/units/{world.unit1.id}/phones",
        json={"label": "医务室", "phone": "0431-80000120"},
        headers=staff1,
    )
    assert added.status_code == 201
    listed = client.get(f"{BASE}/units/{world.unit1.id}/phones", headers=staff1).json()
    assert [(p["label"], p["phone"]) for p in listed["phones"]] == [("医务室", "0431-80000120")]
    gone = client.delete(f"{BASE}/phones/{added.json()['id']}", headers=staff1)
    assert gone.status_code == 204
    with Session(engine) as db:
        actions = [a.action for a in db.exec(select(AuditLog).order_by(col(AuditLog.id))).all()]
    assert actions == ["unit.phone", "unit_phone.create", "unit_phone.delete"]


def test_call_for_a_retiree_and_for_their_family(
    client: httpx.Client, world: World, engine, clock, fake_wechat
) -> None:
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    family = wechat_headers(client, fake_wechat.base_url, "openid-fa")
    url = "/api/v1/contact/call"
    nothing = client.get(url, params={"retiree_id": world.retiree_a.id}, headers=retiree).json()
    assert nothing["phone"] is None and "没有查到" in nothing["who"]

    staff1 = staff_headers(client, "staff1")
    client.put(
        f"{BASE}/units/{world.unit1.id}/phone", json={"phone": "0431-80000001"}, headers=staff1
    )
    li = staff_with_phone(
        engine, clock, unit=world.unit1, username="li", name="李红", phone="13900000001"
    )
    # The test clock is Monday 2026-03-02 10:00 in Shanghai.
    _shift(client, staff1, staff_id=li.id, day="2026-03-02", start="08:00", end="17:30")
    for headers in (retiree, family):  # family members reach their parent's unit
        body = client.get(url, params={"retiree_id": world.retiree_a.id}, headers=headers).json()
        assert body["phone"] == "13900000001"
        assert body["who"] == "现在是李红在第一军休所值班，电话 13900000001。"
        assert body["label"] == "李红（值班）"
    stranger = wechat_headers(client, fake_wechat.base_url, "openid-b")
    assert (
        client.get(url, params={"retiree_id": world.retiree_a.id}, headers=stranger).status_code
        == 404
    )


def test_the_bot_names_who_is_on_duty(
    client: httpx.Client, world: World, engine, clock, fake_wechat
) -> None:
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    staff1 = staff_headers(client, "staff1")
    client.put(
        f"{BASE}/units/{world.unit1.id}/phone", json={"phone": "0431-80000001"}, headers=staff1
    )

    def ask(question: str) -> str:
        body = client.post("/api/v1/bot/ask", json={"question": question}, headers=retiree).json()
        assert body["intent"] == "handoff", body
        return str(body["answer"])

    assert "第一军休所的电话是 0431-80000001" in ask("今天谁值班")
    li = staff_with_phone(
        engine, clock, unit=world.unit1, username="li", name="李红", phone="13900000001"
    )
    _shift(client, staff1, staff_id=li.id, day="2026-03-02", start="08:00", end="17:30")
    for question in ("今天谁值班", "所里电话多少"):
        answer = ask(question)
        assert "现在是李红（电话 13900000001）在第一军休所值班，到17:30" in answer, answer


def test_a_switched_off_account_cannot_be_put_on_duty(
    client: httpx.Client, world: World, engine, clock
) -> None:
    from backend.accounts.models import StaffAccount

    gone = staff_with_phone(
        engine, clock, unit=world.unit1, username="gone", name="孙走", phone="1"
    )
    with Session(engine) as db:
        row = db.get(StaffAccount, gone.id)
        assert row is not None
        row.active = False
        db.add(row)
        db.commit()
    staff1 = staff_headers(client, "staff1")
    refused = _shift(client, staff1, staff_id=gone.id, day="2026-03-03", start="08:00", end="12:00")
    assert refused.status_code == 400 and "已停用" in refused.json()["message"]


def test_two_staff_rostering_one_person_at_once(
    client: httpx.Client, app_server, world: World, engine, clock
) -> None:
    """Four overlapping shifts for 李红 sent at the same moment: one is kept."""
    li = staff_with_phone(
        engine, clock, unit=world.unit1, username="li", name="李红", phone="13900000001"
    )
    staff1 = staff_headers(client, "staff1")
    codes: list[int] = []
    barrier = threading.Barrier(4)

    def go(hour: int) -> None:
        with httpx.Client(verify=TLS, base_url=app_server.base_url, timeout=60) as c:
            barrier.wait()
            body = {"staff_id": li.id, "day": "2026-03-03", "start": f"0{hour}:00", "end": "12:00"}
            codes.append(c.post(f"{BASE}/shifts", json=body, headers=staff1).status_code)

    threads = [threading.Thread(target=go, args=(h,)) for h in (6, 7, 8, 9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [201, 409, 409, 409]
    with Session(engine) as db:
        assert len(db.exec(select(DutyShift)).all()) == 1
