"""What a retiree is told when a booking changes, in words for the kind of thing booked, and
which mini-program page the notice opens."""

from __future__ import annotations

_ACTIVITY = {
    "confirmed": ("报名成功", "您已报上“{title}”，时间：{when}。去不了请在{deadline}前取消。"),
    "waiting": (
        "已排上候补",
        "“{title}”名额已满，您排在候补第{position}位。有人取消时会按顺序补上，并发消息告诉您。",
    ),
    "promoted": (
        "候补成功",
        "有人取消了，您已补上“{title}”，时间：{when}。去不了请在{deadline}前取消，让给下一位。",
    ),
    "cancelled_by_staff": (
        "预约已取消",
        "工作人员取消了您的“{title}”（{when}）。原因：{reason}。如有疑问请联系工作人员。",
    ),
    "bookable_cancelled": ("活动取消", "很抱歉，“{title}”（{when}）取消了。原因：{reason}。"),
    "reminder": ("明天别忘了", "明天{time}有“{title}”。去不了请尽早取消，让给候补的老同志。"),
}

_MEAL = {
    "confirmed": ("订餐成功", "您已订上“{title}”。不吃了请在{deadline}前取消。"),
    "waiting": (
        "已排上候补",
        "“{title}”已经订满，您排在候补第{position}位。有人退订会按顺序补上，并发消息告诉您；"
        "{deadline}前没补上就算没订上。",
    ),
    "promoted": (
        "候补订上了",
        "有人退订，您已订上“{title}”。不吃了请在{deadline}前取消。",
    ),
    "cancelled_by_staff": (
        "订餐已取消",
        "工作人员取消了您的“{title}”。原因：{reason}。如有疑问请联系工作人员。",
    ),
    "bookable_cancelled": ("这顿饭取消了", "很抱歉，“{title}”取消了。原因：{reason}。"),
    "reminder": ("明天的饭订好了", "您订了明天的“{title}”。不吃了请在{deadline}前取消。"),
}

_BY_KIND = {"activity": _ACTIVITY, "meal": _MEAL}
_PAGES = {"activity": "pages/activities/activities", "meal": "pages/meals/meals"}


def message(kind: str, event: str) -> tuple[str, str]:
    """(title, body template) for this kind of bookable; activities' words otherwise."""
    return _BY_KIND.get(kind, _ACTIVITY)[event]


def page_for(kind: str, retiree_id: int) -> str:
    page = _PAGES.get(kind, _PAGES["activity"])
    return f"{page}?retiree_id={retiree_id}"
