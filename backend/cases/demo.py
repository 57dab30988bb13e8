"""Demo 信访: the demo retiree's complaint about the delivered meals, answered and waiting for his
rating; a question taken by phone, handed to 张敏; and an anonymous note from the 意见箱 — so the
console queue, a case's file and the mini-program page all show something."""

from __future__ import annotations

from sqlmodel import Session

from backend.accounts.identity import Acting
from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.cases import service
from backend.cases.rules import CaseKind, Channel
from backend.cases.schemas import BoxIn, CaseIn, StaffCaseIn
from backend.core.clock import Clock


def load(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    retiree: Retiree,
    other: Retiree,
) -> None:
    acting = Acting(retiree, retiree.wechat_user_id or 0, on_behalf=False, binding_id=None)
    complaint = service.submit(
        db,
        clock=clock,
        acting=acting,
        data=CaseIn(
            retiree_id=retiree.id or 0,
            kind=CaseKind.complaint,
            body="这几天送来的午饭都是凉的，老伴胃不好，吃了难受。",
        ),
        by="本人",
    )
    service.assign(
        db,
        clock=clock,
        staff=staff,
        scope=scope,
        case_id=complaint.id or 0,
        handler_id=staff.id or 0,
    )
    service.note(
        db,
        clock=clock,
        staff=staff,
        scope=scope,
        case_id=complaint.id or 0,
        text="问了食堂：送餐车的保温箱坏了，已经报修。",
    )
    service.reply(
        db,
        clock=clock,
        staff=staff,
        scope=scope,
        case_id=complaint.id or 0,
        text="送餐车的保温箱坏了，已经换了新的。从明天起午饭是热的。给您添麻烦了。",
    )
    question = service.record(
        db,
        clock=clock,
        staff=staff,
        scope=scope,
        data=StaffCaseIn(
            retiree_id=other.id or 0,
            kind=CaseKind.question,
            channel=Channel.phone,
            body="问今年的体检什么时候开始，能不能派车。",
        ),
    )
    service.assign(
        db,
        clock=clock,
        staff=staff,
        scope=scope,
        case_id=question.id or 0,
        handler_id=staff.id or 0,
    )
    service.file_box_note(
        db,
        clock=clock,
        unit_id=retiree.unit_id,
        data=BoxIn(body="活动室的灯有点暗，看报纸费眼睛，能不能换亮一点的。"),
    )
