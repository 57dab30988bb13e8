"""Read a PDF's text back in tests (pypdf), to check what a printed document says."""

from __future__ import annotations

import io


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    assert data.startswith(b"%PDF"), "not a PDF"
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)
