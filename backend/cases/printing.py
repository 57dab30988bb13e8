"""One case, one file (hn-veterans-center-spec 6.7.5 一案一册): the case and every page of its
file — messages, actions, attachments by name — as a printable PDF. Printing is audited."""

from __future__ import annotations

from sqlmodel import Session

from backend.accounts import audit
from backend.accounts.models import StaffAccount, Unit
from backend.cases import service, views
from backend.core.clock import Clock, format_local, full_date
from backend.core.pdf import PdfDoc


def file_pdf(db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, case_id: int) -> bytes:
    case = service.in_scope(db, scope, case_id)
    shown = views.staff(db, [case], clock=clock, with_events=True)[0]
    doc = PdfDoc(f"信访案卷 {shown.number}", subtitle=shown.unit_name)
    doc.fields(
        [
            ("编号", shown.number),
            ("类别", shown.kind),
            ("来源", shown.channel),
            ("反映人", shown.retiree_name),
            ("经手", shown.submitted_by),
            ("收到时间", format_local(shown.created_at)),
            ("答复期限", full_date(shown.due_on)),
            ("承办人", shown.handler_name or "未指定"),
            ("状态", shown.status_text),
            ("评价", shown.rating or "—"),
        ]
    )
    doc.heading("反映的内容")
    doc.paragraph(shown.body)
    doc.heading("办理经过")
    doc.table(
        ["时间", "事项", "经手", "内容"],
        [
            [
                format_local(e.at),
                e.what,
                e.by,
                (e.text or "") + ("（附件见案卷）" if e.has_attachment else ""),
            ]
            for e in shown.events
        ],
        col_widths=[0.2, 0.1, 0.2, 0.5],
    )
    doc.signatures(["承办人", "负责人"])
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="case.print",
        entity="case",
        entity_id=case.id,
        unit_id=case.unit_id,
        after={"number": case.number},
    )
    return doc.render()
