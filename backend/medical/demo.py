"""Demo 医疗费补助: a covered retiree of the first 军休所 (the demo retiree when he is covered)
sent this year's receipts — one taken by staff, one waiting — so the console page and the
mini-program page have something to show. The photos are plain pictures made here."""

from __future__ import annotations

import io
from pathlib import Path

from sqlmodel import Session

from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.core.clock import Clock, local_today
from backend.medical import service
from backend.medical.models import ReceiptCategory


def _picture() -> bytes:
    """A receipt-shaped white JPEG with a few grey lines (no real receipt in the demo)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), "white")
    draw = ImageDraw.Draw(image)
    for y in range(40, 300, 36):
        draw.line((30, y, 450, y), fill=(180, 180, 180), width=3)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return out.getvalue()


def load(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    retirees: list[Retiree],
    upload_dir: Path,
) -> None:
    chosen = next((r for r in retirees if service.covered(db, r)), None)
    if chosen is None:
        return
    year = local_today(clock).year
    picture = _picture()
    for amount, category in (
        (6_830_000, ReceiptCategory.inpatient),
        (42_000, ReceiptCategory.pharmacy),
    ):
        service.add_receipt(
            db,
            clock=clock,
            retiree=chosen,
            year=year,
            amount=amount,
            category=category,
            data=picture,
            upload_dir=upload_dir,
            by="本人",
        )
    claim = service.of_retiree(db, chosen.id or 0)[0]
    first = service.receipts_of(db, [claim.id or 0])[claim.id or 0][0]
    service.check_receipt(
        db,
        clock=clock,
        staff=staff,
        scope=scope,
        receipt_id=first.id or 0,
        accept=True,
        reason=None,
    )
