"""Retirees and staff accounts as both doors show them (the staff API, the mini-program's own
record, the console)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlmodel import Session, col, select

from backend.accounts.enums import HEALTH_FLAGS
from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.accounts.retirees import age_on, care_flags_of, death_revocable
from backend.accounts.schemas import RetireePublic, StaffPublic
from backend.core.clock import Clock, local_today
from backend.core.security import PersonalDataCipher, mask_id_number


def retiree_public(
    db: Session,
    retiree: Retiree,
    *,
    clock: Clock,
    cipher: PersonalDataCipher,
    unit_names: Mapping[int, str] | None = None,
    health: bool = True,
) -> RetireePublic:
    """`health`: False for a family member without the 看健康档案 right — the flags that say
    something of health (enums.HEALTH_FLAGS) are left out."""
    (public,) = retiree_public_many(
        db, [retiree], clock=clock, cipher=cipher, unit_names=unit_names
    )
    if not health:
        public.care_flags = [f for f in public.care_flags if f not in HEALTH_FLAGS]
    return public


def retiree_public_many(
    db: Session,
    retirees: Sequence[Retiree],
    *,
    clock: Clock,
    cipher: PersonalDataCipher,
    unit_names: Mapping[int, str] | None = None,
) -> list[RetireePublic]:
    """`unit_names`: names the caller knows already (a viewer's own unit and those above it, from
    the identity cache); the units not in it are read, in one query."""
    ids = [r.id for r in retirees if r.id is not None]
    flags = care_flags_of(db, ids)
    names = dict(unit_names or {})
    missing = {r.unit_id for r in retirees} - names.keys()
    if missing:
        units = db.exec(select(Unit.id, Unit.name).where(col(Unit.id).in_(missing))).all()
        names.update({int(uid or 0): name for uid, name in units})
    today = local_today(clock)
    out = []
    for r in retirees:
        assert r.id is not None
        out.append(
            RetireePublic(
                id=r.id,
                name=r.name,
                gender=r.gender,
                birth_date=r.birth_date,
                age=age_on(r.birth_date, today),
                category=r.category,
                level=r.level,
                unit_id=r.unit_id,
                unit_name=names.get(r.unit_id, ""),
                phone=r.phone,
                address=r.address,
                id_number_masked=mask_id_number(cipher.decrypt(r.id_number_enc)),
                care_flags=flags.get(r.id, []),
                status=r.status,
                wechat_bound=r.wechat_user_id is not None,
                version=r.version,
                died_on=r.died_on,
                death_revocable=death_revocable(r, clock),
            )
        )
    return out


def staff_public(db: Session, staff: StaffAccount) -> StaffPublic:
    unit = db.get(Unit, staff.unit_id)
    assert staff.id is not None
    return StaffPublic(
        id=staff.id,
        username=staff.username,
        display_name=staff.display_name,
        role=staff.role,
        unit_id=staff.unit_id,
        unit_name=unit.name if unit else "",
        active=staff.active,
        is_medical=staff.is_medical,
        last_login_at=staff.last_login_at,
    )
