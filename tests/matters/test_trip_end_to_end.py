"""Done when: a 师级 retiree reports a trip abroad in the mini-program and sees it approved within
第十五条's 10 working days — the 军休所 head signs in the console, the higher department approves
over the staff API, the clock injected and moved, the reminder before the deadline sent once."""

from __future__ import annotations

from urllib.parse import unquote

import httpx
from sqlmodel import Session, col, select

from backend.accounts.models import AuditLog
from backend.core.clock import as_utc
from backend.core.context import AppContext
from backend.matters import scheduled, stats
from backend.notices.models import StaffAlert
from tests.factories import World, staff_headers, wechat_headers
from tests.matters.conftest import TRIP, console_as, make_division, shanghai
from tests.pdf_text import pdf_text


def test_a_division_level_trip_is_applied_for_signed_approved_and_seen(
    client: httpx.Client, app_server, world: World, engine, clock, fake_wechat, head1
) -> None:
    make_division(engine, world.retiree_a)
    a = world.retiree_a.id
    me = wechat_headers(client, fake_wechat.base_url, "openid-a")
    clock.set(shanghai(2026, 3, 2, 10))  # Monday
    made = client.post("/api/v1/matters", json={"retiree_id": a, **TRIP}, headers=me)
    assert made.status_code == 201, made.text
    m = made.json()
    assert (m["flow"], m["status"], m["headline"]) == ("审批", "submitted", "已提交，等所里处理")
    # 10 working days after Monday 2 March: Monday 16 March, to the end of that day in Shanghai.
    assert m["due_at"].startswith("2026-03-16T16:00:00")
    assert "最晚3月16日前办完审批" in m["next_step"]
    assert ["护照号码", "****5678"] in m["lines"] and "E12345678" not in made.text

    with console_as(app_server.base_url, "head1") as (console, csrf):
        queue = console.get("/console/matters").text
        assert f'data-matter="{m["id"]}"' in queue and "还剩10个工作日" in queue
        page = console.get(f"/console/matters/{m['id']}").text
        assert "军休所负责人签署意见" in page and "****5678" in page
    clock.set(shanghai(2026, 3, 4, 9))  # a console session lasts a working day: sign in again
    with console_as(app_server.base_url, "head1") as (console, csrf):
        signed = console.post(
            f"/console/matters/{m['id']}/sign", data={"csrf": csrf, "agree": "true"}
        )
        assert "报上级部门审批" in unquote(signed.headers["location"])
        again = console.post(
            f"/console/matters/{m['id']}/sign", data={"csrf": csrf, "agree": "true"}
        )
        assert "等上级部门审批" in unquote(again.headers["location"])
    state = client.get("/api/v1/matters", params={"retiree_id": a}, headers=me).json()
    assert state["data"][0]["headline"] == "所里已同意，等上级部门审批"

    # Two working days before the deadline the higher department is reminded, once.
    ctx: AppContext = app_server.app.state.ctx
    clock.set(shanghai(2026, 3, 12, 9))  # Thursday: 12th, 13th and 16th left
    scheduled.run(ctx)
    clock.set(shanghai(2026, 3, 13, 9))
    scheduled.run(ctx)
    scheduled.run(ctx)
    with Session(engine) as db:
        sent = db.exec(
            select(StaffAlert.unit_id, StaffAlert.title).where(
                col(StaffAlert.dedupe_key) == f"matters:{m['id']}:due_soon"
            )
        ).all()
    assert len(sent) == 1 and sent[0][0] == world.centre.id and "快到期" in sent[0][1]

    admin = staff_headers(client, "admin1")  # 服务管理中心: the unit above 第一军休所
    early = client.post(
        f"/api/v1/staff/matters/{m['id']}/decide", json={"agree": False}, headers=admin
    )
    assert early.status_code == 422 and "原因" in early.json()["message"]
    done = client.post(
        f"/api/v1/staff/matters/{m['id']}/decide", json={"agree": True}, headers=admin
    )
    assert done.status_code == 200, done.text
    card = done.json()
    assert (card["status_label"], card["late"]) == ("已批准", False)
    assert as_utc(_dt(card["decided_at"])) <= as_utc(_dt(card["due_at"]))

    mine = client.get("/api/v1/matters", params={"retiree_id": a}, headers=me).json()["data"][0]
    assert mine["headline"] == "已批准" and mine["can_withdraw"] is False
    assert [s["what"] for s in mine["steps"]] == ["提交", "军休所签署同意", "上级部门批准"]
    inbox = client.get("/api/v1/inbox", headers=me).json()["data"]
    assert any("出国(境)申请已批准" in i["title"] for i in inbox)

    with console_as(app_server.base_url, "admin1") as (console, _):
        data = console.get(f"/console/matters/{m['id']}/form.pdf").content
    text = pdf_text(data)
    assert "师级军休干部因私出国（境）审批表" in text and "王建国" in text and "日本" in text
    assert "赵所长" in text and "E12345678" not in text

    with Session(engine) as db:
        actions = db.exec(
            select(AuditLog.action)
            .where(col(AuditLog.action).startswith("matters."))
            .order_by(col(AuditLog.id))
        ).all()
        figures = stats.monthly_figures(
            db,
            unit_ids=[world.unit1.id, world.station1.id],
            start=shanghai(2026, 3, 1, 0),
            end=shanghai(2026, 4, 1, 0),
        )
    assert actions == ["matters.sign", "matters.decide"]
    assert figures == {"reported": 1, "approved": 1, "late": 0}


def _dt(text: str):  # type: ignore[no-untyped-def]
    from datetime import datetime

    return datetime.fromisoformat(text)
