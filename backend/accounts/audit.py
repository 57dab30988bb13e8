"""The staff audit log: who did what, when, before → after. Personal data is masked first."""

from __future__ import annotations

import json
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlmodel import Session, col, func, select

from backend.accounts.models import AuditLog, StaffAccount
from backend.accounts.scope import staff_actor
from backend.core.actors import Actor
from backend.core.clock import Clock


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return str(value)


def _dump(data: dict[str, Any] | None) -> str | None:
    if data is None:
        return None
    return json.dumps(data, ensure_ascii=False, default=_default, sort_keys=True)


def record(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount | None,
    action: str,
    entity: str,
    entity_id: object = None,
    unit_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditLog:
    entry = AuditLog(
        at=clock.now(),
        staff_id=staff.id if staff else None,
        actor=f"{staff_actor(staff).label} {staff.display_name}" if staff else Actor.system().label,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        unit_id=unit_id,
        before=_dump(before),
        after=_dump(after),
    )
    db.add(entry)
    return entry


def changed_fields(
    before: dict[str, Any], after: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def list_entries(
    db: Session,
    *,
    unit_ids: list[int],
    entity: str | None = None,
    staff_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[AuditLog], int]:
    in_scope = col(AuditLog.unit_id).in_(unit_ids)
    query = select(AuditLog).where(in_scope)
    count_query = select(func.count()).select_from(AuditLog).where(in_scope)
    if entity:
        query = query.where(AuditLog.entity == entity)
        count_query = count_query.where(AuditLog.entity == entity)
    if staff_id:
        query = query.where(AuditLog.staff_id == staff_id)
        count_query = count_query.where(AuditLog.staff_id == staff_id)
    rows = db.exec(query.order_by(col(AuditLog.id).desc()).offset(offset).limit(limit)).all()
    return list(rows), int(db.exec(count_query).one())
