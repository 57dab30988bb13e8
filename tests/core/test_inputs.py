"""The shared input types (backend/core/inputs.py) and the one place that words validation
errors (backend/core/labels.py), at the API door and on console forms."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from pydantic import ValidationError

from backend.accounts.schemas import RetireeCreate
from backend.activities.schemas import ActivityIn
from backend.console.forms import form_errors
from backend.core.inputs import MAX_ID
from tests.factories import PASSWORD, World, staff_headers, wechat_headers


def _form_errors(model: type, data: dict) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return form_errors(caught.value)


def test_console_form_errors_use_the_schema_labels_once() -> None:
    errors = _form_errors(
        RetireeCreate,
        {
            "name": "",
            "gender": "男",
            "birth_date": "2099-01-01",
            "category": "退休",
            "level": "团级及以下",
            "unit_id": 1,
            "phone": "12",
            "id_number": "",
        },
    )
    assert "姓名必须填写" in errors
    assert "出生日期不对" in errors  # the validator's own sentence, not 「出生日期出生日期不对」
    assert not any("出生日期出生日期" in e for e in errors)
    assert any(e.startswith("电话号码格式不对") for e in errors)
    errors = _form_errors(ActivityIn, {"category": "文体活动", "title": "", "place": "x" * 200})
    assert "活动名称必须填写" in errors
    assert "地点太长了，最多100个字" in errors
    assert "开始时间必须填写" in errors and "名额必须填写" in errors


def test_a_trip_error_has_no_list_index(client: httpx.Client, fake_wechat, world: World) -> None:
    headers = wechat_headers(client, fake_wechat.base_url, "openid-a")
    trip = {"destination": "日本", "start_date": "2025-05-10", "end_date": "2025-05-01"}
    response = client.put(
        "/api/v1/checkin/draft",
        json={
            "retiree_id": world.retiree_a.id,
            "answers": {"trips_abroad": [{**trip, "approved": True}]},
        },
        headers=headers,
    )
    assert response.status_code == 422
    message = response.json()["message"]
    assert message.startswith("回来的日期不能早于出发的日期"), message


def test_naive_and_aware_times_mix(client: httpx.Client, world: World) -> None:
    """A time without a zone is a Shanghai wall-clock time; one with a zone is what it says.
    Comparing the two used to be a 500."""
    headers = staff_headers(client, "staff1")
    body = {
        "category": "文体活动",
        "title": "书法课",
        "place": "活动室",
        "starts_at": "2026-04-01T09:00:00",
        "ends_at": "2026-04-01T03:00:00+00:00",  # 11:00 in Shanghai
        "capacity": 10,
    }
    created = client.post("/api/v1/staff/activities", json=body, headers=headers)
    assert created.status_code == 201, created.text
    starts = datetime.fromisoformat(created.json()["starts_at"])
    assert starts.astimezone(UTC) == datetime(2026, 4, 1, 1, 0, tzinfo=UTC)
    backwards = {**body, "ends_at": "2026-04-01T00:30:00+00:00"}  # 08:30 in Shanghai
    refused = client.post("/api/v1/staff/activities", json=backwards, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["message"].startswith("结束时间不能早于开始时间")


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("/api/v1/staff/retirees/{}", "老同志"),
        ("/api/v1/staff/notices/{}", "编号"),
        ("/api/v1/staff/meals/menus/{}", "编号"),
    ],
)
def test_ids_beyond_the_database_are_a_chinese_4xx(
    client: httpx.Client, world: World, path: str, label: str
) -> None:
    headers = staff_headers(client, "admin1")
    for value in (MAX_ID + 1, 2**63, 2**64):
        response = client.get(path.format(value), headers=headers)
        assert response.status_code == 422, response.text
        assert response.json()["message"] == f"{label}不对，请检查。请改正后再提交。"
    assert client.get(path.format(0), headers=headers).status_code == 422
    assert client.get(path.format(MAX_ID), headers=headers).status_code == 404


def test_a_too_short_text_is_counted_in_characters_not_items(
    client: httpx.Client, fake_wechat, world: World
) -> None:
    """A text type with its own validator (the sign-up's 提交编号 is a `Line`): pydantic reports
    its length like a list's; the sentence still counts characters."""
    headers = wechat_headers(client, fake_wechat.base_url, "openid-a")
    response = client.post(
        "/api/v1/activities/1/signup",
        json={"retiree_id": world.retiree_a.id, "idempotency_key": "short"},
        headers=headers,
    )
    assert response.status_code == 422, response.text
    assert response.json()["message"].startswith("提交编号太短了，至少8个字")


def test_text_with_a_nul_byte_is_refused_in_chinese(client: httpx.Client, world: World) -> None:
    headers = staff_headers(client, "staff1")
    response = client.post(
        "/api/v1/staff/notices", json={"title": "停水\x00通知", "body": "明天停水"}, headers=headers
    )
    assert response.status_code == 422
    assert response.json()["message"].startswith("标题里有无法显示的字符")
    # A notice body keeps its lines.
    ok = client.post(
        "/api/v1/staff/notices",
        json={"title": "停水", "body": "明天\n停水\t一天", "audience": {"everyone": True}},
        headers=headers,
    )
    assert ok.status_code == 201, ok.text


def test_console_addresses_with_impossible_ids_show_a_page(
    client: httpx.Client, world: World
) -> None:
    """Out-of-range or non-numeric ids in a console address: the console's own not-found page,
    never a 500 and never JSON."""
    client.post("/console/login", data={"username": "staff1", "password": PASSWORD})
    assert client.get(f"/console/retirees/{world.retiree_a.id}").status_code == 200
    for value in (str(MAX_ID + 1), str(2**63), str(2**64), "0", "abc"):
        for url in (f"/console/retirees/{value}", f"/console/checkin/submissions/{value}"):
            response = client.get(url)
            assert response.status_code == 404, (url, response.status_code)
            assert response.headers["content-type"].startswith("text/html")
            assert "没有找到" in response.text


def test_search_reads_full_width_digits(client: httpx.Client, world: World) -> None:
    headers = staff_headers(client, "staff1")
    found = client.get(
        "/api/v1/staff/retirees", params={"q": "１３８００１３８０００"}, headers=headers
    )
    assert found.status_code == 200, found.text
    assert [r["id"] for r in found.json()["data"]] == [world.retiree_a.id]
    client.post("/console/login", data={"username": "staff1", "password": PASSWORD})
    page = client.get("/console/retirees", params={"q": "王\x00建国"})
    assert page.status_code == 200
    assert "王建国" in page.text


def test_an_upload_without_a_file_names_the_file(
    client: httpx.Client, fake_wechat, world: World
) -> None:
    headers = wechat_headers(client, fake_wechat.base_url, "openid-a")
    response = client.post(
        "/api/v1/checkin/photo", params={"retiree_id": world.retiree_a.id}, headers=headers
    )
    assert response.status_code == 422
    assert response.json()["message"] == "文件必须填写。请改正后再提交。"
