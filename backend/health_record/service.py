"""The health record: entries written by the unit's medical staff (check-up results, notes) or
by a reported hospital stay (visits publishes HOSPITAL_ADMITTED), and every read logged.

Who reads (access.py): the retiree, family with the 看健康档案 right, and medical staff of the
retiree's unit subtree. A read writes a HealthRead row the retiree sees; a staff read is also
in the audit log, like every staff write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from backend.accounts import audit, directory
from backend.accounts.identity import Acting
from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.accounts.scope import get_scoped
from backend.activities import service as activities
from backend.activities.schemas import ActivityCategory
from backend.bookings import queries as bookings
from backend.bookings.status import DEFAULT_LABELS
from backend.core import uploads
from backend.core.clock import Clock, local_today
from backend.core.errors import BadRequest, NotFound
from backend.health_record.access import medical_label, require_medical
from backend.health_record.models import EntryKind, HealthEntry, HealthRead
from backend.health_record.schemas import EntryIn, EntryUpdate

RECORD = "健康档案"
REPORT = "体检报告"
READS_SHOWN = 20
ENTRY_MISSING = "没有找到这条健康记录。"
REPORT_MISSING = "这条记录还没有上传报告。"


@dataclass
class Record:
    retiree: Retiree
    entries: list[HealthEntry]
    reads: list[HealthRead]


def _entries(db: Session, retiree_id: int) -> list[HealthEntry]:
    return list(
        db.exec(
            select(HealthEntry)
            .where(HealthEntry.retiree_id == retiree_id)
            .order_by(col(HealthEntry.happened_on).desc(), col(HealthEntry.id).desc())
        ).all()
    )


def _reads(db: Session, retiree_id: int) -> list[HealthRead]:
    return list(
        db.exec(
            select(HealthRead)
            .where(HealthRead.retiree_id == retiree_id)
            .order_by(col(HealthRead.at).desc(), col(HealthRead.id).desc())
            .limit(READS_SHOWN)
        ).all()
    )


def _audit(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    action: str,
    retiree_id: int,
    unit_id: int,
    after: dict[str, Any],
    before: dict[str, Any] | None = None,
) -> None:
    """Every staff read and write of a record, in the audit log under the retiree."""
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action=action,
        entity="retiree",
        entity_id=retiree_id,
        unit_id=unit_id,
        before=before,
        after=after,
    )


def _log_read(
    db: Session,
    *,
    clock: Clock,
    retiree: Retiree,
    reader: str,
    what: str,
    staff: StaffAccount | None = None,
    entry_id: int | None = None,
) -> None:
    assert retiree.id is not None
    db.add(
        HealthRead(
            retiree_id=retiree.id,
            at=clock.now(),
            reader=reader[:60],
            staff_id=staff.id if staff else None,
            what=what,
        )
    )
    if staff is not None:
        _audit(
            db,
            clock=clock,
            staff=staff,
            action="health.read",
            retiree_id=retiree.id,
            unit_id=retiree.unit_id,
            after={"what": what, **({"entry_id": entry_id} if entry_id else {})},
        )
    db.flush()


# -- the retiree and family ---------------------------------------------------------------------


def record_for(db: Session, *, clock: Clock, acting: Acting, reader: str) -> Record:
    """What the retiree or a family member with the right reads (act_for checked the right)."""
    retiree = acting.retiree
    assert retiree.id is not None
    _log_read(db, clock=clock, retiree=retiree, reader=reader, what=RECORD)
    return Record(retiree, _entries(db, retiree.id), _reads(db, retiree.id))


def report_for(
    db: Session, *, clock: Clock, acting: Acting, reader: str, entry_id: int, upload_dir: Path
) -> tuple[Path, str]:
    entry = db.get(HealthEntry, entry_id)
    if entry is None or entry.retiree_id != acting.retiree.id:
        raise NotFound(ENTRY_MISSING)
    found = uploads.document_file(upload_dir, entry.report_path)
    if found is None:
        raise NotFound(REPORT_MISSING)
    _log_read(db, clock=clock, retiree=acting.retiree, reader=reader, what=REPORT)
    return found


# -- the unit's medical staff -------------------------------------------------------------------


def _retiree(db: Session, staff: StaffAccount, scope: Unit, retiree_id: int) -> Retiree:
    require_medical(staff)
    return get_scoped(db, Retiree, retiree_id, scope)


def _entry(db: Session, staff: StaffAccount, scope: Unit, entry_id: int) -> HealthEntry:
    """The entry, if its retiree is in the staff member's scope (the person's unit now, not the
    one the entry was written under: a retiree who moves takes the record along)."""
    require_medical(staff)
    entry = db.get(HealthEntry, entry_id)
    if entry is None:
        raise NotFound(ENTRY_MISSING)
    get_scoped(db, Retiree, entry.retiree_id, scope, missing=ENTRY_MISSING)
    return entry


def record_for_staff(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, retiree_id: int
) -> Record:
    retiree = _retiree(db, staff, scope, retiree_id)
    _log_read(
        db, clock=clock, retiree=retiree, reader=medical_label(staff), what=RECORD, staff=staff
    )
    return Record(retiree, _entries(db, retiree_id), _reads(db, retiree_id))


def _checkup_activity(db: Session, scope: Unit, activity_id: int) -> tuple[Any, Any]:
    """(activity, bookable) of a check-up in the scope: activities' rows, read through its
    service."""
    activity, bookable = activities.get_in_scope(db, activity_id, scope)
    if activity.category != ActivityCategory.checkup.value:
        raise BadRequest("这个活动不是体检。请从体检活动里选。")
    return activity, bookable


def add_entry(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, data: EntryIn
) -> HealthEntry:
    retiree = _retiree(db, staff, scope, data.retiree_id)
    assert retiree.id is not None
    if data.happened_on > local_today(clock) and data.kind != EntryKind.note:
        raise BadRequest("日期不能晚于今天。请填体检或住院那天的日期。")
    if data.activity_id is not None:
        _checkup_activity(db, scope, data.activity_id)
        if _entry_for_checkup(db, retiree.id, data.activity_id) is not None:
            raise BadRequest("这次体检的结果已经录过了。请在档案里改那一条。")
    entry = HealthEntry(
        retiree_id=retiree.id,
        unit_id=retiree.unit_id,
        kind=data.kind.value,
        happened_on=data.happened_on,
        place=(data.place or "").strip() or None,
        summary=data.summary.strip(),
        discharged_on=data.discharged_on,
        activity_id=data.activity_id,
        created_at=clock.now(),
        created_by=medical_label(staff),
    )
    db.add(entry)
    db.flush()
    _audit(
        db,
        clock=clock,
        staff=staff,
        action="health.entry.add",
        retiree_id=retiree.id,
        unit_id=retiree.unit_id,
        after={"entry_id": entry.id, "kind": entry.kind, "on": entry.happened_on.isoformat()},
    )
    return entry


def update_entry(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    entry_id: int,
    data: EntryUpdate,
) -> HealthEntry:
    entry = _entry(db, staff, scope, entry_id)
    if data.discharged_on is not None and data.discharged_on < entry.happened_on:
        raise BadRequest("出院日期不能早于住院日期。")
    before = {"place": entry.place, "discharged_on": _iso(entry.discharged_on)}
    entry.place = (data.place or "").strip() or None
    entry.summary = data.summary.strip()
    entry.discharged_on = data.discharged_on
    after = {"place": entry.place, "discharged_on": _iso(entry.discharged_on)}
    return _saved(db, clock, staff, entry, "health.entry.update", after, before)


def attach_report(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    entry_id: int,
    data: bytes,
    upload_dir: Path,
) -> HealthEntry:
    entry = _entry(db, staff, scope, entry_id)
    entry.report_path = uploads.store_document(upload_dir, "health", data)
    return _saved(db, clock, staff, entry, "health.report.upload", {})


def _saved(
    db: Session,
    clock: Clock,
    staff: StaffAccount,
    entry: HealthEntry,
    action: str,
    after: dict[str, Any],
    before: dict[str, Any] | None = None,
) -> HealthEntry:
    """A change to an entry, stamped, written and audited under its retiree."""
    entry.updated_at = clock.now()
    db.add(entry)
    db.flush()
    _audit(
        db,
        clock=clock,
        staff=staff,
        action=action,
        retiree_id=entry.retiree_id,
        unit_id=entry.unit_id,
        before=before,
        after={"entry_id": entry.id, **after},
    )
    return entry


def report_for_staff(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    entry_id: int,
    upload_dir: Path,
) -> tuple[Path, str]:
    entry = _entry(db, staff, scope, entry_id)
    found = uploads.document_file(upload_dir, entry.report_path)
    if found is None:
        raise NotFound(REPORT_MISSING)
    retiree = get_scoped(db, Retiree, entry.retiree_id, scope)
    _log_read(
        db,
        clock=clock,
        retiree=retiree,
        reader=medical_label(staff),
        what=REPORT,
        staff=staff,
        entry_id=entry.id,
    )
    return found


def in_hospital(
    db: Session, *, staff: StaffAccount, unit_ids: list[int]
) -> list[tuple[HealthEntry, str]]:
    """Hospital stays with no discharge date yet in these units, longest first, with names."""
    require_medical(staff)
    rows = db.exec(
        select(HealthEntry)
        .where(
            col(HealthEntry.unit_id).in_(unit_ids),
            HealthEntry.kind == EntryKind.admission.value,
            col(HealthEntry.discharged_on).is_(None),
        )
        .order_by(col(HealthEntry.happened_on), col(HealthEntry.id))
    ).all()
    names = directory.retiree_names(db, [e.retiree_id for e in rows])
    return [(e, names.get(e.retiree_id, "")) for e in rows]


# -- check-ups, organised as activities (category 体检) --------------------------------------------


def _entry_for_checkup(db: Session, retiree_id: int, activity_id: int) -> HealthEntry | None:
    return db.exec(
        select(HealthEntry).where(
            HealthEntry.retiree_id == retiree_id, HealthEntry.activity_id == activity_id
        )
    ).first()


def checkups(db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit) -> list[Any]:
    """The check-up activities of the scope, newest first (activities' ActivityPublic)."""
    require_medical(staff)
    return [
        a
        for a in activities.list_in_scope(db, clock=clock, scope=scope)
        if a.category == ActivityCategory.checkup.value
    ]


@dataclass
class RosterRow:
    retiree_id: int
    name: str
    status: str
    entry_id: int | None


@dataclass
class Checkup:
    activity_id: int
    title: str
    place: str
    starts_at: datetime
    people: list[RosterRow]


def checkup_roster(db: Session, *, staff: StaffAccount, scope: Unit, activity_id: int) -> Checkup:
    """Who signed up for a check-up, and whose results are in."""
    require_medical(staff)
    activity, bookable = _checkup_activity(db, scope, activity_id)
    booked = bookings.active_of(db, [bookable.id])
    names = directory.retiree_names(db, [b.retiree_id for b in booked])
    done = {
        e.retiree_id: e.id
        for e in db.exec(select(HealthEntry).where(HealthEntry.activity_id == activity_id)).all()
    }
    rows = [
        RosterRow(
            retiree_id=b.retiree_id,
            name=names.get(b.retiree_id, ""),
            status=DEFAULT_LABELS[b.status],
            entry_id=done.get(b.retiree_id),
        )
        for b in booked
    ]
    return Checkup(activity_id, bookable.title, activity.place, bookable.starts_at, rows)


# -- a hospital stay reported (visits) ----------------------------------------------------------


def on_hospital_admitted(
    *,
    db: Session,
    retiree: Any,
    on: date,
    clock: Clock,
    reported_by: str,
    detail: str | None = None,
    **_: Any,
) -> None:
    """A stay reported by the retiree, family or staff (visits' 住院, which also makes the visit
    task) goes into the record; the medical staff add the hospital and the discharge date."""
    db.add(
        HealthEntry(
            retiree_id=retiree.id,
            unit_id=retiree.unit_id,
            kind=EntryKind.admission.value,
            happened_on=on,
            summary=(detail or "").strip(),
            created_at=clock.now(),
            created_by=reported_by[:60],
        )
    )
    db.flush()


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
