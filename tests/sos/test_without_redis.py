"""Redis down: an alert still goes in, once, and reaches staff and the retiree's inbox. Two app
servers sharing the database, each with a cache pointed at a Redis that is not there, stand in
for two workers behind a load balancer (a duplicate tap lands on the other one)."""

from __future__ import annotations

import httpx
from sqlmodel import Session, col, select

from backend.notices.models import InboxItem, Notice, StaffAlert
from backend.sos.models import SosAlert
from tests.core.test_without_redis import _wechat_token, two_workers  # noqa: F401 - fixture
from tests.factories import TLS, World, staff_headers


def test_alert_goes_in_once_and_is_told_with_redis_down(
    two_workers,  # noqa: F811 - the fixture imported above
    world: World,
    fake_wechat,
    engine,  # noqa: F811 - the fixture
) -> None:
    a, b = (httpx.Client(verify=TLS, base_url=w.base_url, timeout=30) for w in two_workers)
    with a, b:
        token = _wechat_token(str(a.base_url), fake_wechat.base_url, "openid-a")
        bearer = {"Authorization": f"Bearer {token}"}
        body = {"retiree_id": world.retiree_a.id}
        first = a.post("/api/v1/sos/alerts", json=body, headers=bearer)
        second = b.post("/api/v1/sos/alerts", json=body, headers=bearer)
        assert first.status_code == second.status_code == 200, first.text
        assert first.json()["id"] == second.json()["id"]
        alert_id = first.json()["id"]
        staff = staff_headers(b, "staff1")
        listed = b.get("/api/v1/staff/sos/alerts", params={"open_only": True}, headers=staff)
        assert [c["id"] for c in listed.json()["data"]] == [alert_id]
    with Session(engine) as db:
        assert len(db.exec(select(SosAlert)).all()) == 1
        staff_alerts = db.exec(
            select(StaffAlert).where(StaffAlert.dedupe_key == f"sos:{alert_id}:raised")
        ).all()
        notice = db.exec(select(Notice).where(Notice.dedupe_key == f"sos:{alert_id}:raised")).one()
        inbox = db.exec(
            select(InboxItem).where(
                InboxItem.notice_id == notice.id, col(InboxItem.retiree_id) == world.retiree_a.id
            )
        ).all()
    assert len(staff_alerts) == 1
    # The retiree's own row and the daughter's copy, written after the commit.
    assert len(inbox) == 2
