"""Retiree records: create, update, search within a unit subtree, status changes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import update as sa_update
from sqlmodel import Session, col, delete, func, or_, select

from backend.accounts import audit
from backend.accounts.enums import CareFlag, RetireeStatus, StaffRole
from backend.accounts.identity_cache import TRACKED_BY_FLUSH
from backend.accounts.models import (
    BindingCode,
    FamilyInvite,
    Retiree,
    RetireeCareFlag,
    StaffAccount,
    Unit,
)
from backend.accounts.schemas import RetireeCreate, RetireeUpdate
from backend.accounts.scope import WRONG_UNIT, get_scoped, unit_in
from backend.core import events
from backend.core.clock import Clock, as_utc, local_today
from backend.core.errors import BadRequest, Conflict, Forbidden, Unprocessable
from backend.core.inputs import search_text
from backend.core.security import PersonalDataCipher, normalise_id_number


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def care_flags_of(db: Session, retiree_ids: Sequence[int]) -> dict[int, list[str]]:
    result: dict[int, list[str]] = {rid: [] for rid in retiree_ids}
    if not retiree_ids:
        return result
    rows = db.exec(
        select(RetireeCareFlag).where(col(RetireeCareFlag.retiree_id).in_(list(retiree_ids)))
    ).all()
    order = [f.value for f in CareFlag]
    for row in rows:
        result.setdefault(row.retiree_id, []).append(row.flag)
    for flags in result.values():
        flags.sort(key=lambda f: order.index(f) if f in order else 99)
    return result


def set_care_flags(db: Session, retiree: Retiree, flags: Sequence[CareFlag | str]) -> None:
    assert retiree.id is not None
    db.exec(delete(RetireeCareFlag).where(col(RetireeCareFlag.retiree_id) == retiree.id))
    for flag in dict.fromkeys(CareFlag(f).value for f in flags):
        db.add(RetireeCareFlag(retiree_id=retiree.id, flag=flag))


def audit_view(retiree: Retiree, flags: Sequence[str] | None = None) -> dict[str, Any]:
    """What the audit log keeps of a retiree: no 身份证号, phone and address as they are
    (the audit log is visible to admins of the unit only)."""
    view: dict[str, Any] = {
        "name": retiree.name,
        "gender": retiree.gender,
        "birth_date": retiree.birth_date,
        "category": retiree.category,
        "level": retiree.level,
        "unit_id": retiree.unit_id,
        "phone": retiree.phone,
        "address": retiree.address,
        "status": retiree.status,
    }
    if flags is not None:
        view["care_flags"] = ",".join(flags)
    return view


def get_by_id_number(db: Session, cipher: PersonalDataCipher, id_number: str) -> Retiree | None:
    digest = cipher.search_hash(id_number)
    return db.exec(select(Retiree).where(Retiree.id_number_hash == digest)).first()


def _check_unit(db: Session, unit_id: int, scope: Unit) -> Unit:
    return get_scoped(db, Unit, unit_id, scope, missing=WRONG_UNIT, refuse=BadRequest)


def create(
    db: Session,
    *,
    clock: Clock,
    cipher: PersonalDataCipher,
    staff: StaffAccount | None,
    scope: Unit,
    data: RetireeCreate,
) -> Retiree:
    _check_unit(db, data.unit_id, scope)
    id_number = normalise_id_number(data.id_number)
    if get_by_id_number(db, cipher, id_number) is not None:
        raise Conflict("这个身份证号已经登记过了，请搜索后修改原记录。", code="duplicate_id_number")
    now = clock.now()
    retiree = Retiree(
        unit_id=data.unit_id,
        name=data.name,
        gender=data.gender,
        birth_date=data.birth_date,
        category=data.category,
        level=data.level,
        phone=data.phone,
        address=data.address,
        id_number_enc=cipher.encrypt(id_number),
        id_number_hash=cipher.search_hash(id_number),
        id_number_tail=id_number[-4:],
        created_at=now,
        updated_at=now,
    )
    db.add(retiree)
    db.flush()
    set_care_flags(db, retiree, data.care_flags)
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="retiree.create",
        entity="retiree",
        entity_id=retiree.id,
        unit_id=retiree.unit_id,
        after=audit_view(retiree, [f.value for f in data.care_flags]),
    )
    return retiree


def update(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount | None,
    scope: Unit,
    retiree: Retiree,
    data: RetireeUpdate,
) -> Retiree:
    assert retiree.id is not None
    if data.version is not None and data.version != retiree.version:
        raise Conflict("这条记录刚被别人改过了，请刷新后再改。", code="stale_version")
    changes = data.model_dump(exclude_unset=True, exclude={"version", "care_flags"})
    if "unit_id" in changes and changes["unit_id"] is not None:
        _check_unit(db, changes["unit_id"], scope)
    old_flags = care_flags_of(db, [retiree.id])[retiree.id]
    before = audit_view(retiree, old_flags)
    for key, value in changes.items():
        if value is None and key not in ("phone", "address"):
            continue
        setattr(retiree, key, value)
    new_flags = old_flags
    if data.care_flags is not None:
        set_care_flags(db, retiree, data.care_flags)
        new_flags = [f.value for f in data.care_flags]
    after = audit_view(retiree, new_flags)
    if after == before:
        return retiree
    old_address = before.get("address")
    # Optimistic lock enforced by the database: bump the version only if it is still the one
    # this change was based on; a concurrent writer makes rowcount 0.
    claim_version(db, retiree)
    retiree.updated_at = clock.now()
    db.add(retiree)
    db.flush()
    old, new = audit.changed_fields(before, after)
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="retiree.update",
        entity="retiree",
        entity_id=retiree.id,
        unit_id=retiree.unit_id,
        before=old,
        after=new,
    )
    announce_address_change(db, clock=clock, staff=staff, retiree=retiree, old_address=old_address)
    return retiree


def same_address(a: str | None, b: str | None) -> bool:
    """Two ways of writing one address: white space anywhere does not make it another home."""
    return "".join((a or "").split()) == "".join((b or "").split())


def announce_address_change(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount | None,
    retiree: Retiree,
    old_address: object,
) -> None:
    """After the record's address changed (staff edit, approved check-in): open orders that
    still carry the old home address follow it (rides, meal deliveries subscribe)."""
    old = str(old_address or "").strip()
    new = (retiree.address or "").strip()
    if not old or old == new:
        return
    events.publish(
        events.ADDRESS_CHANGED,
        db=db,
        retiree=retiree,
        old_address=old,
        clock=clock,
        staff=staff,
    )


def claim_version(db: Session, retiree: Retiree) -> None:
    expected = retiree.version
    result = db.execute(
        sa_update(Retiree)
        .where(col(Retiree.id) == retiree.id, col(Retiree.version) == expected)
        .values(version=expected + 1)
        # The caller's object gets the new version below, so the flush sees the change.
        .execution_options(synchronize_session=False, **{TRACKED_BY_FLUSH: True})
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("这条记录刚被别人改过了，请刷新后再改。", code="stale_version")
    retiree.version = expected + 1


def update_from_checkin(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    retiree_id: int,
    address: str | None,
    phone: str | None,
    care_needs: Sequence[str],
    action: str = "retiree.update_from_checkin",
) -> None:
    """An approved check-in corrects the record: the new address and phone when given and
    different, and the care flags asked for added (none taken away). Audited; a moved home is
    announced like a staff edit. The one path a reported move takes too (事项报告: 居住地变更,
    `action` "retiree.update_from_matter")."""
    retiree = db.get(Retiree, retiree_id)
    assert retiree is not None
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    if address and retiree.address != address:
        before["address"], after["address"] = retiree.address, address
        retiree.address = address
    if phone and phone != retiree.phone:
        before["phone"], after["phone"] = retiree.phone, phone
        retiree.phone = phone
    flags = care_flags_of(db, [retiree_id]).get(retiree_id, [])
    wanted = [f for f in care_needs if f not in flags]
    if wanted:
        before["care_flags"], after["care_flags"] = flags, flags + wanted
        set_care_flags(db, retiree, flags + wanted)
    if not after:
        return
    retiree.updated_at = clock.now()
    claim_version(db, retiree)
    db.add(retiree)
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action=action,
        entity="retiree",
        entity_id=retiree.id,
        unit_id=retiree.unit_id,
        before=before,
        after=after,
    )
    if "address" in after:
        db.flush()
        announce_address_change(
            db, clock=clock, staff=staff, retiree=retiree, old_address=before["address"]
        )


def change_status(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount | None,
    retiree: Retiree,
    status: RetireeStatus,
    note: str | None,
    died_on: date | None = None,
) -> Retiree:
    if retiree.status == status:
        return retiree
    if retiree.status == RetireeStatus.deceased:
        raise BadRequest("已标记去世的记录不能再改状态。如标记有误，请联系管理员。")
    if status == RetireeStatus.deceased:
        _check_died_on(retiree, died_on, local_today(clock))
    before = {"status": retiree.status, "status_note": retiree.status_note}
    now = clock.now()
    retiree.died_on = died_on if status == RetireeStatus.deceased else None
    retiree.status = status
    retiree.status_note = note
    retiree.status_changed_at = now
    retiree.updated_at = now
    claim_version(db, retiree)
    db.add(retiree)
    if status == RetireeStatus.deceased:
        # No one may bind to this record any more; other domains end what is open.
        for code in db.exec(
            select(BindingCode).where(
                BindingCode.retiree_id == retiree.id,
                col(BindingCode.used_at).is_(None),
                col(BindingCode.revoked_at).is_(None),
            )
        ).all():
            code.revoked_at = now
            db.add(code)
        for invite in db.exec(
            select(FamilyInvite).where(
                FamilyInvite.retiree_id == retiree.id,
                col(FamilyInvite.used_at).is_(None),
                col(FamilyInvite.expires_at) > now,
            )
        ).all():
            invite.expires_at = now
            db.add(invite)
        db.flush()
        events.publish(
            events.RETIREE_DECEASED,
            db=db,
            retiree=retiree,
            clock=clock,
            died_on=died_on,
            by=staff,
        )
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="retiree.status",
        entity="retiree",
        entity_id=retiree.id,
        unit_id=retiree.unit_id,
        before=before,
        after={"status": status.value, "status_note": note, "died_on": retiree.died_on},
    )
    return retiree


def _check_died_on(retiree: Retiree, died_on: date | None, today: date) -> None:
    if died_on is None:
        raise Unprocessable("请填写老同志去世的日期。")
    if died_on > today:
        raise Unprocessable("去世日期不能晚于今天，请改正。")
    if died_on < retiree.birth_date:
        raise Unprocessable("去世日期早于出生日期，请改正。")


# A 去世 marked by mistake can be taken back by an admin for this long.
DEATH_UNDO_DAYS = 30


def death_revocable(retiree: Retiree, clock: Clock) -> bool:
    marked = retiree.status_changed_at
    return (
        retiree.status == RetireeStatus.deceased
        and marked is not None
        and clock.now() - as_utc(marked) <= timedelta(days=DEATH_UNDO_DAYS)
    )


def revoke_death(
    db: Session, *, clock: Clock, staff: StaffAccount, retiree: Retiree, reason: str
) -> tuple[list[str], list[str]]:
    """Take back a 去世 marked by mistake: admins only, within DEATH_UNDO_DAYS of the marking.
    The record is 在册 again; every domain puts back what it can (events.RETIREE_DEATH_REVOKED
    handlers append to `restored` / `not_restored`, in words staff read). Returns both lists."""
    if staff.role != StaffRole.admin:
        raise Forbidden("只有管理员可以撤销去世标记。")
    if retiree.status != RetireeStatus.deceased:
        raise Conflict("这位老同志没有标记去世，不用撤销。")
    marked = retiree.status_changed_at
    if marked is None or not death_revocable(retiree, clock):
        raise Conflict(f"去世标记已超过{DEATH_UNDO_DAYS}天，不能在这里撤销。请联系上级部门。")
    before = {"status": retiree.status, "died_on": retiree.died_on}
    now = clock.now()
    retiree.status = RetireeStatus.active
    retiree.status_note = reason
    retiree.died_on = None
    retiree.status_changed_at = now
    retiree.updated_at = now
    claim_version(db, retiree)
    db.add(retiree)
    db.flush()
    restored: list[str] = []
    not_restored: list[str] = []
    events.publish(
        events.RETIREE_DEATH_REVOKED,
        db=db,
        retiree=retiree,
        clock=clock,
        marked_at=as_utc(marked),
        restored=restored,
        not_restored=not_restored,
    )
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="retiree.revoke_death",
        entity="retiree",
        entity_id=retiree.id,
        unit_id=retiree.unit_id,
        before=before,
        after={"status": retiree.status.value, "reason": reason, "not_restored": not_restored},
    )
    return restored, not_restored


def search(
    db: Session,
    *,
    cipher: PersonalDataCipher,
    scope: Unit,
    q: str | None = None,
    unit_id: int | None = None,
    care_flag: CareFlag | None = None,
    status: RetireeStatus | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Retiree], int]:
    root = scope if unit_id is None else get_scoped(db, Unit, unit_id, scope)
    query = select(Retiree).where(unit_in(Retiree.unit_id, root))
    q = search_text(q or "")
    if q:
        conditions = [col(Retiree.name).contains(q)]
        digits = q.replace(" ", "")
        if digits.isdigit() and len(digits) >= 4:
            conditions.append(col(Retiree.phone).contains(digits))
        if len(digits) == 4 and (digits[:3].isdigit() and digits[-1] in "0123456789Xx"):
            conditions.append(col(Retiree.id_number_tail) == digits.upper())
        if len(digits) == 18:
            conditions.append(col(Retiree.id_number_hash) == cipher.search_hash(digits))
        query = query.where(or_(*conditions))
    if care_flag is not None:
        query = query.where(
            col(Retiree.id).in_(
                select(RetireeCareFlag.retiree_id).where(RetireeCareFlag.flag == care_flag.value)
            )
        )
    if status is not None:
        query = query.where(Retiree.status == status.value)
    total = db.exec(select(func.count()).select_from(query.subquery())).one()
    rows = db.exec(query.order_by(col(Retiree.name), col(Retiree.id)).offset(offset).limit(limit))
    return list(rows.all()), int(total)


@dataclass(frozen=True)
class RosterCounts:
    by_status: dict[str, int]
    by_flag: dict[str, int]
    bound: int  # with WeChat bound


def counts_in_scope(db: Session, *, scope: Unit) -> RosterCounts:
    """The dashboard's figures for the retirees inside a staff member's units."""
    in_scope = select(Retiree.id).where(unit_in(Retiree.unit_id, scope))
    by_status = db.exec(
        select(Retiree.status, func.count())
        .where(col(Retiree.id).in_(in_scope))
        .group_by(Retiree.status)
    ).all()
    by_flag = db.exec(
        select(RetireeCareFlag.flag, func.count())
        .where(col(RetireeCareFlag.retiree_id).in_(in_scope))
        .group_by(RetireeCareFlag.flag)
    ).all()
    bound = db.exec(
        select(func.count())
        .select_from(Retiree)
        .where(col(Retiree.id).in_(in_scope), col(Retiree.wechat_user_id).is_not(None))
    ).one()
    return RosterCounts(
        by_status={str(k): int(v) for k, v in by_status},
        by_flag={str(k): int(v) for k, v in by_flag},
        bound=int(bound),
    )
