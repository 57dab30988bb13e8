"""操作记录 as staff read it: who, when (北京时间), what, and each changed field as
「label：before → after」 in Chinese.

The audit log stores before/after as JSON with the code's field names, some values themselves
JSON (a notice's audience), times in UTC and money in fen. Everything here turns those into
words; a field without a label shows as 「其他」, never as its English name."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from backend.accounts import directory
from backend.accounts.models import AuditLog
from backend.bookings.status import DEFAULT_LABELS as BOOKING_STATUS
from backend.checkin.schemas import FIELD_LABELS as CHECKIN_FIELDS
from backend.checkin.schemas import STATUS_LABELS as CHECKIN_STATUS
from backend.core.clock import format_local
from backend.rides.schemas import STATUS_LABELS as RIDE_STATUS
from backend.visits import wording as visits_wording

ENTITY_LABELS = {
    "activity": "活动",
    "booking": "报名",
    "bot_question": "提问",
    "checkin_campaign": "年度登记",
    "checkin_submission": "年度登记表",
    "duty_shift": "值班",
    "family_binding": "家人绑定",
    "meal_menu": "菜单",
    "meal_option": "套餐",
    "meal_order": "订餐",
    "notice": "通知",
    "retiree": "老同志",
    "ride_request": "约车",
    "ride_trip": "车次",
    "ride_vehicle": "车辆",
    "ride_driver": "司机",
    "ride_dest": "常用地点",
    "roster_import": "花名册导入",
    "staff": "工作人员",
    "unit": "单位",
    "unit_phone": "单位电话",
    "visit_campaign": "节日走访",
}

FIELD_LABELS: dict[str, str] = {
    **CHECKIN_FIELDS,
    **visits_wording.AUDIT_FIELDS,
    "active": "启用",
    "added_to_faq": "加入常见问题",
    "address": "住址",
    "amount_fen": "金额",
    "answer": "回复",
    "attended": "到场",
    "audience": "发给谁",
    "birth_date": "出生日期",
    "bookable": "活动",
    "bookings_cancelled": "取消的报名",
    "capacity": "名额",
    "care_flags": "关注标记",
    "category": "类别",
    "channel": "方式",
    "closes_on": "截止日期",
    "created": "新增",
    "created_at": "登记时间",
    "cutoff_at": "订餐截止",
    "day": "日期",
    "description": "说明",
    "dishes": "菜品",
    "display_name": "称呼",
    "driver": "司机",
    "ends_at": "结束时间",
    "expires_at": "有效期至",
    "file": "文件",
    "gender": "性别",
    "general": "总的意见",
    "id": "编号",
    "include_family": "家属收副本",
    "kind": "类型",
    "label": "电话名称",
    "level": "职级",
    "meal": "餐次",
    "mode": "方式",
    "name": "名称",
    "note": "备注",
    "on_duty": "值班人",
    "opens_on": "开始日期",
    "option_id": "套餐",
    "options": "套餐",
    "orders_cancelled": "取消的订餐",
    "paid": "已付款",
    "phone": "电话",
    "photo": "照片",
    "pickup_at": "上车时间",
    "plate": "车牌",
    "portions": "份数",
    "price_fen": "价格",
    "quantity": "数量",
    "reason": "原因",
    "relation": "关系",
    "requests": "约车申请",
    "retiree_id": "老同志",
    "role": "角色",
    "seats": "座位数",
    "send_at": "定时发送",
    "series_id": "定期用车",
    "session_id": "课次",
    "sessions": "课次数",
    "starts_at": "开始时间",
    "status": "状态",
    "status_note": "状态说明",
    "subsidised_fen": "补贴后价格",
    "tags": "标签",
    "title": "标题",
    "unit_id": "单位",
    "updated": "更新",
    "urgent": "紧急",
    "username": "用户名",
    "vehicle": "车辆",
    "wechat_user_id": "微信",
    "wheelchair": "轮椅",
    "year": "年度",
}
# Where one field name means different things.
ENTITY_FIELD_LABELS = {
    ("retiree", "name"): "姓名",
    ("ride_driver", "name"): "姓名",
    ("staff", "display_name"): "姓名",
}
STATUS_VALUES: dict[str, str] = {
    **{k: str(v) for k, v in CHECKIN_STATUS.items()},
    **RIDE_STATUS,
    **BOOKING_STATUS,
    **visits_wording.AUDIT_STATUSES,
    "draft": "草稿",
    "scheduled": "定时待发",
    "sending": "发送中",
    "sent": "已发送",
    "withdrawn": "已撤回",
    "published": "已发布",
    "answered": "已回复",
    "dismissed": "已忽略",
}
ROLE_VALUES = {"admin": "管理员", "staff": "工作人员"}
MONEY = {"amount_fen", "price_fen", "subsidised_fen"}
FIRST = {"title", "name", "username", "status"}  # what names the thing comes first
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?$")


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class AuditRow:
    at: str
    who: str
    action: str
    what: str
    changes: list[Change] = field(default_factory=list)


@dataclass
class _Names:
    units: dict[int, str]
    retirees: dict[int, str]


def _loads(raw: str | None) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _audience(value: dict[str, Any], names: _Names) -> str:
    if value.get("retiree_ids"):
        ids = value["retiree_ids"]
        shown = "、".join(names.retirees.get(i, "一位老同志") for i in ids[:5])
        more = f"等 {len(ids)} 位" if len(ids) > 5 else ""
        return f"指定的老同志：{shown}{more}"
    parts = []
    if value.get("unit_ids"):
        parts.append("单位：" + "、".join(names.units.get(u, "") for u in value["unit_ids"]))
    if value.get("care_flags"):
        parts.append("关注标记：" + "、".join(value["care_flags"]))
    if value.get("categories"):
        parts.append("类别：" + "、".join(value["categories"]))
    if parts:
        return "；".join(parts)
    return "本单位全部老同志"


def _decoded(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)  # stored twice encoded (a notice's audience)
        except ValueError:
            pass
    return value


def _show_keyed(key: str, value: Any, names: _Names) -> str | None:
    """Fields whose name says how to read them (money, a unit, a person, a status …)."""
    if key in MONEY and isinstance(value, int):
        return f"{value / 100:.2f}元"
    if key == "unit_id" and isinstance(value, int):
        return names.units.get(value, "—")
    if key == "retiree_id" and isinstance(value, int):
        return names.retirees.get(value, "—")
    if key == "wechat_user_id":
        return "已绑定"
    if key == "requests" and isinstance(value, list):
        return f"{len(value)} 个"
    if key == "status" and isinstance(value, str):
        return STATUS_VALUES.get(value, value)
    if key == "role" and isinstance(value, str):
        return ROLE_VALUES.get(value, value)
    return None


def show(key: str, value: Any, names: _Names) -> str:
    """One stored value in words."""
    if value is None or value == "" or value == []:
        return "—"
    value = _decoded(value)
    if key == "audience" and isinstance(value, dict):
        return _audience(value, names)
    if isinstance(value, bool):  # before the keyed fields: a bool is an int too
        return "是" if value else "否"
    keyed = _show_keyed(key, value, names)
    if keyed is not None:
        return keyed
    if isinstance(value, list):
        return "、".join(show(key, v, names) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{label(k)}：{show(k, v, names)}" for k, v in value.items())
    if isinstance(value, str) and _ISO_TIME.match(value):
        try:
            return format_local(datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            return value
    return str(value)


def label(key: str, entity: str = "") -> str:
    return ENTITY_FIELD_LABELS.get((entity, key)) or FIELD_LABELS.get(key, "其他")


def _names(db: Session, entries: list[AuditLog]) -> _Names:
    """The unit and retiree names the page mentions, in two queries."""
    unit_ids: set[int] = set()
    retiree_ids: set[int] = set()
    for entry in entries:
        if entry.entity == "retiree" and (entry.entity_id or "").isdigit():
            retiree_ids.add(int(entry.entity_id or 0))
        for data in (_loads(entry.before), _loads(entry.after)):
            if isinstance(data.get("unit_id"), int):
                unit_ids.add(data["unit_id"])
            if isinstance(data.get("retiree_id"), int):
                retiree_ids.add(data["retiree_id"])
            audience = data.get("audience")
            if isinstance(audience, str):
                chosen = _loads(audience)
                unit_ids.update(u for u in chosen.get("unit_ids") or [] if isinstance(u, int))
                retiree_ids.update(r for r in chosen.get("retiree_ids") or [] if isinstance(r, int))
    return _Names(
        units=directory.unit_names(db, unit_ids), retirees=directory.retiree_names(db, retiree_ids)
    )


def _who(actor: str) -> str:
    if actor == "system":
        return "系统自动"
    return actor.split(" ", 1)[1] if " " in actor else "工作人员"


def rows(db: Session, entries: list[AuditLog], action_labels: dict[str, str]) -> list[AuditRow]:
    names = _names(db, entries)
    out = []
    for entry in entries:
        before, after = _loads(entry.before), _loads(entry.after)
        what = ENTITY_LABELS.get(entry.entity, "记录")
        if entry.entity == "retiree" and (entry.entity_id or "").isdigit():
            what += f"：{names.retirees.get(int(entry.entity_id or 0), '')}"
        elif entry.entity_id:
            what += f"（第 {entry.entity_id} 号）"
        keys = sorted(dict.fromkeys([*before, *after]), key=lambda k: k not in FIRST)
        changes = [
            Change(
                label=label(k, entry.entity),
                before=show(k, before[k], names) if k in before else "",
                after=show(k, after[k], names) if k in after else "",
            )
            for k in keys
        ]
        out.append(
            AuditRow(
                at=format_local(entry.at),
                who=_who(entry.actor),
                action=action_labels.get(entry.action, "其他操作"),
                what=what,
                changes=changes,
            )
        )
    return out
