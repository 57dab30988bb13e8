"""Who a WeChat user is (retiree, family member, unbound) and what they may do for whom.

Access rule: a retiree sees only their own record, a family member only the retirees they are
bound to and only what the binding allows, everyone else gets 404 — never a hint that the record
exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import and_
from sqlmodel import Session, col, select

from backend.accounts.enums import RetireeStatus
from backend.accounts.models import FamilyBinding, Retiree, WechatUser
from backend.core.actors import Actor
from backend.core.errors import Forbidden, NotFound


class Permission(StrEnum):
    view = "view"
    receive_notices = "receive_notices"
    submit_checkin = "submit_checkin"
    book = "book"
    manage_family = "manage_family"
    see_health = "see_health"


_FAMILY_DENIED = {
    Permission.receive_notices: "您没有接收这位老人通知的权限。",
    Permission.submit_checkin: "您没有替这位老人办理年度登记的权限。请老人在“家人”页面为您打开。",
    Permission.book: "您没有替这位老人预约的权限。请老人在“家人”页面为您打开。",
    Permission.manage_family: "只有老人本人或工作人员可以管理家人绑定。",
    Permission.see_health: "老人还没有让您看健康档案。请老人在“家人”页面为您打开。",
}


# The health record stays readable for the family who had the right (insurance, 抚恤 papers).
_STILL_ALLOWED_AFTER_DEATH = {Permission.view, Permission.receive_notices, Permission.see_health}


@dataclass
class HomeUnit:
    """The unit of the viewer's own retiree record and the units above it (top first, with
    their names): what the bot needs to know where someone asks from. Filled when the viewer
    came through the identity cache (accounts/identity_cache.py), else None."""

    id: int
    path: str
    line: list[tuple[int, str]]


@dataclass
class Viewer:
    user: WechatUser
    retiree: Retiree | None
    bindings: list[FamilyBinding] = field(default_factory=list)
    home: HomeUnit | None = None

    @property
    def user_id(self) -> int:
        assert self.user.id is not None
        return self.user.id

    @property
    def roles(self) -> list[str]:
        roles = []
        if self.retiree is not None:
            roles.append("retiree")
        if self.bindings:
            roles.append("family")
        return roles

    def binding_for(self, retiree_id: int) -> FamilyBinding | None:
        for binding in self.bindings:
            if binding.retiree_id == retiree_id:
                return binding
        return None

    def did_it(self, acting: Acting) -> str:
        """Who did something, in words staff read: 本人, or the family member and their
        relation (家属王小红（子女）)."""
        binding = self.binding_for(acting.retiree.id or 0) if acting.on_behalf else None
        if binding is None:
            return "本人"
        return f"家属{binding.display_name}（{binding.relation}）"

    def may(self, retiree_id: int, need: Permission) -> bool:
        """Whether this viewer holds `need` for the retiree (themselves, or a binding that grants
        it) — for a page that shows or hides a control; act_for is the check that refuses."""
        if self.retiree is not None and self.retiree.id == retiree_id:
            return True
        binding = self.binding_for(retiree_id)
        return binding is not None and _granted(binding, need)


@dataclass(frozen=True)
class Acting:
    """Who really did something for a retiree: the retiree, or a family member on their behalf."""

    retiree: Retiree
    wechat_user_id: int
    on_behalf: bool
    binding_id: int | None

    @property
    def actor(self) -> Actor:
        if self.on_behalf:
            assert self.binding_id is not None
            return Actor.family(self.binding_id)
        return Actor.self_()

    @property
    def label(self) -> str:
        return self.actor.label


def load_viewer(db: Session, user: WechatUser) -> Viewer:
    retiree = db.exec(select(Retiree).where(Retiree.wechat_user_id == user.id)).first()
    # Bindings to a retiree who has died stay: the family still reads what was sent to them.
    bindings = db.exec(
        select(FamilyBinding)
        .where(FamilyBinding.wechat_user_id == user.id, col(FamilyBinding.revoked_at).is_(None))
        .order_by(col(FamilyBinding.id))
    ).all()
    return Viewer(user=user, retiree=retiree, bindings=list(bindings))


def load_viewer_by_id(db: Session, user_id: int) -> Viewer | None:
    """The same Viewer as load_viewer, for a user known by id, in one statement (the user, their
    own retiree record and their live bindings, outer-joined): what every signed-in request
    needs, so it costs one round trip."""
    rows = db.exec(
        select(WechatUser, Retiree, FamilyBinding)
        .select_from(WechatUser)
        .outerjoin(Retiree, col(Retiree.wechat_user_id) == WechatUser.id)
        .outerjoin(
            FamilyBinding,
            and_(
                col(FamilyBinding.wechat_user_id) == WechatUser.id,
                col(FamilyBinding.revoked_at).is_(None),
            ),
        )
        .where(WechatUser.id == user_id)
        .order_by(col(Retiree.id), col(FamilyBinding.id))
    ).all()
    if not rows:
        return None
    retiree = next((r for _, r, _ in rows if r is not None), None)
    bindings: dict[int, FamilyBinding] = {}
    for _, _, binding in rows:
        if binding is not None and binding.id not in bindings:
            bindings[binding.id or 0] = binding
    return Viewer(user=rows[0][0], retiree=retiree, bindings=list(bindings.values()))


def _granted(binding: FamilyBinding, need: Permission) -> bool:
    return {
        Permission.view: True,
        Permission.receive_notices: binding.can_receive_notices,
        Permission.submit_checkin: binding.can_submit_checkin,
        Permission.book: binding.can_book,
        Permission.manage_family: False,
        Permission.see_health: binding.can_see_health,
    }[need]


def act_for(
    db: Session, viewer: Viewer, retiree_id: int, need: Permission, *, missing: str | None = None
) -> Acting:
    """The retiree this viewer may act for with `need`, and who is acting.

    `missing`: for a record reached by its own id (a booking, an order, a ride), the words used
    when that record does not exist — someone else's record gets exactly the same answer, so an
    id reveals nothing."""
    not_found = missing or "没有找到这位老同志。"
    if viewer.retiree is not None and viewer.retiree.id == retiree_id:
        return Acting(viewer.retiree, viewer.user_id, on_behalf=False, binding_id=None)
    binding = viewer.binding_for(retiree_id)
    if binding is None:
        raise NotFound(not_found)
    if not _granted(binding, need):
        raise Forbidden(_FAMILY_DENIED[need], code="permission_denied")
    retiree = db.get(Retiree, retiree_id)
    if retiree is None:
        raise NotFound(not_found)
    if retiree.status == RetireeStatus.deceased and need not in _STILL_ALLOWED_AFTER_DEATH:
        raise Forbidden("这位老同志已去世，不能再代办。如有需要请联系工作人员。", code="deceased")
    return Acting(retiree, viewer.user_id, on_behalf=True, binding_id=binding.id)
