"""Marking a retiree deceased ends their sign-ups (bookings hears the event): the next in line
gets the place and is told; nothing about it goes to the retiree (nor, as a copy, to family)."""

from __future__ import annotations

from tests.activities.conftest import create_activity, sign_up
from tests.factories import World, make_retiree, wechat_headers


def test_the_place_goes_to_the_next_in_line(
    client, world: World, engine, clock, cipher, fake_wechat, staff1, retiree_a
) -> None:
    activity = create_activity(client, staff1, capacity=1)
    held = sign_up(client, retiree_a, activity["id"], world.retiree_a.id).json()
    assert held["status_code"] == "confirmed"
    other = make_retiree(
        engine, clock, cipher, unit=world.unit1, name="候补老人", wechat_openid="openid-next"
    )
    next_in_line = wechat_headers(client, fake_wechat.base_url, "openid-next")
    waiting = sign_up(client, next_in_line, activity["id"], other.id).json()
    assert (waiting["status_code"], waiting["status_label"]) == ("waitlisted", "候补中")

    marked = client.post(
        f"/api/v1/staff/retirees/{world.retiree_a.id}/status",
        json={"status": "去世", "note": "家属告知", "died_on": "2026-03-01"},
        headers=staff1,
    )
    assert marked.status_code == 200, marked.text

    roster = client.get(f"/api/v1/staff/activities/{activity['id']}/roster", headers=staff1).json()
    assert [(r["retiree_name"], r["status_code"]) for r in roster["data"]] == [
        ("候补老人", "confirmed")
    ]
    assert roster["activity"]["confirmed"] == 1 and roster["activity"]["waitlisted"] == 0
    titles = [n["title"] for n in client.get("/api/v1/inbox", headers=next_in_line).json()["data"]]
    assert "候补成功" in titles
    family = wechat_headers(client, fake_wechat.base_url, "openid-fa")
    family_titles = [n["title"] for n in client.get("/api/v1/inbox", headers=family).json()["data"]]
    assert not {"预约已取消", "活动取消"} & set(family_titles)
