"""The health record's access rule for staff: only the unit's medical staff (StaffAccount
.is_medical, set by an admin) read or write it, inside their unit subtree. Admins are no
exception: being in charge is not a reason to read someone's health. Family need the
看健康档案 right (accounts/identity.Permission.see_health)."""

from __future__ import annotations

from backend.accounts.models import StaffAccount
from backend.core.errors import Forbidden

NOT_MEDICAL = "只有所里的医务人员可以看健康档案。如需要，请管理员在“工作人员”页面把您设为医务人员。"


def may_read(staff: StaffAccount) -> bool:
    return staff.is_medical and staff.active


def require_medical(staff: StaffAccount) -> None:
    if not may_read(staff):
        raise Forbidden(NOT_MEDICAL, code="not_medical")


def medical_label(staff: StaffAccount) -> str:
    return f"医务人员{staff.display_name}"
