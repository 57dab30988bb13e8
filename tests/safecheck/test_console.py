"""The 报平安 console page: today's board, turning it on with a time, a pause, "已联系上",
a bad time said in Chinese on the page; every write in the audit log."""

from __future__ import annotations

from urllib.parse import unquote

from sqlmodel import Session, col, select

from backend.accounts.models import AuditLog
from tests.console.test_console_forms import _console
from tests.factories import World
from tests.safecheck.conftest import shanghai


def test_staff_turn_it_on_pause_and_confirm_on_the_page(
    app_server, world: World, engine, clock
) -> None:
    a = world.retiree_a.id
    clock.set(shanghai(2026, 3, 2, 8, 0))
    with _console(app_server.base_url) as (console, csrf):
        page = console.get("/console/safecheck").text
        assert "可以开通的老同志" in page and "王建国" in page and "独居" in page
        bad = console.post(
            f"/console/safecheck/{a}/plan",
            data={"csrf": csrf, "due_time": "9点"},
            headers={"referer": f"{app_server.base_url}/console/safecheck"},
        )
        assert bad.status_code == 303
        assert "每天报平安的时间" in unquote(bad.headers["location"])
        on = console.post(
            f"/console/safecheck/{a}/plan",
            data={"csrf": csrf, "due_time": "09:00", "form_token": "t1"},
        )
        assert "已开通" in unquote(on.headers["location"])
        page = console.get("/console/safecheck").text
        assert f'data-retiree="{a}" class="status-waiting"' in page
        clock.set(shanghai(2026, 3, 2, 9, 30))
        page = console.get("/console/safecheck").text
        assert 'class="status-missing"' in page and "还没报平安" in page
        paused = console.post(
            f"/console/safecheck/{a}/pauses",
            data={
                "csrf": csrf,
                "kind": "外出",
                "starts_on": "2026-03-03",
                "ends_on": "",
                "form_token": "t2",
            },
        )
        assert "回来的日子" in unquote(paused.headers["location"])  # away needs an end
        done = console.post(f"/console/safecheck/{a}/confirm", data={"csrf": csrf})
        assert "联系上了" in unquote(done.headers["location"])
        page = console.get("/console/safecheck").text
        assert 'class="status-checked_in"' in page and "工作人员" in page
        other = console.post(
            f"/console/safecheck/{world.retiree_b.id}/plan",
            data={"csrf": csrf, "due_time": "09:00", "form_token": "t3"},
        )
        assert "没有找到这位老同志" in unquote(other.headers["location"])
    with Session(engine) as db:
        actions = db.exec(
            select(AuditLog.action).where(col(AuditLog.action).startswith("safecheck."))
        ).all()
    assert sorted(actions) == ["safecheck.confirm", "safecheck.plan"]
