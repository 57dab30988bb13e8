"""The contract: the mini-program raises an alert with or without a location and reads what is
happening in plain words; emergency contacts are kept by the retiree, family with the right and
staff, masked for anyone else; the console shows open alerts on 首页 with the phones, takes the
acknowledgement and the outcome, and its poll says when a new one came."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import httpx
from sqlmodel import Session, select

from backend.accounts.models import AuditLog
from backend.sos.models import SosAlert
from tests.factories import PASSWORD, TLS, World, make_family

CONTACTS = {
    "contacts": [
        {"name": "王小红", "relation": "女儿", "phone": "13900000001"},
        {"name": "王大力", "relation": "儿子", "phone": "１３９０００００００２"},
    ]
}


def test_retiree_keeps_contacts_family_without_the_right_sees_them_masked(
    client: httpx.Client, world: World, retiree_a, family_a
) -> None:
    rid = world.retiree_a.id
    put = client.put(
        "/api/v1/sos/contacts", json={"retiree_id": rid, **CONTACTS}, headers=retiree_a
    )
    assert put.status_code == 200, put.text
    assert [c["phone"] for c in put.json()["contacts"]] == ["13900000001", "13900000002"]
    seen = client.get("/api/v1/sos/contacts", params={"retiree_id": rid}, headers=family_a).json()
    assert seen["can_edit"] is False
    assert [c["phone"] for c in seen["contacts"]] == ["139****0001", "139****0002"]
    refused = client.put(
        "/api/v1/sos/contacts", json={"retiree_id": rid, **CONTACTS}, headers=family_a
    )
    assert refused.status_code == 403 and "权限" in refused.json()["message"]


def test_family_with_the_right_edits_and_bad_input_is_chinese(
    client: httpx.Client, world: World, engine, clock, fake_wechat
) -> None:
    from tests.factories import wechat_headers

    make_family(
        engine, clock, retiree=world.retiree_a, openid="openid-son", can_submit_checkin=True
    )
    son = wechat_headers(client, fake_wechat.base_url, "openid-son")
    rid = world.retiree_a.id
    ok = client.put("/api/v1/sos/contacts", json={"retiree_id": rid, **CONTACTS}, headers=son)
    assert ok.status_code == 200 and ok.json()["can_edit"] is True
    four = {"contacts": CONTACTS["contacts"] * 2}
    too_many = client.put("/api/v1/sos/contacts", json={"retiree_id": rid, **four}, headers=son)
    assert too_many.status_code == 422 and "message" in too_many.json()
    bad_phone = {"contacts": [{"name": "甲", "relation": "邻居", "phone": "打我手机"}]}
    refused = client.put("/api/v1/sos/contacts", json={"retiree_id": rid, **bad_phone}, headers=son)
    assert refused.status_code == 422
    # Nothing half written: the two good contacts stay.
    kept = client.get("/api/v1/sos/contacts", params={"retiree_id": rid}, headers=son).json()
    assert len(kept["contacts"]) == 2


def test_staff_edit_is_audited_with_phones_masked(
    client: httpx.Client, world: World, staff1, engine
) -> None:
    url = f"/api/v1/staff/sos/contacts/{world.retiree_a.id}"
    assert client.put(url, json=CONTACTS, headers=staff1).status_code == 200
    assert client.get(url, headers=staff1).json()["contacts"][0]["phone"] == "13900000001"
    with Session(engine) as db:
        entry = db.exec(select(AuditLog).where(AuditLog.action == "sos.contacts")).one()
    assert "13900000001" not in (entry.after or "") and "139****0001" in (entry.after or "")


def test_raise_with_and_without_location_and_read_the_status(
    client: httpx.Client, world: World, retiree_a, family_a, staff1, clock, engine
) -> None:
    rid = world.retiree_a.id
    none = client.get("/api/v1/sos/alerts/current", params={"retiree_id": rid}, headers=retiree_a)
    assert none.json() == {"alert": None}
    # The user refused wx.getLocation: the alert goes anyway.
    raised = client.post("/api/v1/sos/alerts", json={"retiree_id": rid}, headers=retiree_a)
    assert raised.status_code == 200, raised.text
    state = raised.json()
    assert state["headline"] == "已通知工作人员"
    assert state["call_120"] == "有生命危险请马上打120" and state["open"] is True
    # The daughter taps too, with a location: the same alert.
    again = client.post(
        "/api/v1/sos/alerts",
        json={"retiree_id": rid, "latitude": 39.9, "longitude": 116.4},
        headers=family_a,
    )
    assert again.json()["id"] == state["id"]
    alert_id = state["id"]
    clock.advance(timedelta(minutes=1))
    ack = client.post(f"/api/v1/staff/sos/alerts/{alert_id}/acknowledge", headers=staff1)
    assert ack.status_code == 200 and ack.json()["status"] == "acknowledged"
    now = client.get("/api/v1/sos/alerts/current", params={"retiree_id": rid}, headers=family_a)
    assert now.json()["alert"]["headline"] == "工作人员已看到，正在联系您"
    twice = client.post(f"/api/v1/staff/sos/alerts/{alert_id}/acknowledge", headers=staff1)
    assert twice.status_code == 409 and "已经在" in twice.json()["message"]
    bad = client.post(
        f"/api/v1/staff/sos/alerts/{alert_id}/close", json={"outcome": "好了"}, headers=staff1
    )
    assert bad.status_code == 422
    done = client.post(
        f"/api/v1/staff/sos/alerts/{alert_id}/close", json={"outcome": "误触"}, headers=staff1
    )
    assert done.status_code == 200 and done.json()["outcome"] == "误触"
    last = client.get("/api/v1/sos/alerts/current", params={"retiree_id": rid}, headers=retiree_a)
    assert last.json()["alert"]["open"] is False and "误触" in last.json()["alert"]["detail"]
    # With a location the user allowed, it is kept.
    located = client.post(
        "/api/v1/sos/alerts",
        json={"retiree_id": rid, "latitude": 39.9, "longitude": 116.4},
        headers=family_a,
    ).json()
    with Session(engine) as db:
        row = db.get(SosAlert, located["id"])
        assert row is not None and (row.latitude, row.longitude) == (39.9, 116.4)
        assert row.raised_by.startswith("家属")


def test_out_of_range_location_is_a_clear_4xx(client: httpx.Client, world, retiree_a) -> None:
    response = client.post(
        "/api/v1/sos/alerts",
        json={"retiree_id": world.retiree_a.id, "latitude": 200, "longitude": 0},
        headers=retiree_a,
    )
    assert response.status_code == 422 and "message" in response.json()


@contextmanager
def _console(base_url: str, username: str = "staff1") -> Iterator[httpx.Client]:
    with httpx.Client(verify=TLS, base_url=base_url, timeout=30) as client:
        response = client.post("/console/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 303, response.text
        yield client


def _csrf(html: str) -> str:
    import re

    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found
    return found.group(1)


def test_console_home_shows_the_alert_with_phones_and_takes_the_outcome(
    app_server, client: httpx.Client, world: World, retiree_a, clock
) -> None:
    rid = world.retiree_a.id
    client.put("/api/v1/sos/contacts", json={"retiree_id": rid, **CONTACTS}, headers=retiree_a)
    with _console(app_server.base_url) as console:
        assert console.get("/console/sos/poll").json() == {"open": 0, "newest_id": 0}
        alert_id = client.post(
            "/api/v1/sos/alerts", json={"retiree_id": rid}, headers=retiree_a
        ).json()["id"]
        assert console.get("/console/sos/poll").json() == {"open": 1, "newest_id": alert_id}
        clock.advance(timedelta(minutes=3))
        home = console.get("/console").text
        assert 'id="sos-open"' in home and "王建国" in home
        assert "13900000001" in home and "已过 <b>3</b> 分钟" in home
        assert '<audio id="sos-sound"' in home and "/console/static/sos.js" in home
        assert home.index('id="sos-open"') < home.index("找老同志")  # at the top
        csrf = _csrf(home)
        ack = console.post(f"/console/sos/{alert_id}/acknowledge?back=home", data={"csrf": csrf})
        assert ack.status_code == 303 and ack.headers["location"].startswith("/console?msg=")
        closed = console.post(
            f"/console/sos/{alert_id}/close", data={"csrf": csrf, "outcome": "联系上了"}
        )
        assert closed.status_code == 303 and "msg=" in closed.headers["location"]
        again = console.post(
            f"/console/sos/{alert_id}/close", data={"csrf": csrf, "outcome": "联系上了"}
        )
        assert "err=" in again.headers["location"]
        history = console.get("/console/sos").text
        assert "联系上了" in history and "现在没有待处理的求助" in history
        assert console.get("/console/static/sos.wav").status_code == 200
    # Staff of another 军休所 see none of it.
    with _console(app_server.base_url, "staff2") as other:
        assert other.get("/console/sos/poll").json()["open"] == 0
        assert "王建国" not in other.get("/console/sos").text
        refused = other.post(
            f"/console/sos/{alert_id}/acknowledge", data={"csrf": _csrf(other.get("/console").text)}
        )
        assert "err=" in refused.headers["location"]


def test_console_keeps_the_contacts_and_refuses_bad_rows_in_chinese(
    app_server, client: httpx.Client, world: World, staff1, engine
) -> None:
    rid = world.retiree_a.id
    url = f"/console/sos/contacts/{rid}"
    with _console(app_server.base_url) as console:
        assert "紧急联系人" in console.get(f"/console/retirees/{rid}").text
        form_page = console.get(url)
        assert form_page.status_code == 200 and "第3位" in form_page.text
        csrf = _csrf(form_page.text)
        rows = {
            "csrf": csrf,
            "name": ["王小红", "", "王大力"],
            "relation": ["女儿", "", "儿子"],
            "phone": ["13900000001", "", "13900000002"],
        }
        saved = console.post(url, data=rows)
        assert saved.status_code == 303 and "msg=" in saved.headers["location"]
        bad = {**rows, "phone": ["打我手机", "", "13900000002"]}
        refused = console.post(url, data=bad)
        assert "err=" in refused.headers["location"]
        assert "电话号码不对" in console.get(refused.headers["location"]).text
    held = client.get(f"/api/v1/staff/sos/contacts/{rid}", headers=staff1).json()["contacts"]
    assert [(c["position"], c["name"]) for c in held] == [(1, "王小红"), (2, "王大力")]
    with Session(engine) as db:
        assert db.exec(select(AuditLog).where(AuditLog.action == "sos.contacts")).one()
    with _console(app_server.base_url, "staff2") as other:
        assert other.get(url).status_code == 404
