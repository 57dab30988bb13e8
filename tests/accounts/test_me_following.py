"""A family member's /me says when someone they follow has died (and when): the mini-program's
home then shows the centre's help (pages/survivor) instead of bookings."""

from __future__ import annotations

from datetime import date

import httpx

from tests.factories import World, mark_deceased, wechat_headers


def test_following_says_who_has_died_and_when(
    client: httpx.Client, world: World, engine, clock, fake_wechat
) -> None:
    family = wechat_headers(client, fake_wechat.base_url, "openid-fa")
    before = client.get("/api/v1/me", headers=family).json()["following"]
    assert [(f["name"], f["deceased"], f["died_on"]) for f in before] == [("王建国", False, None)]
    mark_deceased(engine, clock, world.retiree_a.id, died_on=date(2026, 2, 27), staff=world.staff1)
    after = client.get("/api/v1/me", headers=family).json()["following"]
    assert [(f["name"], f["deceased"], f["died_on"]) for f in after] == [
        ("王建国", True, "2026-02-27")
    ]
