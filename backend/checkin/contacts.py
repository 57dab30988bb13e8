"""Monthly contact (Jilin 第十五条, 第十八条): record contacts, list who has not been contacted
this month, and flag six months without contact as 失联. Pausing payments is a staff decision,
recorded and reversible; nothing here pauses anyone on its own."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Select
from sqlmodel import Session, col, func, select

from backend.accounts import audit, directory, retirees, units
from backend.accounts.enums import RetireeStatus
from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.accounts.scope import get_scoped
from backend.checkin import records
from backend.checkin.models import ContactLog, LostContactCase
from backend.checkin.schemas import ContactDuePage, ContactDueRow, ContactIn
from backend.core.clock import SHANGHAI, Clock, as_utc, to_local
from backend.core.errors import BadRequest

LOST_AFTER_MONTHS = 6
PAUSE_NOTE = "失联6个月以上，暂停发放待核查"


def month_start(clock: Clock) -> datetime:
    local = to_local(clock.now())
    return datetime.combine(date(local.year, local.month, 1), time(0), SHANGHAI)


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (the 31st becomes the month's last day)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_lost(last_contact: datetime, now: datetime) -> bool:
    """第十五条: 失联 once six whole calendar months have passed since the last contact, counted
    on Shanghai dates (contact on 4月1日 → 失联 from 10月1日, not on 9月30日)."""
    last_day = to_local(last_contact).date()
    return to_local(now).date() >= add_months(last_day, LOST_AFTER_MONTHS)


def log(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, data: ContactIn
) -> ContactLog:
    retiree = get_scoped(db, Retiree, data.retiree_id, scope)
    if retiree.status == RetireeStatus.deceased:
        raise BadRequest("这位老同志已去世，不用再记联系。")
    entry = records.log_contact(
        db,
        clock=clock,
        retiree=retiree,
        channel=data.channel.value,
        note=(data.note or "").strip() or None,
        staff_id=staff.id,
    )
    db.flush()
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="contact.log",
        entity="retiree",
        entity_id=retiree.id,
        unit_id=retiree.unit_id,
        after={"channel": data.channel.value, "note": data.note},
    )
    return entry


def due(
    db: Session, *, clock: Clock, scope: Unit, limit: int = 200, offset: int = 0
) -> ContactDuePage:
    """Retirees not contacted since the 1st of this month, care-flagged and 失联 first."""
    start = month_start(clock)
    now = clock.now()
    people = directory.people_under(db, scope, statuses=DUE_STATUSES)
    ids = directory.ids_under(scope, statuses=DUE_STATUSES)
    last = _last_contacts(db, ids)
    restored = restored_dates(db, ids)
    open_cases = open_case_ids(db, ids)
    due_people = [(p, last.get(p.id)) for p in people if _not_since(last.get(p.id), start)]
    flags = retirees.care_flags_of(db, [p.id for p, _ in due_people])
    data = []
    for person, latest in due_people:
        last_at, channel = latest if latest else (None, None)
        reference = last_heard(person.created_at, last_at, restored.get(person.id))
        data.append(
            ContactDueRow(
                retiree_id=person.id,
                retiree_name=person.name,
                unit_name=person.unit_name,
                care_flags=flags.get(person.id, []),
                last_contact_at=last_at,
                last_channel=channel,
                lost_contact=is_lost(reference, now),
                status=person.status,
                lost_case_id=open_cases.get(person.id),
            )
        )
    data.sort(
        key=lambda r: (
            not r.lost_contact,
            not r.care_flags,
            r.last_contact_at or datetime.min.replace(tzinfo=SHANGHAI),
            r.retiree_id,
        )
    )
    local = to_local(clock.now())
    return ContactDuePage(
        month=f"{local.year}年{local.month}月", data=data[offset : offset + limit], count=len(data)
    )


DUE_STATUSES = (RetireeStatus.active, RetireeStatus.suspended)


def _not_since(last: tuple[datetime, str] | None, start: datetime) -> bool:
    return last is None or last[0] < start


def last_heard(
    created_at: datetime, last_contact: datetime | None, restored: date | None
) -> datetime:
    """What six months of silence count from: the last contact, or the day a closed 失联 case
    says contact was restored, whichever is later; someone never contacted, from the day they
    were put on the roster."""
    moments = [as_utc(last_contact or created_at)]
    if restored is not None:
        moments.append(as_utc(datetime.combine(restored, time(0), SHANGHAI)))
    return max(moments)


def restored_dates(db: Session, retiree_ids: Select[Any]) -> dict[int, date]:
    """Retiree id → the latest day a closed 失联 case says contact was restored (one query)."""
    rows = db.exec(
        select(LostContactCase.retiree_id, func.max(LostContactCase.restored_on))
        .where(col(LostContactCase.retiree_id).in_(retiree_ids), LostContactCase.status == "closed")
        .group_by(col(LostContactCase.retiree_id))
    ).all()
    return {rid: day for rid, day in rows if day is not None}


def open_case_ids(db: Session, retiree_ids: Select[Any]) -> dict[int, int]:
    """Retiree id → their open 失联 case (one query)."""
    rows = db.exec(
        select(LostContactCase.open_retiree_id, LostContactCase.id).where(
            col(LostContactCase.open_retiree_id).in_(retiree_ids)
        )
    ).all()
    return {rid: cid for rid, cid in rows if rid is not None and cid is not None}


def last_contacts(
    db: Session, retiree_ids: Select[Any] | Sequence[int]
) -> dict[int, tuple[datetime, str]]:
    return _last_contacts(db, retiree_ids)


def _last_contacts(
    db: Session, retiree_ids: Select[Any] | Sequence[int]
) -> dict[int, tuple[datetime, str]]:
    """Retiree id → (when, how) of their latest contact, for the retirees `retiree_ids`
    selects: one query, one row per retiree (two contacts at the same moment: the later
    recorded)."""
    latest = (
        select(ContactLog.retiree_id, func.max(ContactLog.at).label("last_at"))
        .where(col(ContactLog.retiree_id).in_(retiree_ids))
        .group_by(col(ContactLog.retiree_id))
        .subquery()
    )
    rows = db.exec(
        select(ContactLog.retiree_id, ContactLog.at, ContactLog.channel)
        .join(
            latest,
            (latest.c.retiree_id == col(ContactLog.retiree_id))
            & (latest.c.last_at == col(ContactLog.at)),
        )
        .order_by(col(ContactLog.id))
    ).all()
    return {rid: (as_utc(at), channel) for rid, at, channel in rows}


def history(db: Session, *, retiree: Retiree, limit: int = 20) -> list[ContactLog]:
    return list(
        db.exec(
            select(ContactLog)
            .where(ContactLog.retiree_id == retiree.id)
            .order_by(col(ContactLog.at).desc())
            .limit(limit)
        ).all()
    )


def pause_payments(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, retiree_id: int
) -> Retiree:
    retiree = get_scoped(db, Retiree, retiree_id, scope)
    if retiree.status != RetireeStatus.active:
        raise BadRequest("只有在册的老同志才能暂停发放。")
    return retirees.change_status(
        db,
        clock=clock,
        staff=staff,
        retiree=retiree,
        status=RetireeStatus.suspended,
        note=PAUSE_NOTE,
    )


def resume_payments(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, retiree_id: int
) -> Retiree:
    retiree = get_scoped(db, Retiree, retiree_id, scope)
    if retiree.status != RetireeStatus.suspended:
        raise BadRequest("这位老同志没有暂停，不用恢复。")
    return retirees.change_status(
        db,
        clock=clock,
        staff=staff,
        retiree=retiree,
        status=RetireeStatus.active,
        note="已联系上，恢复发放",
    )


def unit_of(db: Session, retiree: Retiree) -> Unit:
    return units.get_unit(db, retiree.unit_id)
