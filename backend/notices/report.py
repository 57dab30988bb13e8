"""Delivery report: who got a notice, who read it, what WeChat said; .xlsx export."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from backend.accounts import directory
from backend.core.actors import persisted_id
from backend.core.clock import Clock, format_local
from backend.core.xlsx import Book
from backend.notices.models import InboxItem, Notice, WechatSend
from backend.notices.schemas import DeliveryReport, DeliveryRow
from backend.notices.views import to_public

WECHAT_LABELS = {
    "pending": "等待发送",
    "sending": "发送中",
    "calling": "发送中",
    "sent": "已发送",
    "refused": "对方未开启提醒",
    "no_consent": "对方未开启提醒",
    "skipped": "对方关闭了此类提醒",
    "failed": "发送失败",
    "cancelled": "已取消",
    "uncertain": "可能未送达",
}


def build(
    db: Session, *, clock: Clock, notice: Notice, unread_after_days: int | None = None
) -> DeliveryReport:
    person = directory.people_rows()
    family = directory.binding_rows()
    query = (
        sa_select(
            InboxItem,
            person.c.id,
            person.c.name,
            person.c.phone,
            person.c.unit_name,
            family.c.id,
            family.c.display_name,
            WechatSend,
        )
        .join(person, person.c.id == InboxItem.retiree_id)
        .outerjoin(family, family.c.id == InboxItem.copy_binding_id)
        .outerjoin(WechatSend, col(WechatSend.inbox_item_id) == InboxItem.id)
        .where(col(InboxItem.notice_id) == notice.id)
        .order_by(person.c.name, col(InboxItem.copy_binding_id))
    )
    rows = db.execute(query).all()
    out: list[DeliveryRow] = []
    stats = {"read": 0, "copies": 0, "sent": 0, "refused": 0, "failed": 0, "waiting": 0}
    cutoff = clock.now() - timedelta(days=unread_after_days) if unread_after_days else None
    for item, retiree_id, name, phone, unit_name, binding_id, recipient, send in rows:
        stats["read"] += item.read_at is not None
        stats["copies"] += item.copy_binding_id != 0
        if send is not None:
            if send.status == "sent":
                stats["sent"] += 1
            elif send.status in ("refused", "no_consent", "skipped"):
                stats["refused"] += 1
            elif send.status in ("failed", "uncertain"):
                stats["failed"] += 1
            elif send.status in ("pending", "sending", "calling"):
                stats["waiting"] += 1
        if cutoff is not None and (item.read_at is not None or item.created_at > cutoff):
            continue
        out.append(
            DeliveryRow(
                inbox_id=persisted_id(item),
                retiree_id=retiree_id,
                retiree_name=name,
                unit_name=unit_name,
                # The phone of whoever received this row: a family member's copy never shows the
                # retiree's number (family phones are not on record).
                phone=None if binding_id is not None else phone,
                recipient=recipient if binding_id is not None else "本人",
                is_copy=binding_id is not None,
                delivered_at=item.created_at,
                read_at=item.read_at,
                wechat_status=WECHAT_LABELS.get(send.status) if send else "未绑定微信",
                wechat_error=send.last_error if send else None,
            )
        )
    return DeliveryReport(
        notice=to_public(notice),
        recipients=len(rows),
        family_copies=stats["copies"],
        read=stats["read"],
        wechat_sent=stats["sent"],
        wechat_refused=stats["refused"],
        wechat_failed=stats["failed"],
        wechat_waiting=stats["waiting"],
        rows=out,
    )


def phone_cell(row: DeliveryRow) -> str:
    return row.phone or ("家属电话未登记" if row.is_copy else "")


def to_xlsx(report: DeliveryReport) -> bytes:
    book = Book("送达情况")
    ws = book.first
    ws.append([f"通知：{report.notice.title}"])
    ws.append([f"收件 {report.recipients}，已读 {report.read}，微信已发 {report.wechat_sent}"])
    ws.append(["姓名", "单位", "收件人", "电话", "送达时间", "阅读时间", "微信提醒"])
    for row in report.rows:
        ws.append(
            [
                row.retiree_name,
                row.unit_name,
                row.recipient,
                phone_cell(row),
                format_local(row.delivered_at),
                format_local(row.read_at) or "未读",
                row.wechat_status or "",
            ]
        )
    ws.widths([10, 14, 12, 14, 18, 18, 16])
    return book.to_bytes()
