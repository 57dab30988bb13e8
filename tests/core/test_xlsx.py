"""Every .xlsx export writes whatever text is stored: a control character (U+000B, pasted from
another program) or a leading "=" never makes a download fail or become a formula."""

from __future__ import annotations

import io
import re
from pathlib import Path

import httpx
from openpyxl import load_workbook
from sqlalchemy import text
from sqlalchemy.engine import Engine

from backend.core.xlsx import Book
from tests.accounts.test_access_matrix import _seed
from tests.factories import TLS, World, staff_headers

BACKEND = Path(__file__).resolve().parents[2] / "backend"
NASTY = "王\x0b建国\x1f=1+1"


def _cells(data: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(data))
    return [
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def test_the_helper_keeps_the_text_and_drops_what_xlsx_cannot_hold() -> None:
    book = Book("名单\x0b")
    sheet = book.first
    sheet.append(["a\x0bb", '=HYPERLINK("http://x")', 3, None, "行1\n行2\t列"])
    loaded = load_workbook(io.BytesIO(book.to_bytes()))
    ws = loaded.worksheets[0]
    assert [c.value for c in ws[1]] == ["a b", '=HYPERLINK("http://x")', 3, None, "行1\n行2\t列"]
    assert ws.cell(row=1, column=2).data_type == "s", "a leading = stays text, not a formula"


def test_every_xlsx_writer_goes_through_the_helper() -> None:
    writers = []
    for path in BACKEND.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for line in source.splitlines():
            if re.match(r"\s*(from|import) openpyxl", line) and "load_workbook" not in line:
                writers.append(f"{path.relative_to(BACKEND)}: {line.strip()}")
    assert all(w.startswith("core/xlsx.py") for w in writers), writers


def test_exports_answer_with_a_control_character_in_stored_text(
    client: httpx.Client, engine: Engine, world: World, settings
) -> None:
    seeded = _seed(engine, world, settings.upload_dir)
    with engine.begin() as conn:
        conn.execute(text("UPDATE retiree SET name = :n, address = :n"), {"n": NASTY})
        conn.execute(text("UPDATE notice SET title = :n"), {"n": NASTY})
        conn.execute(text("UPDATE booking SET notes = :n"), {"n": NASTY})
        conn.execute(text("UPDATE bookable SET title = :n"), {"n": NASTY})
        conn.execute(text("UPDATE meal_order SET mode = '送餐', diet_notes = :n"), {"n": NASTY})
        system_notice = conn.execute(
            text("SELECT notice_id FROM inbox_item WHERE id = :i"), {"i": seeded.item_id}
        ).scalar_one()
    staff = staff_headers(client, "staff1")
    downloads = {
        "activity roster": f"/api/v1/staff/activities/{seeded.activity_id}/roster.xlsx",
        "kitchen": "/api/v1/staff/meals/kitchen.xlsx?date=2026-03-03&meal=午餐",
        "notice report": f"/api/v1/staff/notices/{seeded.notice_id}/report.xlsx",
        "system notice report": f"/api/v1/staff/notices/{system_notice}/report.xlsx",
        "check-in": f"/api/v1/staff/checkin/campaigns/{seeded.campaign_id}/export.xlsx",
    }
    for name, url in downloads.items():
        response = client.get(url, headers=staff)
        assert response.status_code == 200, f"{name}: {response.status_code} {response.text[:200]}"
        cells = _cells(response.content)
        assert any("王 建国 =1+1" in c for c in cells), f"{name}: {cells}"
    console = httpx.Client(verify=TLS, base_url=str(client.base_url), timeout=30)
    with console:
        from tests.factories import PASSWORD

        console.post("/console/login", data={"username": "staff1", "password": PASSWORD})
        page = console.get(f"/console/activities/{seeded.activity_id}/roster.xlsx")
        assert page.status_code == 200 and _cells(page.content)
