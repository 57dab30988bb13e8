"""WeChat login over real HTTP: wx.login code → code2Session (fake WeChat) → our session."""

from __future__ import annotations

from datetime import timedelta

import httpx

from backend.core.clock import FrozenClock
from backend.wechat.fake_server import RunningFakeServer
from tests.factories import World, login_code


def test_new_openid_logs_in_unbound(client: httpx.Client, fake_wechat: RunningFakeServer) -> None:
    response = client.post(
        "/api/v1/auth/wechat", json={"code": login_code(fake_wechat.base_url, "o-new")}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token"]
    assert "session_key" not in response.text
    assert body["identity"]["bound"] is False
    assert body["identity"]["roles"] == []
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.json()["bound"] is False


def test_bound_retiree_and_family_see_their_roles(
    client: httpx.Client, fake_wechat: RunningFakeServer, world: World
) -> None:
    code = login_code(fake_wechat.base_url, "openid-a")
    body = client.post("/api/v1/auth/wechat", json={"code": code}).json()
    assert body["identity"]["roles"] == ["retiree"]
    assert body["identity"]["retiree"]["name"] == "王建国"
    assert body["identity"]["retiree"]["id_number_masked"].count("*") == 11
    code = login_code(fake_wechat.base_url, "openid-fa")
    body = client.post("/api/v1/auth/wechat", json={"code": code}).json()
    assert body["identity"]["roles"] == ["family"]
    assert [f["retiree_id"] for f in body["identity"]["following"]] == [world.retiree_a.id]


def test_code_is_single_use(client: httpx.Client, fake_wechat: RunningFakeServer) -> None:
    code = login_code(fake_wechat.base_url, "o-once")
    assert client.post("/api/v1/auth/wechat", json={"code": code}).status_code == 200
    again = client.post("/api/v1/auth/wechat", json={"code": code})
    assert again.status_code == 400
    assert again.json()["code"] == "wechat_40163"
    assert "小程序" in again.json()["message"]


def test_invalid_and_expired_codes_are_refused(
    client: httpx.Client, fake_wechat: RunningFakeServer, clock: FrozenClock
) -> None:
    bad = client.post("/api/v1/auth/wechat", json={"code": "no-such-code"})
    assert bad.status_code == 400
    assert bad.json()["code"] == "wechat_40029"
    code = login_code(fake_wechat.base_url, "o-late")
    clock.advance(timedelta(minutes=6))
    late = client.post("/api/v1/auth/wechat", json={"code": code})
    assert late.status_code == 400
    assert late.json()["code"] == "wechat_40029"


def test_wechat_errors_map_to_clear_messages(
    client: httpx.Client, fake_wechat: RunningFakeServer
) -> None:
    for errcode, status in ((45011, 429), (40226, 403), (-1, 503)):
        code = login_code(fake_wechat.base_url, f"o-err{errcode}")
        fake_wechat.state.fail_next.append(errcode)
        response = client.post("/api/v1/auth/wechat", json={"code": code})
        assert response.status_code == status, (errcode, response.text)
        body = response.json()
        assert body["code"] == f"wechat_{errcode}"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])


def test_empty_code_is_a_chinese_validation_error(client: httpx.Client) -> None:
    response = client.post("/api/v1/auth/wechat", json={"code": ""})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert "登录凭证" in body["message"]


def test_logout_revokes_the_token(client: httpx.Client, fake_wechat: RunningFakeServer) -> None:
    code = login_code(fake_wechat.base_url, "o-out")
    token = client.post("/api/v1/auth/wechat", json={"code": code}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["message"]


def test_session_slides_for_thirty_days(
    client: httpx.Client, fake_wechat: RunningFakeServer, clock: FrozenClock
) -> None:
    code = login_code(fake_wechat.base_url, "o-slide")
    token = client.post("/api/v1/auth/wechat", json={"code": code}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    clock.advance(timedelta(days=20))
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    clock.advance(timedelta(days=20))  # 40 days after login, 20 after last use
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    clock.advance(timedelta(days=31))
    expired = client.get("/api/v1/me", headers=headers)
    assert expired.status_code == 401
    assert expired.json()["code"] == "session_expired"


def test_access_token_is_fetched_once_for_many_logins(
    client: httpx.Client, fake_wechat: RunningFakeServer
) -> None:
    for i in range(3):
        code = login_code(fake_wechat.base_url, f"o-many{i}")
        assert client.post("/api/v1/auth/wechat", json={"code": code}).status_code == 200
    assert fake_wechat.state.tokens_issued <= 1
