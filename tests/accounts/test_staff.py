"""Staff: login and lockout, retiree records within their unit subtree, audit."""

from __future__ import annotations

from datetime import date, timedelta

import httpx

from backend.accounts import staff
from backend.accounts.staff import BAD_CREDENTIALS
from backend.core import security
from backend.core.clock import FrozenClock
from tests.factories import PASSWORD, World, id_number_for, staff_headers

NEW_RETIREE = {
    "name": "孙振华",
    "gender": "男",
    "birth_date": "1938-06-01",
    "category": "离休",
    "level": "师级",
    "phone": "13912345678",
    "address": "北京市东城区交道口南大街5号",
    "care_flags": ["高龄", "独居"],
}


def test_lockout_after_five_failures_in_fifteen_minutes(
    client: httpx.Client, world: World, clock: FrozenClock
) -> None:
    for _ in range(4):
        bad = client.post("/api/v1/staff/login", json={"username": "staff1", "password": "nope"})
        assert bad.status_code == 401
        assert bad.json()["message"] == BAD_CREDENTIALS
    fifth = client.post("/api/v1/staff/login", json={"username": "staff1", "password": "nope"})
    assert fifth.status_code == 403 and fifth.json()["code"] == "locked"
    right = client.post("/api/v1/staff/login", json={"username": "staff1", "password": PASSWORD})
    assert right.status_code == 403, "the right password does not open a locked account"
    clock.advance(timedelta(minutes=15, seconds=1))
    assert staff_headers(client, "staff1")


def test_failures_spread_over_time_do_not_lock(
    client: httpx.Client, world: World, clock: FrozenClock
) -> None:
    for _ in range(8):
        client.post("/api/v1/staff/login", json={"username": "staff1", "password": "nope"})
        clock.advance(timedelta(minutes=4))
    assert staff_headers(client, "staff1")


def test_unknown_user_gets_the_same_message(client: httpx.Client, world: World) -> None:
    response = client.post("/api/v1/staff/login", json={"username": "ghost", "password": "x"})
    assert response.status_code == 401
    assert response.json()["code"] == "bad_credentials"
    known = client.post("/api/v1/staff/login", json={"username": "staff1", "password": "x"})
    assert (known.status_code, known.json()) == (response.status_code, response.json())


def test_the_unknown_username_hash_costs_what_a_real_hash_costs() -> None:
    """The written-out hash spent on unknown usernames is a valid hash with the parameters the
    hasher uses now (else a wrong name would answer faster than a wrong password)."""
    assert not security._hasher.check_needs_rehash(staff._DUMMY_HASH)
    assert security.verify_password(staff._DUMMY_HASH, "not-a-real-password")


def test_create_search_update_retiree_with_audit(client: httpx.Client, world: World) -> None:
    headers = staff_headers(client, "staff1")
    id_number = id_number_for(date(1938, 6, 1))
    body = {**NEW_RETIREE, "unit_id": world.station1.id, "id_number": id_number}
    created = client.post("/api/v1/staff/retirees", json=body, headers=headers)
    assert created.status_code == 201, created.text
    data = created.json()
    assert data["id_number_masked"] == id_number[:3] + "*" * 11 + id_number[-4:]
    assert id_number not in created.text
    assert data["care_flags"] == ["高龄", "独居"]
    # search by name, phone fragment, 身份证 tail and full number
    for q in ("振华", "12345678", id_number[-4:], id_number):
        found = client.get("/api/v1/staff/retirees", params={"q": q}, headers=headers).json()
        assert [r["id"] for r in found["data"]] == [data["id"]], q
    by_flag = client.get(
        "/api/v1/staff/retirees", params={"care_flag": "独居"}, headers=headers
    ).json()
    assert {r["name"] for r in by_flag["data"]} == {"孙振华", "王建国"}
    # update with the version we saw
    patch = client.patch(
        f"/api/v1/staff/retirees/{data['id']}",
        json={"phone": "13900000000", "version": data["version"]},
        headers=headers,
    )
    assert patch.status_code == 200
    stale = client.patch(
        f"/api/v1/staff/retirees/{data['id']}",
        json={"phone": "13911111111", "version": data["version"]},
        headers=headers,
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    admin = staff_headers(client, "admin1")
    log = client.get("/api/v1/staff/audit", params={"entity": "retiree"}, headers=admin).json()
    actions = [e["action"] for e in log["data"]]
    assert actions == ["retiree.update", "retiree.create"]
    assert '"phone": "13900000000"' in log["data"][0]["after"]
    assert id_number not in str(log)


def test_duplicate_id_number_is_a_conflict(client: httpx.Client, world: World) -> None:
    headers = staff_headers(client, "staff1")
    id_number = id_number_for(date(1938, 6, 1))
    body = {**NEW_RETIREE, "unit_id": world.unit1.id, "id_number": id_number}
    assert client.post("/api/v1/staff/retirees", json=body, headers=headers).status_code == 201
    again = client.post("/api/v1/staff/retirees", json=body, headers=headers)
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate_id_number"


def test_bad_input_gets_chinese_field_messages(client: httpx.Client, world: World) -> None:
    headers = staff_headers(client, "staff1")
    body = {
        **NEW_RETIREE,
        "unit_id": world.unit1.id,
        "id_number": "110101193806010011",
        "phone": "12345",
    }
    response = client.post("/api/v1/staff/retirees", json=body, headers=headers)
    assert response.status_code == 422
    fields = {f["field"]: f["message"] for f in response.json()["detail"]}
    assert "校验位" in fields["id_number"]
    assert "电话" in fields["phone"]


def test_staff_cannot_place_retiree_outside_their_unit(client: httpx.Client, world: World) -> None:
    headers = staff_headers(client, "staff1")
    body = {
        **NEW_RETIREE,
        "unit_id": world.unit2.id,
        "id_number": id_number_for(date(1938, 6, 1)),
    }
    response = client.post("/api/v1/staff/retirees", json=body, headers=headers)
    assert response.status_code == 400
    assert "单位" in response.json()["message"]


def test_marking_deceased_is_final_and_stops_binding(client: httpx.Client, world: World) -> None:
    headers = staff_headers(client, "staff1")
    code = client.post(
        f"/api/v1/staff/retirees/{world.retiree_a.id}/binding-code", headers=headers
    ).json()["code"]
    response = client.post(
        f"/api/v1/staff/retirees/{world.retiree_a.id}/status",
        json={"status": "去世", "note": "家属告知", "died_on": "2026-03-01"},
        headers=headers,
    )
    assert response.status_code == 200 and response.json()["status"] == "去世"
    back = client.post(
        f"/api/v1/staff/retirees/{world.retiree_a.id}/status",
        json={"status": "在册"},
        headers=headers,
    )
    assert back.status_code == 400
    again = client.post(
        f"/api/v1/staff/retirees/{world.retiree_a.id}/binding-code", headers=headers
    )
    assert again.status_code == 400
    assert code


def test_admin_creates_staff_and_plain_staff_cannot(client: httpx.Client, world: World) -> None:
    body = {
        "username": "newbie",
        "display_name": "小刘",
        "password": "long-enough-1",
        "unit_id": world.unit1.id,
    }
    plain = staff_headers(client, "staff1")
    assert client.post("/api/v1/staff/accounts", json=body, headers=plain).status_code == 403
    admin = staff_headers(client, "admin1")
    created = client.post("/api/v1/staff/accounts", json=body, headers=admin)
    assert created.status_code == 201, created.text
    assert staff_headers(client, "newbie", "long-enough-1")
    dup = client.post("/api/v1/staff/accounts", json=body, headers=admin)
    assert dup.status_code == 409


def test_units_are_the_staff_subtree(client: httpx.Client, world: World) -> None:
    names = [
        u["name"]
        for u in client.get("/api/v1/staff/units", headers=staff_headers(client, "staff1")).json()
    ]
    assert names == ["第一军休所", "和平里服务站"]
    all_names = [
        u["name"]
        for u in client.get("/api/v1/staff/units", headers=staff_headers(client, "admin1")).json()
    ]
    assert set(all_names) == {"服务管理中心", "第一军休所", "和平里服务站", "第二军休所"}


def test_a_name_no_account_has_locks_like_a_real_one(
    client: httpx.Client, world: World, clock: FrozenClock
) -> None:
    """The locked answer must not tell which usernames exist: the same codes, attempt by
    attempt, for a real account and for a name nobody has."""

    def codes(username: str) -> list[tuple[int, str]]:
        out = []
        for _ in range(6):
            reply = client.post(
                "/api/v1/staff/login", json={"username": username, "password": "nope"}
            )
            out.append((reply.status_code, reply.json()["code"]))
        return out

    real, unknown = codes("staff1"), codes("nobody-here")
    assert real == unknown
    assert real[-2:] == [(403, "locked"), (403, "locked")]
    clock.advance(timedelta(minutes=15, seconds=1))
    again = client.post("/api/v1/staff/login", json={"username": "nobody-here", "password": "x"})
    assert again.status_code == 401 and again.json()["message"] == BAD_CREDENTIALS
