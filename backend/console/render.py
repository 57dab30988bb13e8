"""The console's Jinja environment and page rendering."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from backend.core.clock import format_local
from backend.matters import wording as matters_wording
from backend.visits import wording as visits_wording

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
TEMPLATES.env.filters["local"] = format_local
TEMPLATES.env.filters["localdate"] = lambda v: format_local(v, "%Y-%m-%d")

ACTION_LABELS = {
    "retiree.create": "新增老同志",
    "retiree.update": "修改老同志资料",
    "retiree.status": "修改状态",
    "retiree.unbind_wechat": "解除微信绑定",
    "binding_code.issue": "生成绑定码",
    "family_invite.issue": "邀请家人",
    "family_binding.revoke": "解除家人绑定",
    "staff.create": "新增工作人员",
    "staff.activate": "启用账号",
    "staff.deactivate": "停用账号",
    "staff.reset_password": "重设密码",
    "roster_import.confirm": "花名册导入",
    "notice.create": "写通知",
    "notice.update": "修改通知",
    "notice.send": "发送通知",
    "notice.schedule": "定时发送通知",
    "notice.withdraw": "撤回通知",
    "bot_question.answer": "回复提问",
    "bot_question.dismiss": "忽略提问",
    "checkin_campaign.create": "开启年度登记",
    "checkin_campaign.extend": "延长年度登记",
    "checkin.approve": "年度登记通过",
    "checkin.return": "年度登记退回",
    "checkin.talk": "年度登记需约谈",
    "checkin.record": "代为登记",
    "retiree.update_from_checkin": "按年度登记更新资料",
    "contact.log": "记录联系",
    "lost_case.open": "失联立案",
    "lost_case.assign": "失联：定调查人",
    "lost_case.note": "失联：调查情况",
    "lost_case.pause_decision": "失联：是否暂停发放",
    "lost_case.close": "失联结案",
    "activity.create": "发布活动",
    "activity.capacity": "调整名额",
    "activity.cancel": "取消活动",
    "booking.create": "代为报名",
    "booking.cancel": "取消报名",
    "booking.attendance": "签到",
    "booking.session_attendance": "课程签到",
    "activity.photo": "上传活动照片",
    "meal_menu.publish": "发布菜单",
    "meal_menu.update": "修改菜单",
    "meal_menu.cancel": "取消一餐",
    "meal_option.update": "修改套餐",
    "meal_option.cancel": "取消套餐",
    "meal_order.create": "代为订餐",
    "meal_order.cancel": "取消订餐",
    "meal_order.paid": "收餐费",
    "ride.create": "代为约车",
    "ride.dispatch": "派车",
    "ride.add_to_trip": "加到已有车次",
    "ride.complete": "出车完成",
    "ride.cancel": "取消约车",
    "ride.unarranged": "无法安排",
    "ride_vehicle.create": "登记车辆",
    "ride_vehicle.update": "修改车辆",
    "ride_driver.create": "登记司机",
    "ride_driver.update": "修改司机",
    "duty_shift.create": "排班",
    "duty_shift.update": "修改值班",
    "duty_shift.delete": "删掉值班",
    "unit.phone": "修改单位总机",
    "unit_phone.create": "添加单位电话",
    "unit_phone.delete": "删掉单位电话",
    "ride_dest.create": "添加常用地点",
    "ride_dest.update": "修改常用地点",
    **visits_wording.AUDIT_ACTIONS,
    "sos.acknowledge": "紧急求助：已看到",
    "sos.close": "紧急求助：记下结果",
    "sos.contacts": "修改紧急联系人",
    "survey.create": "新建问卷",
    "survey.send": "发出问卷",
    "survey.close": "结束问卷",
    **matters_wording.AUDIT_ACTIONS,
}
TEMPLATES.env.globals["action_label"] = lambda a: ACTION_LABELS.get(a, a)
# A fresh one-time token in every form that writes: a second post of the same form (a double
# click, a resend after a slow network) returns the first result instead of acting twice
# (core/idempotency.py; console/forms.py once()).
TEMPLATES.env.globals["form_token"] = lambda: secrets.token_urlsafe(16)


def page_count(count: int, size: int) -> int:
    """How many pages a list of `count` rows fills, `size` to a page (at least one)."""
    return max(1, (count + size - 1) // size)


def page(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    data = dict(context or {})
    data["staff"] = getattr(request.state, "staff", None)
    data.setdefault("csrf", getattr(request.state, "csrf", ""))
    data.setdefault("nav", "")
    # The outcome line of the last action (forms.redirect): a success as a success, an error
    # as an error, on every page (base.html).
    data.setdefault("msg", request.query_params.get("msg"))
    data.setdefault("err", request.query_params.get("err"))
    return TEMPLATES.TemplateResponse(request, name, data, status_code=status_code)
