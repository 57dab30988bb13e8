"""Ways into a retiree's record still open: binding codes and family invitations not used yet
(a death revokes them in retirees.change_status)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from backend.accounts.models import BindingCode, FamilyInvite
from backend.core import open_items


def listed(db: Session, retiree_id: int, now: datetime) -> list[str]:
    codes = db.exec(
        select(BindingCode.id).where(
            BindingCode.retiree_id == retiree_id,
            col(BindingCode.used_at).is_(None),
            col(BindingCode.revoked_at).is_(None),
            col(BindingCode.expires_at) > now,
        )
    ).all()
    invites = db.exec(
        select(FamilyInvite.id).where(
            FamilyInvite.retiree_id == retiree_id,
            col(FamilyInvite.used_at).is_(None),
            col(FamilyInvite.expires_at) > now,
        )
    ).all()
    return [f"绑定码 {i}" for i in codes] + [f"家属邀请 {i}" for i in invites]


def install() -> None:
    open_items.register("accounts", tables=("binding_code", "family_invite"), open_items=listed)
