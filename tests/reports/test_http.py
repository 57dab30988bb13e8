"""The staff API and the console page give the same sheet: JSON, .xlsx and PDF for the staff
member's own subtree, and a clear message for a wrong month."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import unquote

import httpx
import pytest

from tests.factories import PASSWORD, TLS, World, staff_headers
from tests.pdf_text import pdf_text


@pytest.fixture
def console(app_server, world: World) -> Iterator[httpx.Client]:
    with httpx.Client(verify=TLS, base_url=app_server.base_url, timeout=30) as client:
        response = client.post(
            "/console/login", data={"username": "staff1", "password": PASSWORD, "next": "/console"}
        )
        assert response.status_code == 303
        yield client


def test_staff_api_gives_the_sheet_and_its_files(client: httpx.Client, world: World) -> None:
    headers = staff_headers(client, "staff1")
    sheet = client.get("/api/v1/staff/reports/monthly?month=2026-02", headers=headers)
    assert sheet.status_code == 200, sheet.text
    body = sheet.json()
    assert body["month"] == "2026-02"
    assert [r["unit_name"] for r in body["rows"]] == ["第一军休所", "和平里服务站"]
    assert body["total"]["unit_name"] == "合计"
    xlsx = client.get("/api/v1/staff/reports/monthly.xlsx?month=2026-02", headers=headers)
    assert xlsx.status_code == 200
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in xlsx.headers["content-disposition"]
    # saved under its Chinese name where the browser reads it, monthly.xlsx where it does not
    assert 'filename="monthly.xlsx"' in xlsx.headers["content-disposition"]
    assert unquote(xlsx.headers["content-disposition"]).endswith("UTF-8''月报-2026-02.xlsx")
    pdf = client.get("/api/v1/staff/reports/monthly.pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert "2026年3月军休服务情况统计表" in pdf_text(pdf.content)


def test_a_wrong_month_is_a_clear_400(client: httpx.Client, world: World) -> None:
    headers = staff_headers(client, "staff1")
    for month in ("2026-99", "x" * 20, "2027-01"):
        response = client.get(f"/api/v1/staff/reports/monthly?month={month}", headers=headers)
        assert response.status_code == 400, month
        assert "月份" in response.text
    too_long = client.get(f"/api/v1/staff/reports/monthly?month={'1' * 21}", headers=headers)
    assert too_long.status_code in (400, 422)


def test_console_page_has_picker_table_charts_and_downloads(
    console: httpx.Client, world: World
) -> None:
    page = console.get("/console/reports/monthly?month=2026-02")
    assert page.status_code == 200
    text = page.text
    assert 'type="month"' in text and 'value="2026-02"' in text
    assert "和平里服务站" in text and 'id="total"' in text
    assert "<svg" in text and "各单位联系覆盖率" in text
    assert 'href="/console/reports/monthly.xlsx?month=2026-02"' in text
    assert 'href="/console/reports/monthly.pdf?month=2026-02"' in text
    assert "第二军休所" not in text  # another unit's row is not staff1's to see
    xlsx = console.get("/console/reports/monthly.xlsx?month=2026-02")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = console.get("/console/reports/monthly.pdf?month=2026-02")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    wrong = console.get("/console/reports/monthly?month=2026-13")
    assert wrong.status_code == 400
    assert "月份不对" in wrong.text and wrong.headers["content-type"].startswith("text/html")
