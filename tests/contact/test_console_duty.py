"""The 值班表 console page: the week per unit in scope, add / change / remove a shift and edit the
phones through the same service as the API; an overlap for one person comes back as the
Chinese error line with nothing written."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import unquote

import httpx
from sqlmodel import Session, select

from backend.accounts.models import AuditLog, Unit
from backend.console.auth import csrf_for
from backend.contact.models import DutyShift
from tests.accounts.test_access_matrix import SECRET
from tests.contact.conftest import staff_with_phone
from tests.factories import PASSWORD, TLS, World


@contextmanager
def _console(base_url: str, username: str) -> Iterator[tuple[httpx.Client, str]]:
    with httpx.Client(verify=TLS, base_url=base_url, timeout=30) as client:
        response = client.post("/console/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 303, response.text[:300]
        yield client, csrf_for(SECRET, client.cookies["junxiu_console"])


def test_the_week_is_kept_on_the_console(app_server, world: World, engine, clock) -> None:
    li = staff_with_phone(
        engine, clock, unit=world.unit1, username="li", name="李红", phone="13900000001"
    )
    with _console(app_server.base_url, "staff1") as (client, csrf):
        page = client.get("/console/duty")
        assert page.status_code == 200
        assert "值班表 · 3月2日–3月8日" in page.text and "第一军休所" in page.text
        assert "第二军休所" not in page.text  # another unit's roster is not in staff1's scope
        assert 'href="/console/duty" class="active"' in page.text  # in the nav

        shift = {"csrf": csrf, "unit_id": str(world.unit1.id), "staff_id": str(li.id)}
        made = client.post(
            "/console/duty/shifts",
            data={**shift, "day": "2026-03-03", "start": "17:30", "end": "08:30"},
            follow_redirects=False,
        )
        assert made.status_code == 303 and "msg=" in made.headers["location"]
        assert made.headers["location"].startswith("/console/duty?week=2026-03-02")
        week = client.get("/console/duty?week=2026-03-03").text
        assert "3月3日 星期二" in week and "17:30–次日08:30" in week and "李红" in week

        clash = client.post(
            "/console/duty/shifts",
            data={**shift, "day": "2026-03-04", "start": "07:00", "end": "09:00"},
            follow_redirects=False,
        )
        assert "同一个人的班不能重叠" in unquote(clash.headers["location"])
        with Session(engine) as db:
            rows = db.exec(select(DutyShift)).all()
            assert len(rows) == 1
            shift_id = rows[0].id

        moved = client.post(
            f"/console/duty/shifts/{shift_id}",
            data={**shift, "day": "2026-03-03", "start": "18:00", "end": "08:00"},
            follow_redirects=False,
        )
        assert "msg=" in moved.headers["location"]
        phone = client.post(
            f"/console/duty/units/{world.unit1.id}/phone",
            data={"csrf": csrf, "phone": "0431-80000001"},
            follow_redirects=False,
        )
        assert "msg=" in phone.headers["location"]
        gone = client.post(
            f"/console/duty/shifts/{shift_id}/delete", data={"csrf": csrf}, follow_redirects=False
        )
        assert "msg=" in gone.headers["location"]
    with Session(engine) as db:
        assert db.exec(select(DutyShift)).all() == []
        unit = db.get(Unit, world.unit1.id)
        assert unit is not None and unit.phone == "0431-80000001"
        actions = [a.action for a in db.exec(select(AuditLog).order_by(AuditLog.id)).all()]
    assert actions == ["duty_shift.create", "duty_shift.update", "unit.phone", "duty_shift.delete"]


def test_the_roster_changes_read_as_chinese_in_the_audit_log(
    app_server, world: World, engine, clock
) -> None:
    li = staff_with_phone(
        engine, clock, unit=world.unit1, username="li", name="李红", phone="13900000001"
    )
    with _console(app_server.base_url, "admin1") as (client, csrf):
        client.post(
            "/console/duty/shifts",
            data={
                "csrf": csrf,
                "unit_id": str(world.unit1.id),
                "staff_id": str(li.id),
                "day": "2026-03-03",
                "start": "08:00",
                "end": "12:00",
            },
        )
        page = client.get("/console/audit").text
    assert "排班" in page and "值班人" in page and "李红" in page
    assert "13900000001" not in page  # the shift's phone is masked in the log
