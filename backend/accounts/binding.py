"""Binding a WeChat user to a retiree (staff-issued code) or as family (invite code)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import ColumnElement
from sqlalchemy import update as sa_update
from sqlmodel import Session, col, select

from backend.accounts import audit
from backend.accounts.enums import RetireeStatus
from backend.accounts.identity import Acting
from backend.accounts.models import (
    BindingCode,
    FamilyBinding,
    FamilyInvite,
    Retiree,
    StaffAccount,
    WechatUser,
)
from backend.accounts.schemas import FamilyBindingPublic, FamilyInviteCreate, FamilyRightsIn
from backend.core.clock import Clock
from backend.core.errors import BadRequest, Conflict, Forbidden, NotFound
from backend.core.security import new_invite_code, new_numeric_code

CODE_TTL = timedelta(days=7)
MAX_WRONG_TRIES = 5

_BAD_CODE = "绑定码不对或已过期。请核对后再输一次，或请工作人员重新发一个。"


def _active_code_filter(clock: Clock) -> list[ColumnElement[bool]]:
    return [
        col(BindingCode.used_at).is_(None),
        col(BindingCode.revoked_at).is_(None),
        col(BindingCode.locked_at).is_(None),
        col(BindingCode.expires_at) > clock.now(),
    ]


def issue_binding_code(
    db: Session, *, clock: Clock, staff: StaffAccount, retiree: Retiree
) -> BindingCode:
    if retiree.status == RetireeStatus.deceased:
        raise BadRequest("这位老同志已标记去世，不能再发绑定码。")
    now = clock.now()
    for old in db.exec(
        select(BindingCode).where(BindingCode.retiree_id == retiree.id, *_active_code_filter(clock))
    ).all():
        old.revoked_at = now
        db.add(old)
    while True:
        code = new_numeric_code(6)
        clash = db.exec(
            select(BindingCode.id).where(BindingCode.code == code, *_active_code_filter(clock))
        ).first()
        if clash is None:
            break
    assert retiree.id is not None and staff.id is not None
    row = BindingCode(
        retiree_id=retiree.id,
        code=code,
        issued_by_staff_id=staff.id,
        created_at=now,
        expires_at=now + CODE_TTL,
    )
    db.add(row)
    db.flush()
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="binding_code.issue",
        entity="retiree",
        entity_id=retiree.id,
        unit_id=retiree.unit_id,
        after={"expires_at": row.expires_at},
    )
    return row


def redeem_binding_code(
    db: Session, *, clock: Clock, cipher_tail_check: str, user: WechatUser, code: str
) -> Retiree:
    """Bind `user` as the retiree the code was issued for.

    `cipher_tail_check` is the last 4 characters of the retiree's 身份证号 as the user typed
    them: a code alone is not enough. Five wrong tries lock the code.
    """
    if db.exec(select(Retiree.id).where(Retiree.wechat_user_id == user.id)).first():
        raise Conflict("您的微信已经绑定了老同志本人，不用再绑定。", code="already_bound")
    row = db.exec(
        select(BindingCode).where(BindingCode.code == code, *_active_code_filter(clock))
    ).first()
    if row is None:
        raise BadRequest(_BAD_CODE, code="bad_binding_code")
    retiree = db.get(Retiree, row.retiree_id)
    if retiree is None or retiree.status == RetireeStatus.deceased:
        raise BadRequest(_BAD_CODE, code="bad_binding_code")
    if retiree.id_number_tail != cipher_tail_check.upper():
        row.failed_attempts += 1
        left = MAX_WRONG_TRIES - row.failed_attempts
        if left <= 0:
            row.locked_at = clock.now()
            db.add(row)
            raise Forbidden(
                "身份证后4位连续输错5次，这个绑定码已作废。请联系工作人员重新发一个。",
                code="binding_code_locked",
                keep_changes=True,
            )
        db.add(row)
        raise BadRequest(
            f"身份证号后4位不对，请核对。还可以再试{left}次。",
            code="bad_id_tail",
            keep_changes=True,
        )
    if retiree.wechat_user_id is not None and retiree.wechat_user_id != user.id:
        raise Conflict(
            "这位老同志已经绑定了别的微信。如需更换，请联系工作人员。", code="retiree_bound"
        )
    now = clock.now()
    # Single use even under a double tap: only one request can flip used_at.
    claimed = db.execute(
        sa_update(BindingCode)
        .where(col(BindingCode.id) == row.id, col(BindingCode.used_at).is_(None))
        .values(used_at=now, used_by_wechat_user_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("这个绑定码刚刚已经用过了。", code="code_used")
    retiree.wechat_user_id = user.id
    db.add(retiree)
    db.flush()
    return retiree


def issue_family_invite(
    db: Session, *, clock: Clock, retiree: Retiree, issued_by: str, data: FamilyInviteCreate
) -> FamilyInvite:
    if retiree.status == RetireeStatus.deceased:
        raise BadRequest("这位老同志已标记去世，不能再邀请家人。")
    assert retiree.id is not None
    while True:
        code = new_invite_code(8)
        if db.exec(select(FamilyInvite.id).where(FamilyInvite.code == code)).first() is None:
            break
    now = clock.now()
    invite = FamilyInvite(
        retiree_id=retiree.id,
        code=code,
        relation=data.relation,
        can_receive_notices=data.can_receive_notices,
        can_submit_checkin=data.can_submit_checkin,
        can_book=data.can_book,
        can_see_health=data.can_see_health,
        issued_by=issued_by,
        created_at=now,
        expires_at=now + CODE_TTL,
    )
    db.add(invite)
    db.flush()
    return invite


def staff_invite_family(
    db: Session, *, clock: Clock, staff: StaffAccount, retiree: Retiree, data: FamilyInviteCreate
) -> FamilyInvite:
    """Staff invite a family member for a retiree (by phone, at the counter), audited — the
    one staff path for the API and the console."""
    invite = issue_family_invite(
        db, clock=clock, retiree=retiree, issued_by=f"staff:{staff.id}", data=data
    )
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="family_invite.issue",
        entity="retiree",
        entity_id=retiree.id,
        unit_id=retiree.unit_id,
        after={"relation": data.relation.value},
    )
    return invite


def redeem_family_invite(
    db: Session, *, clock: Clock, user: WechatUser, code: str, display_name: str
) -> FamilyBinding:
    invite = db.exec(select(FamilyInvite).where(FamilyInvite.code == code.strip().upper())).first()
    if invite is None or invite.used_at is not None or invite.expires_at <= clock.now():
        raise BadRequest(
            "邀请码不对或已过期。请核对后再输一次，或请老人重新发一个。", code="bad_invite"
        )
    retiree = db.get(Retiree, invite.retiree_id)
    if retiree is None or retiree.status == RetireeStatus.deceased:
        raise BadRequest("邀请码已失效。", code="bad_invite")
    if retiree.wechat_user_id == user.id:
        raise BadRequest("这是您本人的记录，不用作为家人绑定。", code="self_invite")
    existing = db.exec(
        select(FamilyBinding).where(
            FamilyBinding.retiree_id == retiree.id,
            FamilyBinding.wechat_user_id == user.id,
            col(FamilyBinding.revoked_at).is_(None),
        )
    ).first()
    if existing is not None:
        raise Conflict("您已经绑定了这位老人，不用重复绑定。", code="already_family")
    now = clock.now()
    claimed = db.execute(
        sa_update(FamilyInvite)
        .where(col(FamilyInvite.id) == invite.id, col(FamilyInvite.used_at).is_(None))
        .values(used_at=now, used_by_wechat_user_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("这个邀请码刚刚已经用过了。", code="code_used")
    assert retiree.id is not None and user.id is not None
    binding = FamilyBinding(
        retiree_id=retiree.id,
        wechat_user_id=user.id,
        relation=invite.relation,
        display_name=display_name.strip(),
        can_receive_notices=invite.can_receive_notices,
        can_submit_checkin=invite.can_submit_checkin,
        can_book=invite.can_book,
        can_see_health=invite.can_see_health,
        invite_id=invite.id,
        created_at=now,
    )
    db.add(binding)
    db.flush()
    return binding


def active_bindings_of(db: Session, retiree_id: int) -> list[FamilyBinding]:
    rows = db.exec(
        select(FamilyBinding)
        .where(FamilyBinding.retiree_id == retiree_id, col(FamilyBinding.revoked_at).is_(None))
        .order_by(col(FamilyBinding.id))
    ).all()
    return list(rows)


def get_active_binding(db: Session, retiree_id: int, binding_id: int) -> FamilyBinding:
    binding = db.get(FamilyBinding, binding_id)
    if binding is None or binding.retiree_id != retiree_id or binding.revoked_at is not None:
        raise NotFound("没有找到这个家人绑定。")
    return binding


def revoke_binding(
    db: Session,
    *,
    clock: Clock,
    binding: FamilyBinding,
    revoked_by: str,
    staff: StaffAccount | None = None,
    unit_id: int | None = None,
) -> FamilyBinding:
    binding.revoked_at = clock.now()
    binding.revoked_by = revoked_by
    db.add(binding)
    if staff is not None:
        audit.record(
            db,
            clock=clock,
            staff=staff,
            action="family_binding.revoke",
            entity="family_binding",
            entity_id=binding.id,
            unit_id=unit_id,
            before={"relation": binding.relation, "display_name": binding.display_name},
        )
    return binding


def unbind_wechat(db: Session, *, clock: Clock, staff: StaffAccount, retiree: Retiree) -> Retiree:
    if retiree.wechat_user_id is None:
        raise BadRequest("这位老同志还没有绑定微信。")
    before = {"wechat_user_id": retiree.wechat_user_id}
    retiree.wechat_user_id = None
    db.add(retiree)
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="retiree.unbind_wechat",
        entity="retiree",
        entity_id=retiree.id,
        unit_id=retiree.unit_id,
        before=before,
        after={"wechat_user_id": None},
    )
    return retiree


def set_rights(
    db: Session, *, acting: Acting, binding_id: int, data: FamilyRightsIn
) -> FamilyBinding:
    """The retiree changes what a bound family member may do; a family member cannot change
    their own. The identity cache notices the changed row (accounts/identity_cache.py), so the
    next request sees the new rights."""
    if acting.on_behalf:
        raise Forbidden("只有老人本人可以改家人的权限。", code="permission_denied")
    binding = get_active_binding(db, acting.retiree.id or 0, binding_id)
    binding.can_receive_notices = data.can_receive_notices
    binding.can_submit_checkin = data.can_submit_checkin
    binding.can_book = data.can_book
    binding.can_see_health = data.can_see_health
    db.add(binding)
    db.flush()
    return binding


def to_public(b: FamilyBinding, retiree_name: str) -> FamilyBindingPublic:
    assert b.id is not None
    return FamilyBindingPublic(
        id=b.id,
        retiree_id=b.retiree_id,
        retiree_name=retiree_name,
        relation=b.relation,
        display_name=b.display_name,
        can_receive_notices=b.can_receive_notices,
        can_submit_checkin=b.can_submit_checkin,
        can_book=b.can_book,
        can_see_health=b.can_see_health,
        created_at=b.created_at,
    )
