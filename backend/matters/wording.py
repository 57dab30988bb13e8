"""What a matter says to the person, in short sentences with the next step."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from backend.core.clock import to_local
from backend.matters.models import Flow, Kind, Matter, Status


def due_day(due_at: datetime) -> date:
    """The Shanghai date a clock runs out on (due_at is the end of that day)."""
    return (to_local(due_at) - timedelta(microseconds=1)).date()


def due_words(due_at: datetime) -> str:
    day = due_day(due_at)
    return f"{day.month}月{day.day}日"


def verb(flow: Flow | str) -> str:
    return "申请" if flow == Flow.approval else "报备"


def received(matter: Matter) -> str:
    due = due_words(matter.due_at)
    if matter.flow == Flow.approval:
        return f"所里收到了您的{matter.kind}申请。最晚{due}前办完审批，办好了会告诉您。"
    return f"所里收到了您报告的{matter.kind}。工作人员看过后会告诉您。"


HEADLINES = {
    Status.submitted: "已提交，等所里处理",
    Status.signed: "所里已同意，等上级部门审批",
    Status.approved: "已批准",
    Status.rejected: "没有批准",
    Status.acknowledged: "所里已收到并登记",
    Status.withdrawn: "已撤回",
    Status.ended: "已结束",
}

STAFF_LABELS = {
    Status.submitted: "待办",
    Status.signed: "待上级审批",
    Status.approved: "已批准",
    Status.rejected: "未批准",
    Status.acknowledged: "已阅知",
    Status.withdrawn: "已撤回",
    Status.ended: "已结束（老同志去世）",
}

STEP_WORDS = {
    "submitted": "提交",
    "signed": "军休所签署同意",
    "approved": "上级部门批准",
    "rejected": "未批准",
    "acknowledged": "已阅知",
    "withdrawn": "撤回",
    "ended": "老同志去世，事项结束",
    "returned": "报告回来",
    "quarterly": "季度汇报",
}


def headline(matter: Matter) -> str:
    if matter.kind == Kind.travel and matter.returned_on is not None:
        return "已回来"
    return HEADLINES[Status(matter.status)]


def next_step(matter: Matter, *, can_return: bool) -> str:
    due = due_words(matter.due_at)
    status = Status(matter.status)
    if status == Status.submitted:
        if matter.flow == Flow.approval:
            return f"请等所里签署意见，最晚{due}前办完审批。有事可以打电话问所里。"
        return "请等工作人员看过。有事可以打电话问所里。"
    if status == Status.signed:
        return f"请等上级部门审批，最晚{due}前办完。"
    if status == Status.rejected:
        return "如有疑问，请打电话问所里。"
    if can_return:
        return "回来以后，请点「我回来了」。在外面超过三个月的，每三个月写一次近况。"
    if matter.kind == Kind.travel and matter.returned_on is not None:
        return "请在回来后10天内把护照等证件交到所里保管。"
    if matter.kind == Kind.travel and status in (Status.approved, Status.acknowledged):
        return "出发以后，回来时请点「我回来了」。"
    return "不用再做什么了。"


def decision(matter: Matter, step: str) -> tuple[str, str]:
    kind = matter.kind
    note = f"原因：{matter.decision_note}。" if matter.decision_note else ""
    if step == "signed":
        return (f"{kind}申请：所里已同意", "所里已签署同意意见，报上级部门审批。批下来会告诉您。")
    if step == "approved":
        extra = "出发前请带好证件。回来后请在小程序点「我回来了」。" if kind == Kind.travel else ""
        return (f"{kind}申请已批准", f"您的{kind}申请已经批准。{extra}")
    if step == "rejected":
        return (f"{kind}申请没有批准", f"您的{kind}申请没有批准。{note}如有疑问，请打电话问所里。")
    return (f"{kind}已登记", f"所里已收到您报告的{kind}，已经登记。不用再做什么了。")


AUDIT_ACTIONS: dict[str, str] = {
    "matters.submit": "代为登记事项",
    "matters.sign": "事项：军休所签署意见",
    "matters.decide": "事项：上级部门审批",
    "matters.acknowledge": "事项：报备已阅知",
    "matters.return": "事项：登记已回国",
    "matters.quarterly": "事项：登记季度汇报",
    "retiree.update_from_matter": "按事项报告更新住址",
    "workdays.set": "修改工作日安排",
    "workdays.remove": "删掉工作日安排",
}
