"""「先救治后补手续」证明 (吉林省军休服务管理办法 第二十三条): a printable PDF the unit's staff
print in one click for a retiree who needs emergency treatment. Printing is audited."""

from __future__ import annotations

from sqlmodel import Session

from backend.accounts import audit, directory
from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.accounts.scope import get_scoped
from backend.core.clock import Clock, local_today
from backend.core.pdf import PdfDoc

CLAUSE = (
    "根据《吉林省军队离休退休干部服务管理办法》第二十三条：军休干部患急、危、重症需要紧急"
    "就治，凭《离退休证》或者军休服务管理机构证明，可先抢救，后补办手续。"
)


def rescue_pdf(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, retiree_id: int
) -> bytes:
    retiree = get_scoped(db, Retiree, retiree_id, scope)
    unit_name = directory.unit_names(db, [retiree.unit_id]).get(retiree.unit_id, "")
    today = local_today(clock)
    doc = PdfDoc("先救治后补手续证明", subtitle=unit_name)
    doc.fields(
        [
            ("姓名", retiree.name),
            (
                "类别",
                retiree.category.value
                if hasattr(retiree.category, "value")
                else str(retiree.category),
            ),
            ("所属单位", unit_name),
            ("开具日期", f"{today.year}年{today.month}月{today.day}日"),
        ]
    )
    doc.heading("证明")
    doc.paragraph(
        f"兹证明{retiree.name}同志是我单位服务管理的军队离休退休干部。{CLAUSE}"
        "请接诊医院先行抢救治疗，相关手续由本人、家属或我单位随后补办。"
    )
    doc.signatures(["军休服务管理机构（盖章）", "经办人"])
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="medical.rescue_certificate",
        entity="retiree",
        entity_id=retiree_id,
        unit_id=retiree.unit_id,
    )
    return doc.render()
