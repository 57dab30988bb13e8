"""The subscribe-message template for notices, within WeChat's field limits."""

from __future__ import annotations

from datetime import datetime

from backend.core.clock import to_local

THING_MAX = 20
NAME_MAX = 10


def fit(text: str, limit: int) -> str:
    """Shorten to WeChat's limit, ending with an ellipsis so nobody reads a cut word as whole."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text or "通知"
    return text[: limit - 1] + "…"


def notice_message(
    *, title: str, for_name: str, is_copy: bool, at: datetime
) -> dict[str, dict[str, str]]:
    """thing1 标题, thing2 对象, time3 时间, thing4 提示 — the fields of our notice template."""
    who = f"{for_name}（家属副本）" if is_copy else for_name
    return {
        "thing1": {"value": fit(title, THING_MAX)},
        "thing2": {"value": fit(who, THING_MAX)},
        "time3": {"value": to_local(at).strftime("%Y-%m-%d %H:%M")},
        "thing4": {"value": "请打开小程序查看详情"},
    }
