"""What a retiree is told when their activity booking changes (bookings' notifier for
kind "activity")."""

from __future__ import annotations

from backend.bookings import notifier
from backend.bookings.enums import BookableKind, BookingEvent

PAGE = "pages/activities/activities"

WORDS: dict[BookingEvent, tuple[str, str]] = {
    BookingEvent.confirmed: (
        "报名成功",
        "您已报上“{title}”，时间：{when}。去不了请在{deadline}前取消。",
    ),
    BookingEvent.waiting: (
        "已排上候补",
        "“{title}”名额已满，您排在候补第{position}位。有人取消时会按顺序补上，并发消息告诉您。",
    ),
    BookingEvent.promoted: (
        "候补成功",
        "有人取消了，您已补上“{title}”，时间：{when}。去不了请在{deadline}前取消，让给下一位。",
    ),
    BookingEvent.cancelled_by_staff: (
        "预约已取消",
        "工作人员取消了您的“{title}”（{when}）。原因：{reason}。如有疑问请联系工作人员。",
    ),
    BookingEvent.bookable_cancelled: (
        "活动取消",
        "很抱歉，“{title}”（{when}）取消了。原因：{reason}。",
    ),
    BookingEvent.reminder: (
        "明天别忘了",
        "明天{time}有“{title}”。去不了请尽早取消，让给候补的老同志。",
    ),
}


NOTIFIER = notifier.WordedNotifier(WORDS, PAGE)


def page_for(retiree_id: int) -> str:
    return NOTIFIER.page_for(retiree_id)


def install() -> None:
    notifier.register(BookableKind.activity, NOTIFIER)
