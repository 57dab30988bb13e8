"""Fixed vocabularies of the people domain. Values are the Chinese words staff use."""

from __future__ import annotations

from enum import StrEnum


class UnitKind(StrEnum):
    # the member shadows str.center; UnitKind.center is the name the whole code base uses
    center = "服务管理中心"  # type: ignore[assignment]
    institute = "军休所"
    station = "服务站"


class Gender(StrEnum):
    male = "男"
    female = "女"


class RetireeCategory(StrEnum):
    lixiu = "离休"
    tuixiu = "退休"
    retired_nco = "退休军士"
    monthly_pension = "逐月领取退役金"


class RetireeLevel(StrEnum):
    division = "师级"
    regiment_and_below = "团级及以下"


class CareFlag(StrEnum):
    """mva-order-5-2021 第十六条: these retirees get priority care."""

    disabled = "失能"
    dementia = "失智"
    seriously_ill = "重病"
    advanced_age = "高龄"
    living_alone = "独居"
    empty_nest = "空巢"


# The flags that say something of a person's health: a family member sees them only with the
# 看健康档案 right, as they see the health record (高龄, 独居, 空巢 are age and household).
HEALTH_FLAGS = frozenset({CareFlag.disabled, CareFlag.dementia, CareFlag.seriously_ill})


class RetireeStatus(StrEnum):
    active = "在册"
    suspended = "暂停"
    deceased = "去世"


class Relation(StrEnum):
    spouse = "配偶"
    child = "子女"
    other = "其他"


class StaffRole(StrEnum):
    admin = "admin"
    staff = "staff"


class SessionKind(StrEnum):
    wechat = "wechat"
    staff = "staff"
