"""What a retiree is told when their meal order changes (bookings' notifier for kind "meal")."""

from __future__ import annotations

from backend.bookings import notifier
from backend.bookings.enums import BookableKind, BookingEvent

PAGE = "pages/meals/meals"

WORDS: dict[BookingEvent, tuple[str, str]] = {
    BookingEvent.confirmed: ("订餐成功", "您已订上“{title}”。不吃了请在{deadline}前取消。"),
    BookingEvent.waiting: (
        "已排上候补",
        "“{title}”已经订满，您排在候补第{position}位。有人退订会按顺序补上，并发消息告诉您；"
        "{deadline}前没补上就算没订上。",
    ),
    BookingEvent.promoted: (
        "候补订上了",
        "有人退订，您已订上“{title}”。不吃了请在{deadline}前取消。",
    ),
    BookingEvent.cancelled_by_staff: (
        "订餐已取消",
        "工作人员取消了您的“{title}”。原因：{reason}。如有疑问请联系工作人员。",
    ),
    BookingEvent.bookable_cancelled: ("这顿饭取消了", "很抱歉，“{title}”取消了。原因：{reason}。"),
    BookingEvent.reminder: (
        "明天的饭订好了",
        "您订了明天的“{title}”。不吃了请在{deadline}前取消。",
    ),
}


NOTIFIER = notifier.WordedNotifier(WORDS, PAGE)


def page_for(retiree_id: int) -> str:
    return NOTIFIER.page_for(retiree_id)


def install() -> None:
    notifier.register(BookableKind.meal, NOTIFIER)
