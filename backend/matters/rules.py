"""What each kind of matter asks for, which flow it takes and its clock (jl-junxiu-rules-2021).

- 出国(境) 第十五条: 师级 apply (审批表, the unit head signs, the higher department approves
  within 10 working days); 团级及以下 报备. A stay of more than three months reports every
  quarter; a return is reported, and the passport is handed in within 10 days of coming back.
- 社会团体任职 第十六条: approval through the unit to the higher department (no time limit in
  the clause: the same 10 working days as 出国).
- 出版/讲学 第十七条, 再婚 / 户口迁移 / 居住地变更 / 表彰奖励 第十八条: reported promptly;
  staff acknowledge within 3 working days; a major one is marked for the province."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from backend.accounts.enums import RetireeLevel
from backend.matters.models import Flow, Kind

APPROVAL_WORKING_DAYS = 10  # 第十五条
ACKNOWLEDGE_WORKING_DAYS = 3  # house rule for 报备: staff read it within three working days
REMIND_WORKING_DAYS_LEFT = 2  # staff are reminded when this many working days are left
LONG_STAY_MONTHS = 3  # a stay abroad longer than this reports every quarter
QUARTER_MONTHS = 3
QUARTERLY_GRACE_DAYS = 10  # staff hear of a quarterly report missing this long after it was due
PASSPORT_DAYS = 10  # 第十五条: passport handed in within 10 days of coming back


@dataclass(frozen=True)
class KindRule:
    kind: Kind
    clause: str
    what: str  # one line for the form: what to report and why


RULES: dict[Kind, KindRule] = {
    Kind.travel: KindRule(Kind.travel, "第十五条", "出国（境）前申请或报备，回来后报告。"),
    Kind.society: KindRule(Kind.society, "第十六条", "在社会组织任职或兼职，要先审批。"),
    Kind.publication: KindRule(Kind.publication, "第十七条", "出书、讲课讲学，向所里报备。"),
    Kind.remarriage: KindRule(Kind.remarriage, "第十八条", "再婚要及时报告。"),
    Kind.household: KindRule(Kind.household, "第十八条", "迁移户口要及时报告。"),
    Kind.residence: KindRule(Kind.residence, "第十八条", "搬家、换住处要及时报告。"),
    Kind.award: KindRule(Kind.award, "第十八条", "获得表彰奖励要及时报告。"),
}


def flow_for(kind: Kind, level: str) -> Flow:
    """出国: 师级 审批, 团级及以下 报备; 社会团体任职 is always approved; the rest are reported."""
    if kind == Kind.travel:
        return Flow.approval if level == RetireeLevel.division.value else Flow.report
    if kind == Kind.society:
        return Flow.approval
    return Flow.report


def working_days_for(flow: Flow) -> int:
    return APPROVAL_WORKING_DAYS if flow == Flow.approval else ACKNOWLEDGE_WORKING_DAYS


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def is_long_stay(depart_on: date | None, return_on: date | None) -> bool:
    """Away more than three months: the planned return falls after the same day three months on."""
    if depart_on is None or return_on is None:
        return False
    return return_on > add_months(depart_on, LONG_STAY_MONTHS)


def quarter_marks(depart_on: date, until: date) -> list[date]:
    """The days a quarterly report falls due (every three months after leaving) up to `until`."""
    marks = []
    n = 1
    while (mark := add_months(depart_on, QUARTER_MONTHS * n)) <= until:
        marks.append(mark)
        n += 1
    return marks


def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)
