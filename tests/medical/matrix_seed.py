"""医疗费补助 records for the access matrix, retiree A's: a 2026 claim with two receipts waiting
({receipt_id} is checked by the matrix, {claim_id} cannot be approved while {pending_receipt_id}
waits, so approval is a 409 to staff of the unit)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session

from backend.medical.models import MedicalClaim, MedicalReceipt

START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def seed_medical(db: Session, *, retiree_id: int, unit_id: int) -> dict[str, int]:
    claim = MedicalClaim(
        retiree_id=retiree_id, unit_id=unit_id, year=2026, created_at=START, created_by="本人"
    )
    db.add(claim)
    db.flush()
    ids = []
    for amount in (6_000_000, 100_000):
        receipt = MedicalReceipt(
            claim_id=claim.id or 0,
            unit_id=unit_id,
            photo_path="medical/matrix.jpg",
            amount=amount,
            category="住院",
            added_at=START,
            added_by="本人",
        )
        db.add(receipt)
        db.flush()
        ids.append(receipt.id or 0)
    return {"claim_id": claim.id or 0, "receipt_id": ids[0], "pending_receipt_id": ids[1]}
