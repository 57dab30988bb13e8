"""The console side: staff record a matter for a retiree (a bad form said on the page), the
queue counts per kind and shows what is late, the export for the higher department, and the
节假日 page — an admin's new day off moves the next deadline, audited; staff may not open it."""

from __future__ import annotations

import io
from urllib.parse import unquote

from openpyxl import load_workbook
from sqlmodel import Session, col, select

from backend.accounts.models import AuditLog
from tests.factories import World
from tests.matters.conftest import console_as, shanghai


def test_staff_record_a_move_see_it_due_then_late_and_export_it(
    app_server, world: World, clock
) -> None:
    a = world.retiree_a.id
    clock.set(shanghai(2026, 3, 2, 10))
    with console_as(app_server.base_url, "staff1") as (console, csrf):
        bad = console.post(
            "/console/matters",
            data={"csrf": csrf, "retiree_id": str(a), "kind": "居住地变更", "new_address": ""},
            headers={"referer": f"{app_server.base_url}/console/matters"},
        )
        assert bad.status_code == 303 and "新的住址" in unquote(bad.headers["location"])
        made = console.post(
            "/console/matters",
            data={
                "csrf": csrf,
                "form_token": "m1",
                "retiree_id": str(a),
                "kind": "居住地变更",
                "new_address": "长春市南关区幸福街8号",
                "on_date": "2026-03-01",
                "destination": "",
            },
        )
        where = unquote(made.headers["location"])
        assert "已登记居住地变更，期限到3月5日" in where
        queue = console.get("/console/matters").text
        assert 'data-due="居住地变更">1<' in queue
    clock.set(shanghai(2026, 3, 6, 10))
    with console_as(app_server.base_url, "staff1") as (console, _):
        queue = console.get("/console/matters?show=late").text
        assert 'data-late="居住地变更" class="late">1<' in queue and "超期" in queue
        sheet = console.get("/console/matters/export.xlsx?start=2026-03-01&end=2026-03-31")
    assert sheet.status_code == 200
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[1][:6] == ("编号", "老同志", "职级", "单位", "事项", "办理方式")
    assert rows[2][1] == "王建国" and rows[2][4] == "居住地变更" and rows[2][10] == "超期"
    assert "长春市南关区幸福街8号" in rows[2][6]


def test_an_admin_adds_a_day_off_and_the_next_deadline_moves(
    app_server, world: World, engine, clock
) -> None:
    clock.set(shanghai(2026, 3, 2, 10))
    with console_as(app_server.base_url, "staff1") as (console, _):
        assert console.get("/console/calendar").status_code == 403
    with console_as(app_server.base_url, "admin1") as (console, csrf):
        page = console.get("/console/calendar").text
        assert "国庆节" in page and "2026-10-01" in page
        added = console.post(
            "/console/calendar",
            data={"csrf": csrf, "day": "2026-03-04", "working": "false", "name": "全所停电"},
        )
        assert "已保存：3月4日放假" in unquote(added.headers["location"])
        assert "全所停电" in console.get("/console/calendar?year=2026").text
        bad = console.post(
            "/console/calendar",
            data={"csrf": csrf, "day": "2026-03-05", "working": "false", "name": ""},
            headers={"referer": f"{app_server.base_url}/console/calendar"},
        )
        assert "请写上这天的名称" in unquote(bad.headers["location"])
        made = console.post(
            "/console/matters",
            data={
                "csrf": csrf,
                "form_token": "m2",
                "retiree_id": str(world.retiree_a.id),
                "kind": "表彰奖励",
                "award": "优秀党员",
                "awarded_by": "市委组织部",
            },
        )
        # 3 working days from Monday 2 March, the 4th off: the 3rd, 5th and 6th.
        assert "期限到3月6日" in unquote(made.headers["location"])
        gone = console.post("/console/calendar/remove", data={"csrf": csrf, "day": "2026-03-04"})
        assert "已去掉3月4日" in unquote(gone.headers["location"])
    with Session(engine) as db:
        actions = db.exec(
            select(AuditLog.action)
            .where(col(AuditLog.action).startswith("workdays."))
            .order_by(col(AuditLog.id))
        ).all()
    assert actions == ["workdays.set", "workdays.remove"]
