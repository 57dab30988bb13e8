"""The kinds of case, their default working days to a reply, the channels and the ratings.
Each unit may set its own working days per kind (CaseDueSetting; the nearest unit up the tree
that set one decides)."""

from __future__ import annotations

from enum import StrEnum


class CaseKind(StrEnum):
    question = "咨询"
    request = "求助"
    complaint = "投诉"
    suggestion = "建议"


# Working days to a reply when no unit above has set its own (bj 7.3: a person or team answers;
# the figures are this product's defaults, each unit may change them).
DEFAULT_WORKING_DAYS = {
    CaseKind.question: 3,
    CaseKind.request: 5,
    CaseKind.complaint: 13,
    CaseKind.suggestion: 13,
}
MAX_WORKING_DAYS = 60


class Channel(StrEnum):
    app = "小程序"
    phone = "电话"
    letter = "来信"
    visit = "来访"
    box = "意见箱"


STAFF_CHANNELS = (Channel.phone, Channel.letter, Channel.visit)


class Rating(StrEnum):
    satisfied = "满意"
    fair = "基本满意"
    unsatisfied = "不满意"


SATISFIED = (Rating.satisfied, Rating.fair)


class Status(StrEnum):
    open = "open"  # waiting for a reply (a follow-up too)
    replied = "replied"  # answered; waiting for the person's rating
    closed = "closed"  # rated 满意/基本满意, or anonymous and answered, or ended by staff


STATUS_WORDS = {
    Status.open: "正在办理",
    Status.replied: "已答复，请您评价",
    Status.closed: "已办结",
}

# A reminder to the handler this many working days before the due date (and on it).
REMIND_WORKING_DAYS_LEFT = 1
