"""How an alert reads: plain words for the retiree's screen, a card for staff."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from backend.accounts import directory
from backend.sos import contacts
from backend.sos.models import OPEN, AlertStatus, SosAlert, SosCall
from backend.sos.schemas import AlertCard, AlertState, CallPublic
from backend.sos.service import CALL_120, minutes_since

_RETIREE_WORDS = {
    AlertStatus.raised: ("已通知工作人员", "工作人员马上会给您打电话，请保持电话畅通。"),
    AlertStatus.escalated: (
        "已通知工作人员和所里领导",
        "正在加紧安排人联系您，请保持电话畅通。",
    ),
    AlertStatus.acknowledged: ("工作人员已看到，正在联系您", "请接听电话。"),
    AlertStatus.closed: ("这次求助已经处理完了", "如果还需要帮助，可以再按紧急求助。"),
}
STATUS_LABELS = {
    AlertStatus.raised: "等人处理",
    AlertStatus.escalated: "已报领导",
    AlertStatus.acknowledged: "正在处理",
    AlertStatus.closed: "已结束",
}


def state(alert: SosAlert) -> AlertState:
    headline, detail = _RETIREE_WORDS[AlertStatus(alert.status)]
    if alert.status == AlertStatus.closed and alert.outcome:
        detail = f"结果：{alert.outcome}。{detail}"
    return AlertState(
        id=alert.id or 0,
        retiree_id=alert.retiree_id,
        status=alert.status,
        headline=headline,
        detail=detail,
        call_120=CALL_120,
        raised_at=alert.raised_at,
        acknowledged_at=alert.acknowledged_at,
        closed_at=alert.closed_at,
        outcome=alert.outcome,
        open=alert.status in OPEN,
    )


def cards(db: Session, rows: list[SosAlert], now: datetime) -> list[AlertCard]:
    """Staff cards for a page of alerts, in a constant number of queries."""
    ids = [r.retiree_id for r in rows]
    people = directory.people(db, ids)
    held = contacts.of_retirees(db, ids)
    calls: dict[int, list[SosCall]] = {r.id or 0: [] for r in rows}
    if rows:
        for call in db.exec(
            select(SosCall).where(col(SosCall.alert_id).in_(list(calls))).order_by(col(SosCall.id))
        ).all():
            calls[call.alert_id].append(call)
    staff_ids = {s for r in rows for s in (r.acknowledged_by_staff_id, r.closed_by_staff_id) if s}
    names = directory.staff_names(db, staff_ids)
    found = []
    for r in rows:
        person = people.get(r.retiree_id)
        found.append(
            AlertCard(
                id=r.id or 0,
                retiree_id=r.retiree_id,
                retiree_name=person.name if person else "",
                unit_name=person.unit_name if person else "",
                address=person.address if person else None,
                phone=person.phone if person else None,
                status=r.status,
                status_label=STATUS_LABELS[AlertStatus(r.status)],
                raised_at=r.raised_at,
                raised_by=r.raised_by,
                minutes=minutes_since(r, now),
                latitude=r.latitude,
                longitude=r.longitude,
                escalated_at=r.escalated_at,
                acknowledged_at=r.acknowledged_at,
                acknowledged_by=names.get(r.acknowledged_by_staff_id or 0),
                closed_at=r.closed_at,
                closed_by=names.get(r.closed_by_staff_id or 0),
                outcome=r.outcome,
                outcome_note=r.outcome_note,
                contacts=[contacts.public(c, masked=False) for c in held.get(r.retiree_id, [])],
                calls=[
                    CallPublic(
                        kind=c.kind,
                        name=c.name,
                        relation=c.relation,
                        phone=c.phone,
                        message=c.message,
                    )
                    for c in calls.get(r.id or 0, [])
                ],
            )
        )
    return found
