"""Roster import: every bad row reported with its number and reason; nothing written until
confirmed; re-import updates by 身份证号 and changes nothing the second time."""

from __future__ import annotations

import io
from datetime import date

import httpx
from openpyxl import Workbook

from tests.factories import World, id_number_for, staff_headers

HEADER = [
    "姓名",
    "性别",
    "出生日期",
    "身份证号",
    "类别",
    "职级",
    "电话",
    "住址",
    "所属单位",
    "关注标记",
]


def _xlsx(rows: list[list[object]], header: list[str] = HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(
    client: httpx.Client, headers: dict, data: bytes, name: str = "花名册.xlsx"
) -> httpx.Response:
    return client.post(
        "/api/v1/staff/roster-imports", files={"file": (name, data)}, headers=headers
    )


GOOD_ID = id_number_for(date(1935, 5, 1), 501)
GOOD2_ID = id_number_for(date(1940, 2, 3), 502)


def _rows() -> list[list[object]]:
    return [
        [
            "陈志强",
            "男",
            date(1935, 5, 1),
            GOOD_ID,
            "离休",
            "师级",
            "13700001111",
            "东城区1号",
            "和平里服务站",
            "高龄、独居",
        ],
        [
            "",
            "男",
            "1936-01-01",
            id_number_for(date(1936, 1, 1), 503),
            "退休",
            "师级",
            "",
            "",
            "第一军休所",
            "",
        ],
        [
            "黄淑珍",
            "女",
            "1940/02/03",
            GOOD2_ID,
            "退休",
            "团级及以下",
            "",
            "东城区2号",
            "第一军休所",
            "",
        ],
        [
            "林卫东",
            "男",
            "1941-13-01",
            "110101194101010011",
            "退休",
            "团级及以下",
            "",
            "",
            "第一军休所",
            "",
        ],
        [
            "何金花",
            "女",
            "1942-01-01",
            GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1"),
            "退休",
            "团级及以下",
            "",
            "",
            "第一军休所",
            "",
        ],
        [
            "郭海军",
            "男",
            "1943-01-01",
            id_number_for(date(1943, 1, 1), 504),
            "退休",
            "团级及以下",
            "",
            "",
            "第九军休所",
            "",
        ],
        [
            "马春梅",
            "女",
            "1944-01-01",
            id_number_for(date(1944, 1, 1), 505),
            "退休",
            "团级及以下",
            "",
            "",
            "第二军休所",
            "爱打牌",
        ],
    ]


def test_upload_reports_bad_rows_and_writes_nothing(client: httpx.Client, world: World) -> None:
    headers = staff_headers(client, "staff1")
    response = _upload(client, headers, _xlsx(_rows()))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "ready"
    assert body["valid_rows"] == 2
    problems = {p["row"]: p["reason"] for p in body["problems"]}
    assert set(problems) == {3, 5, 6, 7, 8}
    assert "缺少姓名" in problems[3]
    assert "出生日期" in problems[5]
    assert "校验位" in problems[6]
    assert "第九军休所" in problems[7]
    assert "第二军休所" in problems[8] and "爱打牌" in problems[8]  # outside staff1's subtree
    found = client.get("/api/v1/staff/retirees", params={"q": "陈志强"}, headers=headers).json()
    assert found["count"] == 0, "nothing is written before confirmation"


def test_confirm_then_reimport_is_idempotent(client: httpx.Client, world: World) -> None:
    headers = staff_headers(client, "staff1")
    data = _xlsx(_rows())
    first = _upload(client, headers, data).json()
    confirmed = client.post(f"/api/v1/staff/roster-imports/{first['id']}/confirm", headers=headers)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["created_count"] == 2 and confirmed.json()["updated_count"] == 0
    again = client.post(f"/api/v1/staff/roster-imports/{first['id']}/confirm", headers=headers)
    assert again.status_code == 409
    chen = client.get("/api/v1/staff/retirees", params={"q": "陈志强"}, headers=headers).json()
    assert chen["data"][0]["care_flags"] == ["高龄", "独居"]
    assert chen["data"][0]["unit_name"] == "和平里服务站"
    # The same file again: nothing created, nothing changed.
    second = _upload(client, headers, data).json()
    result = client.post(
        f"/api/v1/staff/roster-imports/{second['id']}/confirm", headers=headers
    ).json()
    assert (result["created_count"], result["updated_count"]) == (0, 0)
    # A changed phone number updates by 身份证号.
    rows = _rows()
    rows[0][6] = "13799998888"
    third = _upload(client, headers, _xlsx(rows)).json()
    result = client.post(
        f"/api/v1/staff/roster-imports/{third['id']}/confirm", headers=headers
    ).json()
    assert (result["created_count"], result["updated_count"]) == (0, 1)
    chen = client.get("/api/v1/staff/retirees", params={"q": "陈志强"}, headers=headers).json()
    assert chen["data"][0]["phone"] == "13799998888"


def test_file_problems_are_clear(client: httpx.Client, world: World) -> None:
    headers = staff_headers(client, "staff1")
    not_xlsx = _upload(client, headers, b"name,id\n", name="roster.csv")
    assert not_xlsx.status_code == 400 and "xlsx" in not_xlsx.json()["message"]
    broken = _upload(client, headers, b"not a zip file")
    assert broken.status_code == 201 and broken.json()["status"] == "failed"
    assert "打不开" in broken.json()["message"]
    missing = _upload(client, headers, _xlsx([], header=["姓名", "电话"]))
    assert missing.json()["status"] == "failed" and "身份证号" in missing.json()["message"]
    empty = _upload(client, headers, b"", name="a.xlsx")
    assert empty.status_code == 400


def test_large_file_is_checked_in_background_with_progress(
    client: httpx.Client, world: World
) -> None:
    headers = staff_headers(client, "staff1")
    rows = [
        [
            f"老同志{i}",
            "男",
            "1940-01-01",
            id_number_for(date(1940, 1, 1), i),
            "退休",
            "团级及以下",
            "",
            "",
            "第一军休所",
            "",
        ]
        for i in range(600)
    ]
    started = _upload(client, headers, _xlsx(rows)).json()
    assert started["status"] in {"parsing", "ready"}
    # The background task runs after the response; poll its visible progress (bounded).
    seen = []
    for _ in range(400):
        body = client.get(f"/api/v1/staff/roster-imports/{started['id']}", headers=headers).json()
        seen.append(body["processed_rows"])
        if body["status"] != "parsing":
            break
    assert body["status"] == "ready", body
    assert body["valid_rows"] == 600
    assert seen == sorted(seen)


def test_sample_file_is_valid(client: httpx.Client, world: World) -> None:
    headers = staff_headers(client, "staff1")
    sample = client.get("/api/v1/staff/roster-imports/sample.xlsx", headers=headers)
    assert sample.status_code == 200
    body = _upload(client, headers, sample.content).json()
    assert body["valid_rows"] == 2 and body["problems"] == []
