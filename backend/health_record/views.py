"""How health record entries read: dates in words, whether a stay is still going on."""

from __future__ import annotations

from backend.core.clock import full_date, month_day
from backend.health_record.models import EntryKind, HealthEntry, HealthRead
from backend.health_record.schemas import EntryPublic, ReadPublic, RecordPublic
from backend.health_record.service import Record


def when(entry: HealthEntry) -> str:
    if entry.kind != EntryKind.admission.value:
        return full_date(entry.happened_on)
    if entry.discharged_on is None:
        return f"{full_date(entry.happened_on)}住院，还没出院"
    return f"{full_date(entry.happened_on)}住院，{month_day(entry.discharged_on)}出院"


def entry_public(entry: HealthEntry) -> EntryPublic:
    assert entry.id is not None
    return EntryPublic(
        id=entry.id,
        kind=entry.kind,
        happened_on=entry.happened_on,
        place=entry.place,
        summary=entry.summary,
        discharged_on=entry.discharged_on,
        in_hospital=entry.kind == EntryKind.admission.value and entry.discharged_on is None,
        has_report=bool(entry.report_path),
        created_by=entry.created_by,
        when=when(entry),
    )


def read_public(read: HealthRead) -> ReadPublic:
    return ReadPublic(at=read.at, reader=read.reader, what=read.what)


def record_public(record: Record) -> RecordPublic:
    assert record.retiree.id is not None
    return RecordPublic(
        retiree_id=record.retiree.id,
        name=record.retiree.name,
        entries=[entry_public(e) for e in record.entries],
        reads=[read_public(r) for r in record.reads],
    )
