"""Binding a WeChat user: retiree with a staff-issued code, family with an invite."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import select

from backend.accounts.models import BindingCode
from backend.core.clock import FrozenClock
from backend.core.db import transaction
from backend.core.security import PersonalDataCipher
from backend.wechat.fake_server import RunningFakeServer
from tests.factories import World, make_retiree, staff_headers, wechat_headers


def _unbound_retiree(engine: Engine, clock: FrozenClock, cipher: PersonalDataCipher, world: World):
    return make_retiree(
        engine, clock, cipher, unit=world.unit1, name="赵德明", id_number="110101193001010030"
    )


def _issue(client: httpx.Client, retiree_id: int) -> str:
    headers = staff_headers(client, "staff1")
    response = client.post(f"/api/v1/staff/retirees/{retiree_id}/binding-code", headers=headers)
    assert response.status_code == 201, response.text
    code = response.json()["code"]
    assert len(code) == 6 and code.isdigit()
    return str(code)


def test_retiree_binds_with_code_and_id_tail(
    client: httpx.Client, fake_wechat: RunningFakeServer, engine, clock, cipher, world: World
) -> None:
    retiree = _unbound_retiree(engine, clock, cipher, world)
    code = _issue(client, retiree.id)
    headers = wechat_headers(client, fake_wechat.base_url, "o-zhao")
    response = client.post(
        "/api/v1/bind/retiree", json={"code": code, "id_tail": "0030"}, headers=headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["roles"] == ["retiree"]
    assert response.json()["retiree"]["id"] == retiree.id
    # single use: a second WeChat user cannot use the same code
    other = wechat_headers(client, fake_wechat.base_url, "o-other")
    again = client.post(
        "/api/v1/bind/retiree", json={"code": code, "id_tail": "0030"}, headers=other
    )
    assert again.status_code == 400
    assert again.json()["code"] == "bad_binding_code"


def test_five_wrong_id_tails_lock_the_code(
    client: httpx.Client, fake_wechat: RunningFakeServer, engine, clock, cipher, world: World
) -> None:
    retiree = _unbound_retiree(engine, clock, cipher, world)
    code = _issue(client, retiree.id)
    headers = wechat_headers(client, fake_wechat.base_url, "o-guess")
    messages = []
    for _ in range(5):
        response = client.post(
            "/api/v1/bind/retiree", json={"code": code, "id_tail": "9999"}, headers=headers
        )
        messages.append(response.json()["code"])
    assert messages[:4] == ["bad_id_tail"] * 4
    assert messages[4] == "binding_code_locked"
    right = client.post(
        "/api/v1/bind/retiree", json={"code": code, "id_tail": "0030"}, headers=headers
    )
    assert right.status_code == 400
    with transaction(engine) as db:
        row = db.exec(select(BindingCode).where(BindingCode.code == code)).one()
        assert row.failed_attempts == 5 and row.locked_at is not None


def test_code_expires_after_seven_days(
    client: httpx.Client, fake_wechat: RunningFakeServer, engine, clock, cipher, world: World
) -> None:
    retiree = _unbound_retiree(engine, clock, cipher, world)
    code = _issue(client, retiree.id)
    clock.advance(timedelta(days=7, seconds=1))
    headers = wechat_headers(client, fake_wechat.base_url, "o-late")
    response = client.post(
        "/api/v1/bind/retiree", json={"code": code, "id_tail": "0030"}, headers=headers
    )
    assert response.status_code == 400
    assert "过期" in response.json()["message"]


def test_new_code_replaces_old(
    client: httpx.Client, fake_wechat: RunningFakeServer, engine, clock, cipher, world: World
) -> None:
    retiree = _unbound_retiree(engine, clock, cipher, world)
    first = _issue(client, retiree.id)
    second = _issue(client, retiree.id)
    headers = wechat_headers(client, fake_wechat.base_url, "o-new")
    old = client.post(
        "/api/v1/bind/retiree", json={"code": first, "id_tail": "0030"}, headers=headers
    )
    assert old.status_code == 400 or first == second
    new = client.post(
        "/api/v1/bind/retiree", json={"code": second, "id_tail": "0030"}, headers=headers
    )
    assert new.status_code == 200


def test_binding_attempts_are_rate_limited(
    client: httpx.Client, fake_wechat: RunningFakeServer, world: World, clock: FrozenClock
) -> None:
    headers = wechat_headers(client, fake_wechat.base_url, "o-spam")
    clock.set(clock.now().replace(minute=23, second=0))  # 37 minutes left of the hour's window
    replies = [
        client.post(
            "/api/v1/bind/retiree", json={"code": f"{i:06d}", "id_tail": "0000"}, headers=headers
        )
        for i in range(12)
    ]
    assert [r.status_code for r in replies[:10]] == [400] * 10
    assert [r.status_code for r in replies[10:]] == [429, 429]
    # how long to wait and what to do meanwhile (「过一会儿」 sent them back every minute)
    refused = replies[-1].json()
    assert refused["message"] == "次数太多了。请37分钟后再试。也可以请工作人员帮您绑定。"
    assert refused["detail"] == {"retry_after_seconds": 37 * 60}


def test_family_invite_flow(
    client: httpx.Client, fake_wechat: RunningFakeServer, world: World
) -> None:
    retiree_headers = wechat_headers(client, fake_wechat.base_url, "openid-a")
    invite = client.post(
        f"/api/v1/retirees/{world.retiree_a.id}/family-invites",
        json={"relation": "配偶", "can_book": True},
        headers=retiree_headers,
    )
    assert invite.status_code == 201, invite.text
    code = invite.json()["code"]
    spouse = wechat_headers(client, fake_wechat.base_url, "o-spouse")
    bound = client.post(
        "/api/v1/bind/family", json={"code": code.lower(), "display_name": "刘桂英"}, headers=spouse
    )
    assert bound.status_code == 200, bound.text
    following = bound.json()["following"]
    assert following[0]["retiree_id"] == world.retiree_a.id
    assert following[0]["can_book"] is True and following[0]["can_submit_checkin"] is False
    # The retiree sees both family members; the spouse sees only their own binding.
    listed = client.get(f"/api/v1/retirees/{world.retiree_a.id}/family", headers=retiree_headers)
    assert len(listed.json()) == 2
    own = client.get(f"/api/v1/retirees/{world.retiree_a.id}/family", headers=spouse)
    assert [b["display_name"] for b in own.json()] == ["刘桂英"]
    # Invite is single use
    third = wechat_headers(client, fake_wechat.base_url, "o-third")
    reuse = client.post(
        "/api/v1/bind/family", json={"code": code, "display_name": "x"}, headers=third
    )
    assert reuse.status_code == 400
    # The retiree revokes the spouse; the spouse no longer sees the retiree
    binding_id = following[0]["binding_id"]
    revoke = client.delete(
        f"/api/v1/retirees/{world.retiree_a.id}/family/{binding_id}", headers=retiree_headers
    )
    assert revoke.status_code == 204
    gone = client.get(f"/api/v1/retirees/{world.retiree_a.id}", headers=spouse)
    assert gone.status_code == 404


def test_family_member_cannot_invite_or_revoke_others(
    client: httpx.Client, fake_wechat: RunningFakeServer, world: World
) -> None:
    family = wechat_headers(client, fake_wechat.base_url, "openid-fa")
    response = client.post(
        f"/api/v1/retirees/{world.retiree_a.id}/family-invites",
        json={"relation": "子女"},
        headers=family,
    )
    assert response.status_code == 403
    # ... but may leave on their own
    leave = client.delete(
        f"/api/v1/retirees/{world.retiree_a.id}/family/{world.family_a.id}", headers=family
    )
    assert leave.status_code == 204


def test_staff_revokes_family_and_it_is_audited(
    client: httpx.Client, world: World, fake_wechat: RunningFakeServer
) -> None:
    headers = staff_headers(client, "staff1")
    response = client.delete(
        f"/api/v1/staff/retirees/{world.retiree_a.id}/family/{world.family_a.id}", headers=headers
    )
    assert response.status_code == 204
    admin = staff_headers(client, "admin1")
    log = client.get("/api/v1/staff/audit", params={"entity": "family_binding"}, headers=admin)
    assert log.json()["count"] == 1
    assert log.json()["data"][0]["actor"].startswith(f"staff:{world.staff1.id}")


def _full_width(text: str) -> str:
    """１２３４５６ as a Chinese input method types it."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def test_full_width_digits_in_codes_are_read_as_digits(
    client: httpx.Client, fake_wechat: RunningFakeServer, engine, clock, cipher, world: World
) -> None:
    retiree = _unbound_retiree(engine, clock, cipher, world)
    code = _issue(client, retiree.id)
    headers = wechat_headers(client, fake_wechat.base_url, "o-zhao")
    response = client.post(
        "/api/v1/bind/retiree",
        json={"code": _full_width(code), "id_tail": " " + _full_width("0030")},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["retiree"]["id"] == retiree.id

    retiree_headers = wechat_headers(client, fake_wechat.base_url, "openid-a")
    invite = client.post(
        f"/api/v1/retirees/{world.retiree_a.id}/family-invites",
        json={"relation": "子女"},
        headers=retiree_headers,
    )
    son = wechat_headers(client, fake_wechat.base_url, "o-son")
    bound = client.post(
        "/api/v1/bind/family",
        json={"code": _full_width(invite.json()["code"]), "display_name": "王小军"},
        headers=son,
    )
    assert bound.status_code == 200, bound.text


def test_binding_errors_name_the_binding_code_in_chinese(
    client: httpx.Client, fake_wechat: RunningFakeServer, world: World
) -> None:
    headers = wechat_headers(client, fake_wechat.base_url, "o-new")
    response = client.post(
        "/api/v1/bind/retiree", json={"code": "12a", "id_tail": "x"}, headers=headers
    )
    assert response.status_code == 422
    body = response.json()
    assert "绑定码" in body["message"] and "身份证号后4位" in body["message"]
    assert "登录凭证" not in body["message"]
    assert not any(c.isascii() and c.isalpha() for c in body["message"])
