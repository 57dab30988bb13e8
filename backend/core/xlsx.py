"""The one way to write an .xlsx: every export goes through `Book`, which never refuses a stored
text. Characters a worksheet cannot hold (control characters such as U+000B, which openpyxl
rejects with an error) become a space, and text that starts with "=" stays text instead of
turning into a formula in the staff member's spreadsheet.

openpyxl is imported when a book is made, not with the server (~4 MB per worker that never
exports anything)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING
from urllib.parse import quote

from fastapi import Response

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# What an .xlsx is served as.
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str, *, name: str | None = None) -> Response:
    """A workbook to download, saved as `filename` (ASCII), or as `name` (Chinese, e.g.
    2026年11月军休服务情况统计表.xlsx) where the browser reads it, `filename` the fallback."""
    disposition = f'attachment; filename="{filename}"'
    if name:
        disposition += f"; filename*=UTF-8''{quote(name)}"
    return Response(content=content, media_type=XLSX, headers={"Content-Disposition": disposition})


# XML 1.0 cannot carry C0 controls other than tab, newline and carriage return, nor U+FFFE/FFFF.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(value: str) -> str:
    return _UNWRITABLE.sub(" ", value)


class Sheet:
    def __init__(self, worksheet: Worksheet) -> None:
        self._ws = worksheet

    def append(self, values: Iterable[object] = ()) -> int:
        """Add a row; returns its number."""
        row = [clean_text(v) if isinstance(v, str) else v for v in values]
        self._ws.append(row)
        number = self._ws.max_row
        for column, value in enumerate(row, start=1):
            if isinstance(value, str) and value.startswith("="):
                self._ws.cell(row=number, column=column).data_type = "s"
        return number

    def bold(self, row: int, column: int = 1) -> None:
        from openpyxl.styles import Font

        self._ws.cell(row=row, column=column).font = Font(bold=True)

    def widths(self, widths: Sequence[float]) -> None:
        from openpyxl.utils import get_column_letter

        for index, width in enumerate(widths, start=1):
            self._ws.column_dimensions[get_column_letter(index)].width = width


class Book:
    def __init__(self, first_title: str) -> None:
        from openpyxl import Workbook

        self._book = Workbook()
        first = self._book.active
        assert first is not None
        first.title = clean_text(first_title)
        self.first = Sheet(first)

    def add_sheet(self, title: str) -> Sheet:
        return Sheet(self._book.create_sheet(clean_text(title)))

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._book.save(buffer)
        return buffer.getvalue()
