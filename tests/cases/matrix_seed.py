"""信访 rows for the access matrix, retiree A's in unit 1: a case already answered ({case_id}:
he may rate it, staff can no longer reply to it: 409), an open one ({open_case_id}, staff reply),
and a scanned letter in the first one's file ({case_event_id})."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlmodel import Session

from backend.cases.models import Case, CaseEvent

START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
PDF = b"%PDF-1.4\n% matrix letter\n"


def seed_files(upload_dir: Path) -> None:
    (upload_dir / "cases").mkdir(parents=True, exist_ok=True)
    (upload_dir / "cases" / "matrix.pdf").write_bytes(PDF)


def seed_cases(db: Session, *, retiree_id: int, unit_id: int) -> dict[str, int]:
    replied = Case(
        number="信2026-9001",
        retiree_id=retiree_id,
        unit_id=unit_id,
        kind="投诉",
        channel="小程序",
        body="送餐的饭菜凉了。",
        submitted_by="本人",
        created_at=START,
        due_on=date(2026, 3, 19),
        status="replied",
        replied_at=START,
        reply="已经换了保温箱。",
    )
    still_open = Case(
        number="信2026-9002",
        retiree_id=retiree_id,
        unit_id=unit_id,
        kind="咨询",
        channel="电话",
        body="体检什么时候开始？",
        submitted_by="工作人员（电话）",
        created_at=START,
        due_on=date(2026, 3, 5),
    )
    db.add(replied)
    db.add(still_open)
    db.flush()
    letter = CaseEvent(
        case_id=replied.id or 0,
        at=START,
        what="附件",
        by="工作人员",
        text="来信",
        attachment_path="cases/matrix.pdf",
    )
    db.add(letter)
    db.flush()
    return {
        "case_id": replied.id or 0,
        "open_case_id": still_open.id or 0,
        "case_event_id": letter.id or 0,
    }
