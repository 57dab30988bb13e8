"""Cross-unit writes through the console: staff of one unit post to every console route that
takes the id of another unit's row, and nothing in the database changes.

The API has the same walk in tests/accounts/test_access_matrix.py; both doors call the same
service functions, so a rule missing from one door shows up here. Adding a console POST route
with an id in its path without a row here fails `test_every_console_post_with_an_id_is_walked`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from backend.accounts.enums import StaffRole
from backend.checkin.models import CheckinCampaign
from backend.console.auth import csrf_for
from backend.core.db import transaction
from backend.models_registry import metadata
from tests.accounts.test_access_matrix import SECRET, Seeded, _seed
from tests.factories import PASSWORD, TLS, World, make_staff

# (path, form) — every console POST route whose path names a row that belongs to a unit.
ROUTES: list[tuple[str, dict[str, Any]]] = [
    ("/console/activities/{activity_id}/capacity", {"capacity": "5"}),
    ("/console/activities/{activity_id}/signup", {"retiree_id": "{retiree_id}"}),
    ("/console/activities/{activity_id}/cancel", {"reason": "下雨"}),
    ("/console/activities/bookings/{booking_id}/attendance", {"attended": "1"}),
    ("/console/activities/bookings/{booking_id}/cancel", {"reason": "身体不适"}),
    ("/console/activities/{activity_id}/scan", {"code": "ABCD1234"}),
    ("/console/activities/{activity_id}/photo", {}),
    ("/console/staff/{staff_id}/active", {"active": "0"}),
    ("/console/staff/{staff_id}/password", {"password": "new-password-123"}),
    ("/console/questions/{question_id}/answer", {"answer": "您好，已电话联系您。"}),
    ("/console/questions/{question_id}/dismiss", {}),
    ("/console/checkin/{campaign_id}/extend", {"closes_on": "2026-04-30"}),
    ("/console/checkin/{campaign_id}/approve-unchanged", {}),
    ("/console/checkin/{campaign_id}/record", {"retiree_id": "{retiree_id}", "channel": "电话"}),
    ("/console/checkin/submissions/{submission_id}/review", {"action": "approve", "version": "1"}),
    ("/console/contacts/{retiree_id}/pause", {}),
    ("/console/contacts/{retiree_id}/resume", {}),
    (
        "/console/lost/{lost_case_id}/investigation",
        {"investigator_staff_id": "{staff_id}", "due_on": "2030-01-01"},
    ),
    ("/console/lost/{lost_case_id}/notes", {"text": "上门没人"}),
    ("/console/lost/{lost_case_id}/pause-decision", {"decision": "暂停发放", "reason": "按规定"}),
    ("/console/lost/{lost_case_id}/close", {"how": "电话联系上", "restored_on": "2026-03-01"}),
    ("/console/import/{import_id}/confirm", {}),
    ("/console/meals/menus/{menu_id}/cancel", {"reason": "停水"}),
    ("/console/meals/options/{option_id}/portions", {"portions": "20"}),
    ("/console/meals/options/{option_id}/cancel", {"reason": "没买到鱼"}),
    (
        "/console/meals/menus/{menu_id}/orders",
        {"retiree_id": "{retiree_id}", "option_id": "{free_option_id}"},
    ),
    ("/console/meals/orders/{order_id}/paid", {}),
    ("/console/meals/orders/{order_id}/cancel", {"reason": "住院"}),
    ("/console/notices/{notice_id}/edit", {"title": "改了", "body": "改了", "action": "save"}),
    ("/console/notices/{notice_id}/withdraw", {}),
    ("/console/retirees/{retiree_id}/edit", {"name": "改名", "phone": "13700000000"}),
    ("/console/retirees/{retiree_id}/status", {"status": "暂停", "note": "住院"}),
    ("/console/retirees/{retiree_id}/binding-code", {}),
    ("/console/retirees/{retiree_id}/invite", {"relation": "子女"}),
    ("/console/retirees/{retiree_id}/family/{binding_id}/revoke", {}),
    ("/console/retirees/{retiree_id}/unbind-wechat", {}),
    ("/console/rides/{ride_id}/complete", {}),
    ("/console/rides/{ride_id}/cancel", {"reason": "家人送"}),
    ("/console/rides/{ride_id}/cannot-arrange", {"reason": "车坏了"}),
    ("/console/rides/fleet/{kind}/{item_id}/active", {"active": "0"}),
    ("/console/visits/tasks/{task_id}/close", {}),
    ("/console/visits/follow-ups/{follow_up_id}/close", {"note": "办好了"}),
    ("/console/visits/settings/{unit_id}", {"flag": "空巢", "every_months": "2"}),
    (
        "/console/duty/shifts/{shift_id}",
        {"staff_id": "{staff_id}", "day": "2026-03-04", "start": "08:00", "end": "12:00"},
    ),
    ("/console/duty/shifts/{shift_id}/delete", {}),
    ("/console/duty/units/{unit_id}/phone", {"phone": "0431-80000001"}),
    ("/console/duty/units/{unit_id}/phones", {"label": "办公室", "phone": "0431-80000003"}),
    ("/console/duty/phones/{phone_id}/delete", {}),
    (
        "/console/sos/contacts/{retiree_id}",
        {"name": "李四", "relation": "儿子", "phone": "13900000009"},
    ),
    ("/console/sos/{alert_id}/acknowledge", {}),
    ("/console/sos/{alert_id}/close", {"outcome": "误触"}),
    (
        "/console/safecheck/{retiree_id}/plan",
        {"enabled": "true", "due_time": "10:00", "quiet_start": "21:00", "quiet_end": "07:00"},
    ),
    ("/console/safecheck/{retiree_id}/confirm", {}),
    ("/console/retirees/{retiree_id}/revoke-death", {"reason": "登记错了"}),
    ("/console/surveys/{survey_id}/send", {}),
    ("/console/surveys/{survey_id}/close", {}),
    ("/console/matters/{matter_id}/sign", {"agree": "true"}),
    ("/console/matters/{matter_id}/decide", {"agree": "true"}),
    ("/console/matters/{matter_id}/acknowledge", {}),
    ("/console/matters/{matter_id}/return", {"returned_on": "2026-03-01"}),
    ("/console/matters/{matter_id}/quarterly", {"text": "一切都好"}),
    ("/console/safecheck/{retiree_id}/pauses", {"kind": "外出", "starts_on": "2030-01-01"}),
    (
        "/console/funerals/{funeral_id}/tasks/{funeral_task_id}",
        {"due_on": "2030-01-01", "done": "true"},
    ),
    ("/console/funerals/{funeral_id}/texts", {"obituary": "讣告", "biography": "生平"}),
    ("/console/funerals/{funeral_id}/benefits/{benefit_id}", {"status": "审核", "amount": "5000"}),
    ("/console/funerals/{funeral_id}/benefits/{benefit_id}/documents", {}),
    ("/console/funerals/{funeral_id}/survivors", {"name": "刘桂芳", "relation": "配偶"}),
    (
        "/console/funerals/{funeral_id}/survivors/{survivor_id}",
        {"name": "刘桂芳", "relation": "配偶", "without_income": "true", "subsidy": "800"},
    ),
    ("/console/funerals/{funeral_id}/family-notices", {"body": "您好"}),
    ("/console/medical/claims/{claim_id}/receipts/{receipt_id}/check", {"accept": "true"}),
    ("/console/medical/claims/{claim_id}/approve", {"pay_on": "2026-04-10"}),
    ("/console/staff/{staff_id}/medical", {"is_medical": "true"}),
    (
        "/console/health/retirees/{retiree_id}/entries",
        {"kind": "其他", "happened_on": "2026-03-01", "summary": "血压偏高"},
    ),
    ("/console/health/retirees/{retiree_id}/entries/{entry_id}", {"summary": "血压偏高"}),
    ("/console/health/retirees/{retiree_id}/entries/{entry_id}/report", {}),
    ("/console/cases/{case_id}/handler", {"staff_id": "{staff_id}"}),
    ("/console/cases/{case_id}/notes", {"text": "已电话联系"}),
    ("/console/cases/{case_id}/reply", {"text": "已答复"}),
    ("/console/cases/{case_id}/attachments", {}),
]
# Routes with an id in the path that name no unit-scoped row ({kind} is a word).
NOT_SCOPED = {"/console/rides/fleet/{kind}"}


def _console_post_paths(app: Any) -> set[str]:
    found: set[str] = set()
    for module_router in _routers(None):
        for route in module_router.routes:
            methods = getattr(route, "methods", None) or set()
            if "POST" in methods and "{" in route.path:
                found.add(route.path)
    assert len(found) > 30, "the console route walk found too few routes"
    return found


def _routers(router: Any) -> list[Any]:
    """Every console page module's router, found by name (backend/console/pages_*.py), so a new
    page module is walked without being listed here."""
    import importlib
    import pkgutil

    import backend.console as console

    modules = [
        importlib.import_module(f"backend.console.{info.name}")
        for info in pkgutil.iter_modules(console.__path__)
        if info.name.startswith("pages_")
    ]
    return [m.router for m in modules if hasattr(m, "router")]


def test_every_console_post_with_an_id_is_walked(app_server) -> None:
    walked = {path for path, _ in ROUTES} | NOT_SCOPED
    missing = _console_post_paths(app_server.app) - walked
    assert not missing, f"console routes without a cross-unit attempt: {sorted(missing)}"


def _snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the sessions (logging in writes one)."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.name in {"auth_session", "apscheduler_jobs"}:
                continue
            rows = conn.execute(text(f'SELECT * FROM "{table.name}"')).all()
            out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out


@contextmanager
def _console_client(base_url: str, username: str) -> Iterator[httpx.Client]:
    with httpx.Client(verify=TLS, base_url=base_url, timeout=30, follow_redirects=False) as client:
        response = client.post(
            "/console/login",
            data={"username": username, "password": PASSWORD, "next": "/console"},
        )
        assert response.status_code == 303, response.text[:300]
        yield client


def _csrf(client: httpx.Client) -> str:
    return csrf_for(SECRET, client.cookies["junxiu_console"])


def _fill(template: str, world: World, seeded: Seeded, extra: dict[str, int]) -> str:
    return template.format(
        retiree_id=world.retiree_a.id,
        binding_id=world.family_a.id,
        import_id=seeded.import_id,
        question_id=seeded.question_id,
        notice_id=seeded.notice_id,
        campaign_id=seeded.campaign_id,
        submission_id=seeded.submission_id,
        activity_id=seeded.activity_id,
        booking_id=seeded.booking_id,
        session_id=seeded.session_id,
        lost_case_id=seeded.lost_case_id,
        kind="vehicles",
        item_id=seeded.rides["vehicle_id"],
        **{k: v for k, v in seeded.rides.items() if k != "vehicle_id"},
        **seeded.meals,
        **seeded.visits,
        **seeded.contact,
        **seeded.sos,
        **seeded.satisfaction,
        **seeded.matters,
        **seeded.bereavement,
        **seeded.medical,
        **seeded.health,
        **seeded.cases,
        **extra,
    )


def _refused(response: httpx.Response) -> bool:
    if response.status_code in (403, 404):
        return True
    # A form that shows its error on the page it came from: a redirect carrying the error line
    # (`err=`; a plain `msg=` line is a success and does not count as refused).
    return response.status_code == 303 and "err=" in response.headers.get("location", "")


@pytest.fixture
def other_unit_admin(engine: Engine, clock, world: World) -> str:
    make_staff(engine, clock, unit=world.unit2, username="admin2", role=StaffRole.admin)
    return "admin2"


def test_staff_of_another_unit_change_nothing_through_the_console(
    app_server, engine: Engine, world: World, settings, other_unit_admin: str
) -> None:
    seeded = _seed(engine, world, settings.upload_dir)
    extra = {"staff_id": world.staff1.id or 0, "entry_id": seeded.health["health_entry_id"]}
    failures = []
    for username in ("staff2", other_unit_admin):
        with _console_client(app_server.base_url, username) as client:
            before = _snapshot(engine)  # after logging in (which stamps last_login_at)
            for template, form in ROUTES:
                path = _fill(template, world, seeded, extra)
                data = {k: _fill(v, world, seeded, extra) for k, v in form.items()}
                data["csrf"] = _csrf(client)
                files = (
                    {"file": ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32)}
                    if template.endswith(("/photo", "/report", "/attachments"))
                    else None
                )
                response = client.post(path, data=data, files=files)
                if not _refused(response):
                    failures.append(f"{username} {path}: {response.status_code}")
                elif _snapshot(engine) != before:
                    failures.append(f"{username} {path}: changed the database")
                    before = _snapshot(engine)
    assert not failures, "\n".join(failures)


def test_institute_staff_cannot_extend_the_centre_wide_check_in(
    client: httpx.Client, app_server, engine: Engine, world: World
) -> None:
    """The centre opened the campaign; staff of a 军休所 see their part but may not move the
    deadline for everyone — through the API and through the console alike (both 404)."""
    now = datetime.now(UTC)
    with transaction(engine) as db:
        campaign = CheckinCampaign(
            year=2026,
            unit_id=world.centre.id or 0,
            opens_on=date(2026, 1, 1),
            closes_on=date(2026, 3, 31),
            created_by_staff_id=world.admin.id or 0,
            created_at=now,
            updated_at=now,
        )
        db.add(campaign)
        db.flush()
        campaign_id = campaign.id
    from tests.factories import staff_headers

    api = client.patch(
        f"/api/v1/staff/checkin/campaigns/{campaign_id}",
        json={"closes_on": "2026-04-30"},
        headers=staff_headers(client, "staff1"),
    )
    assert api.status_code == 404
    with _console_client(app_server.base_url, "staff1") as console:
        response = console.post(
            f"/console/checkin/{campaign_id}/extend",
            data={"closes_on": "2026-04-30", "csrf": _csrf(console)},
        )
        assert response.status_code == 404, response.text[:300]
    with transaction(engine) as db:
        assert db.get(CheckinCampaign, campaign_id).closes_on == date(2026, 3, 31)
    with _console_client(app_server.base_url, "admin1") as console:
        response = console.post(
            f"/console/checkin/{campaign_id}/extend",
            data={"closes_on": "2026-04-30", "csrf": _csrf(console)},
        )
        assert response.status_code == 303
    with transaction(engine) as db:
        assert db.get(CheckinCampaign, campaign_id).closes_on == date(2026, 4, 30)
