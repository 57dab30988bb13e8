"""A family member's /me says when someone they follow has died (and when): the mini-program's
home then shows the centre's help (pages/survivor) instead of bookings."""

from __future__ import annotations

from datetime import date

import httpx

from backend.accounts import retirees
from backend.accounts.enums import RetireeStatus
from backend.accounts.models import Retiree
from backend.core.db import transaction
from tests.factories import World, wechat_headers


def test_following_says_who_has_died_and_when(
    client: httpx.Client, world: World, engine, clock, fake_wechat
) -> None:
    family = wechat_headers(client, fake_wechat.base_url, "openid-fa")
    before = client.get("/api/v1/me", headers=family).json()["following"]
    assert [(f["name"], f["deceased"], f["died_on"]) for f in before] == [("王建国", False, None)]
    with transaction(engine) as db:
        row = db.get(Retiree, world.retiree_a.id)
        assert row is not None
        retirees.change_status(
            db,
            clock=clock,
            staff=world.staff1,
            retiree=row,
            status=RetireeStatus.deceased,
            note="家属来电",
            died_on=date(2026, 2, 27),
        )
    after = client.get("/api/v1/me", headers=family).json()["following"]
    assert [(f["name"], f["deceased"], f["died_on"]) for f in after] == [
        ("王建国", True, "2026-02-27")
    ]
