"""The printable 审批表 (第十五条: 《师级军休干部因私出国(境)审批表》; the same form serves a
社会团体任职 application), and a one-page record of a 报备."""

from __future__ import annotations

from sqlmodel import Session

from backend.accounts import directory
from backend.core.clock import Clock, format_local
from backend.core.pdf import PdfDoc
from backend.matters import views, wording
from backend.matters.models import Flow, Kind, Matter

TITLES = {
    Kind.travel: "师级军休干部因私出国（境）审批表",
    Kind.society: "军休干部参加社会组织任职审批表",
}


def form_pdf(db: Session, *, clock: Clock, matter: Matter) -> bytes:
    card = views.cards(db, [matter], clock=clock)[0]
    retiree = directory.retiree(db, matter.retiree_id)
    title = (
        TITLES.get(Kind(matter.kind), f"{matter.kind}审批表")
        if matter.flow == Flow.approval
        else f"{matter.kind}报备登记表"
    )
    doc = PdfDoc(title, subtitle=card.unit_name)
    doc.heading("基本情况")
    doc.fields(
        [
            ("姓名", card.retiree_name),
            ("性别", retiree.gender if retiree else ""),
            ("出生日期", retiree.birth_date.isoformat() if retiree else ""),
            ("职级", matter.level),
            ("所在单位", card.unit_name),
            ("编号", str(matter.id)),
        ]
    )
    doc.heading(f"{matter.kind}事项")
    doc.fields(
        [
            *card.lines,
            ("提交时间", format_local(matter.submitted_at)),
            ("办理期限", f"{wording.due_day(matter.due_at):%Y-%m-%d}"),
        ]
    )
    if matter.flow == Flow.approval:
        doc.heading("审批意见")
        sign = (
            f"{card.signed_by}　{format_local(card.signed_at)}　{card.sign_note or '同意'}"
            if card.signed_at
            else "（待签署）"
        )
        decided = (
            f"{card.decided_by}　{format_local(card.decided_at)}　{card.status_label}"
            f"{'：' + card.decision_note if card.decision_note else ''}"
            if card.decided_at and matter.signed_at and card.decided_by
            else "（待审批）"
        )
        doc.fields([("军休所负责人意见", sign), ("上级主管部门审批意见", decided)])
        doc.paragraph(
            "依据：吉林省军队离休退休干部服务管理实施细则第十五条、第十六条。"
            "审批手续应在10个工作日内完成。"
        )
        doc.signatures(["本人", "军休所主要负责人", "上级退役军人工作部门"])
    else:
        doc.heading("登记")
        doc.fields(
            [
                ("状态", card.status_label),
                ("阅知", f"{card.decided_by or ''} {format_local(card.decided_at)}".strip()),
                ("报省厅", "是" if card.to_province else "否"),
            ]
        )
        doc.signatures(["本人", "经办人"])
    return doc.render()
