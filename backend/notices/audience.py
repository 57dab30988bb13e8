"""Turning an audience (units, care flags, categories, hand-picked retirees) into a query."""

from __future__ import annotations

from sqlalchemy import Select
from sqlmodel import Session, col, or_, select

from backend.accounts import units
from backend.accounts.enums import RetireeStatus
from backend.accounts.models import Retiree, RetireeCareFlag, Unit
from backend.core.errors import BadRequest
from backend.notices.schemas import Audience


def retiree_ids_query(db: Session, *, scope: Unit, audience: Audience) -> Select:  # type: ignore[type-arg]
    """SELECT retiree.id for everyone the audience reaches inside the staff's scope.

    The deceased never receive notices."""
    query = (
        select(Retiree.id)
        .join(Unit, col(Unit.id) == Retiree.unit_id)
        .where(Retiree.status != RetireeStatus.deceased.value)
        .where(col(Unit.path).startswith(scope.path))
    )
    if audience.retiree_ids:
        return query.where(col(Retiree.id).in_(audience.retiree_ids))
    if audience.unit_ids:
        chosen = []
        for unit_id in audience.unit_ids:
            unit = db.get(Unit, unit_id)
            if unit is None or not units.is_within(unit, scope):
                raise BadRequest("选择的单位不对，请重新选择。")
            chosen.append(col(Unit.path).startswith(unit.path))
        query = query.where(or_(*chosen))
    if audience.care_flags:
        flagged = select(RetireeCareFlag.retiree_id).where(
            col(RetireeCareFlag.flag).in_([f.value for f in audience.care_flags])
        )
        query = query.where(col(Retiree.id).in_(flagged))
    if audience.categories:
        query = query.where(col(Retiree.category).in_([c.value for c in audience.categories]))
    return query
