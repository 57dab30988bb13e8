"""Which keyed notices exist already, for a job that reminds in rounds (check-in reminders):
it reads its own dedupe keys back to know who was told what, and when."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from backend.notices.models import Notice


def keys_with_prefix(db: Session, prefix: str) -> list[tuple[str, datetime]]:
    """(dedupe key, created at) of every notice whose key starts with `prefix`."""
    rows = db.exec(
        select(Notice.dedupe_key, Notice.created_at).where(
            col(Notice.dedupe_key).startswith(prefix)
        )
    ).all()
    return [(key, created_at) for key, created_at in rows if key]
