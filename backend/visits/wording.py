"""How the audit log (console 操作记录) words what the visits domain records."""

from __future__ import annotations

AUDIT_ACTIONS: dict[str, str] = {
    "visit.assign": "定人包户",
    "visit.frequency": "修改走访频次",
    "visit.record": "记录走访",
    "visit.follow_up": "走访待办",
    "visit.follow_up_close": "待办办结",
    "visit.task": "安排看望",
    "visit.task_close": "走访任务办完",
    "visit.campaign": "开始节日走访",
}
AUDIT_FIELDS: dict[str, str] = {
    "at_home": "要上门",
    "due_on": "办结日期",
    "ends_on": "结束日期",
    "every_months": "几个月走访一次",
    "flag": "情况",
    "follow_up": "要办的事",
    "follow_up_id": "待办",
    "owner": "谁来办",
    "staff_id": "包户工作人员",
    "staff_name": "包户人",
    "starts_on": "开始日期",
    "task_id": "走访任务",
    "text": "要办的事",
    "visit_id": "走访记录",
}
AUDIT_STATUSES: dict[str, str] = {"open": "待办", "closed": "已办结", "done": "已办"}
