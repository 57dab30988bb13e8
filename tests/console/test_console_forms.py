"""Console forms read through the domains' input schemas (FastAPI form models): what a schema
refuses is said in Chinese on the page the form came from, never as the API's JSON or a 500; a
rule lives in the service, so the console and the JSON API answer alike."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import unquote

import httpx
from sqlalchemy import text
from sqlalchemy.engine import Engine

from backend.console.auth import csrf_for
from tests.accounts.test_access_matrix import SECRET
from tests.activities.conftest import create_activity
from tests.factories import PASSWORD, TLS, World, staff_headers


@contextmanager
def _console(base_url: str) -> Iterator[tuple[httpx.Client, str]]:
    with httpx.Client(verify=TLS, base_url=base_url, timeout=30, follow_redirects=False) as client:
        response = client.post("/console/login", data={"username": "staff1", "password": PASSWORD})
        assert response.status_code == 303
        yield client, csrf_for(SECRET, client.cookies["junxiu_console"])


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one())


def test_an_unknown_fleet_kind_is_a_missing_page_and_creates_nothing(
    app_server, engine: Engine, world: World
) -> None:
    before = _count(engine, "ride_destination")
    with _console(app_server.base_url) as (client, csrf):
        form = {"csrf": csrf, "name": "社区医院", "address": "幸福路1号"}
        response = client.post("/console/rides/fleet/spaceships", data=form)
        assert response.status_code == 404
        assert "没有找到" in response.text
        assert _count(engine, "ride_destination") == before
        toggled = client.post("/console/rides/fleet/spaceships/1/active", data={"csrf": csrf})
        assert toggled.status_code == 404
        # The kinds that exist still work.
        added = client.post("/console/rides/fleet/destinations", data=form)
        assert added.status_code == 303 and "msg=" in added.headers["location"]
        assert _count(engine, "ride_destination") == before + 1


def test_a_refused_form_says_why_in_chinese_on_its_page(
    app_server, client: httpx.Client, world: World
) -> None:
    activity = create_activity(client, staff_headers(client, "staff1"))
    page = f"/console/activities/{activity['id']}"
    with _console(app_server.base_url) as (console, csrf):
        referer = f"{app_server.base_url}{page}?msg=old"
        response = console.post(
            f"{page}/capacity",
            data={"csrf": csrf, "capacity": "很多"},
            headers={"Referer": referer},
        )
        assert response.status_code == 303
        location = unquote(response.headers["location"])
        assert location.startswith(f"{page}?err=")  # the old outcome line is dropped
        assert "名额请填一个大于0的数字" in location
        # Without the page it came from: the console's error page, in Chinese, not JSON.
        bare = console.post(f"/console/activities/{activity['id']}/signup", data={"csrf": csrf})
        assert bare.status_code == 422
        assert bare.headers["content-type"].startswith("text/html")
        assert "请先在「老同志」一栏" in bare.text
        # A field the schema names gets its Chinese title.
        many = console.post(
            f"{page}/signup",
            data={"csrf": csrf, "retiree_id": str(world.retiree_a.id), "quantity": "99"},
        )
        assert many.status_code == 422
        assert "人数不能大于5" in many.text


def test_a_blank_reason_is_refused_by_both_doors(
    app_server, client: httpx.Client, world: World
) -> None:
    """The console always asked for a reason; the API took one made of spaces. The rule now
    lives in the service."""
    headers = staff_headers(client, "staff1")
    activity = create_activity(client, headers)
    api = client.post(
        f"/api/v1/staff/activities/{activity['id']}/cancel", json={"reason": "   "}, headers=headers
    )
    assert api.status_code == 400
    assert "请写取消的原因" in api.json()["message"]
    with _console(app_server.base_url) as (console, csrf):
        response = console.post(
            f"/console/activities/{activity['id']}/cancel", data={"csrf": csrf, "reason": "  "}
        )
        assert response.status_code == 303
        assert "请写取消的原因" in unquote(response.headers["location"])
    listed = client.get("/api/v1/staff/activities", headers=headers).json()["data"]
    (still,) = [a for a in listed if a["id"] == activity["id"]]
    assert still["status"] == activity["status"]
