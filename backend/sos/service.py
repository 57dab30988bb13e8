"""一键求助: the alert and its state machine.

raised → escalated (nobody acknowledged within the setting's minutes) → acknowledged (a staff
member saw it and is calling) → closed with an outcome (联系上了 / 已送医 / 误触). Every step keeps
who and when; any other move is refused with a 409 in Chinese. The alert row is written first,
in the caller's transaction, and every message goes through the notices outbox with a dedupe key
(notices.notify, notices.alerts.alert_staff): nothing is told unless the alert is committed, a
restarted worker or job sends nothing twice, and Redis is never on the path."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from backend.accounts import audit, directory
from backend.accounts.directory import StaffContact
from backend.accounts.enums import RetireeStatus
from backend.accounts.models import StaffAccount, Unit
from backend.accounts.scope import get_scoped
from backend.contact import service as contact_service
from backend.core.clock import Clock, as_utc, format_local
from backend.core.db import insert_for
from backend.core.errors import Conflict, NotFound
from backend.notices import alerts
from backend.notices import service as notices_service
from backend.sos import contacts
from backend.sos.models import OPEN, AlertStatus, Outcome, SosAlert, SosCall
from backend.sos.schemas import CloseIn

CALL_120 = "有生命危险请马上打120"
CONSOLE_LINK = "/console/sos"
MISSING = "没有找到这条求助。"
FINISHED = "这条求助已经处理完了，不能再改。"


def responders(db: Session, *, unit_id: int, at: datetime) -> list[StaffContact]:
    """Who is told first when a retiree of `unit_id` asks for help at `at`: whoever the duty
    roster has on shift then (contact.on_duty, nearest unit first); with nobody on shift, the
    unit's active staff."""
    on_shift = [
        StaffContact(d.staff_id, d.name or "", d.phone, d.unit_id)
        for d in contact_service.on_duty(db, unit_id=unit_id, at=at)
        if d.source == contact_service.SOURCE_SHIFT and d.staff_id is not None
    ]
    return on_shift or directory.active_staff(db, unit_id)


def leaders(db: Session, *, unit_id: int) -> list[StaffContact]:
    return directory.unit_leaders(db, unit_id)


@dataclass(frozen=True)
class Raised:
    alert: SosAlert
    created: bool  # False: a repeated tap found the alert already open


def open_alert(db: Session, retiree_id: int) -> SosAlert | None:
    return db.exec(select(SosAlert).where(SosAlert.open_retiree_id == retiree_id)).first()


def latest(db: Session, retiree_id: int) -> SosAlert | None:
    return db.exec(
        select(SosAlert)
        .where(SosAlert.retiree_id == retiree_id)
        .order_by(col(SosAlert.id).desc())
        .limit(1)
    ).first()


def raise_alert(
    db: Session,
    *,
    clock: Clock,
    retiree_id: int,
    by: str,
    latitude: float | None = None,
    longitude: float | None = None,
) -> Raised:
    """Record the alert, then tell people. A tap while the retiree has an open alert (a second
    tap, the daughter tapping too, a retried request) returns that alert and tells nobody again."""
    person = directory.person(db, retiree_id)
    if person is None:
        raise NotFound("没有找到这位老同志。")
    if person.status == RetireeStatus.deceased:
        raise Conflict("这位老同志的档案已经注销，不能再求助。如有需要请打电话给所里。")
    now = clock.now()
    has_place = latitude is not None and longitude is not None
    alert_id = db.execute(
        insert_for(db, SosAlert)
        .values(
            retiree_id=retiree_id,
            unit_id=person.unit_id,
            open_retiree_id=retiree_id,
            status=AlertStatus.raised.value,
            raised_at=now,
            raised_by=by[:60],
            latitude=latitude if has_place else None,
            longitude=longitude if has_place else None,
            version=1,
        )
        .on_conflict_do_nothing()
        .returning(col(SosAlert.id))
    ).scalar()
    if alert_id is None:
        existing = open_alert(db, retiree_id)
        if existing is None:  # closed between the two statements: raise it afresh
            return raise_alert(
                db,
                clock=clock,
                retiree_id=retiree_id,
                by=by,
                latitude=latitude,
                longitude=longitude,
            )
        return Raised(existing, created=False)
    alert = db.get(SosAlert, alert_id)
    assert alert is not None
    _tell_raised(db, clock=clock, alert=alert, name=person.name, address=person.address)
    return Raised(alert, created=True)


def _tell_raised(
    db: Session, *, clock: Clock, alert: SosAlert, name: str, address: str | None
) -> None:
    at = format_local(alert.raised_at, "%H:%M")
    people = responders(db, unit_id=alert.unit_id, at=alert.raised_at)
    who = "、".join(p.name for p in people) or "本单位工作人员"
    alerts.alert_staff(
        db,
        clock=clock,
        unit_id=alert.unit_id,
        title=f"紧急求助：{name}",
        body=f"{name}同志{at}按了紧急求助。请马上打电话联系，并点「已看到」。要通知：{who}。",
        dedupe_key=f"sos:{alert.id}:raised",
        link=CONSOLE_LINK,
    )
    notices_service.notify(
        db,
        clock=clock,
        retiree_id=alert.retiree_id,
        title="紧急求助已发出",
        body=f"{at}的紧急求助已经通知工作人员，他们会马上联系您。请保持电话畅通。{CALL_120}。",
        dedupe_key=f"sos:{alert.id}:raised",
        link_page="/pages/sos/sos",
        urgent=True,
    )
    where = f"，地址：{address}" if address else ""
    for row in contacts.of_retiree(db, alert.retiree_id):
        _call(
            db,
            clock=clock,
            alert=alert,
            kind="contact",
            person=(row.name, row.relation, row.phone),
            message=f"{row.name}您好，{name}同志{at}按了紧急求助{where}。"
            "军休所工作人员正在联系老人，请您也尽快联系或赶过去。",
        )


def _call(
    db: Session,
    *,
    clock: Clock,
    alert: SosAlert,
    kind: str,
    person: tuple[str, str, str],
    message: str,
) -> None:
    name, relation, phone = person
    exists = db.exec(
        select(SosCall.id).where(
            SosCall.alert_id == alert.id, SosCall.kind == kind, SosCall.phone == phone
        )
    ).first()
    if exists is None:
        db.add(
            SosCall(
                alert_id=alert.id or 0,
                kind=kind,
                name=name[:50],
                relation=relation[:20],
                phone=phone,
                message=message[:300],
                created_at=clock.now(),
            )
        )
        db.flush()


def _move(db: Session, alert: SosAlert, allowed: tuple[AlertStatus, ...], **values: object) -> bool:
    """One conditional UPDATE: the move happens only from an allowed state, so two staff
    pressing at once (or the job racing a staff member) move it once."""
    moved = db.execute(
        update(SosAlert)
        .where(
            col(SosAlert.id) == alert.id,
            col(SosAlert.status).in_([s.value for s in allowed]),
        )
        .values(version=SosAlert.version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    db.refresh(alert)
    return bool(getattr(moved, "rowcount", 0))


def _refuse(db: Session, alert: SosAlert) -> Conflict:
    if alert.status == AlertStatus.closed:
        return Conflict(FINISHED, code="sos_closed")
    if alert.status == AlertStatus.acknowledged:
        who = directory.staff_name(db, alert.acknowledged_by_staff_id or 0) or "工作人员"
        when = format_local(alert.acknowledged_at, "%H:%M")
        return Conflict(f"{who}已经在{when}点了「已看到」，正在处理。", code="sos_acknowledged")
    return Conflict("请先点「已看到」，再记下结果。", code="sos_not_acknowledged")


def get_in_scope(db: Session, *, scope: Unit, alert_id: int) -> SosAlert:
    return get_scoped(db, SosAlert, alert_id, scope, missing=MISSING)


def acknowledge(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, alert_id: int
) -> SosAlert:
    alert = get_in_scope(db, scope=scope, alert_id=alert_id)
    now = clock.now()
    if not _move(
        db,
        alert,
        (AlertStatus.raised, AlertStatus.escalated),
        status=AlertStatus.acknowledged.value,
        acknowledged_at=now,
        acknowledged_by_staff_id=staff.id,
    ):
        raise _refuse(db, alert)
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="sos.acknowledge",
        entity="sos_alert",
        entity_id=alert.id,
        unit_id=alert.unit_id,
        after={"status": "acknowledged"},
    )
    notices_service.notify(
        db,
        clock=clock,
        retiree_id=alert.retiree_id,
        title="工作人员已看到您的求助",
        body=f"工作人员{staff.display_name}已经看到，正在联系您。请接电话。{CALL_120}。",
        dedupe_key=f"sos:{alert.id}:acknowledged",
        link_page="/pages/sos/sos",
        urgent=True,
    )
    return alert


def close(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, alert_id: int, data: CloseIn
) -> SosAlert:
    alert = get_in_scope(db, scope=scope, alert_id=alert_id)
    note = (data.note or "").strip() or None
    if not _move(
        db,
        alert,
        (AlertStatus.acknowledged,),
        status=AlertStatus.closed.value,
        open_retiree_id=None,
        closed_at=clock.now(),
        closed_by_staff_id=staff.id,
        outcome=data.outcome.value,
        outcome_note=note,
    ):
        raise _refuse(db, alert)
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="sos.close",
        entity="sos_alert",
        entity_id=alert.id,
        unit_id=alert.unit_id,
        after={"status": "closed", "outcome": data.outcome.value, "note": note},
    )
    return alert


def escalate_due(db: Session, *, clock: Clock, minutes: int) -> int:
    """Every alert still unacknowledged `minutes` after it was raised goes to the unit's
    leaders (at exactly that minute, not a minute later). Returns how many moved."""
    now = clock.now()
    cutoff = now - timedelta(minutes=minutes)
    due = db.exec(
        select(SosAlert)
        .where(SosAlert.status == AlertStatus.raised, col(SosAlert.raised_at) <= cutoff)
        .order_by(col(SosAlert.id))
    ).all()
    moved = 0
    for alert in due:
        if not _move(
            db,
            alert,
            (AlertStatus.raised,),
            status=AlertStatus.escalated.value,
            escalated_at=now,
        ):
            continue
        moved += 1
        _tell_escalated(db, clock=clock, alert=alert, minutes=minutes)
    return moved


def _tell_escalated(db: Session, *, clock: Clock, alert: SosAlert, minutes: int) -> None:
    name = directory.retiree_names(db, [alert.retiree_id]).get(alert.retiree_id, "")
    at = format_local(alert.raised_at, "%H:%M")
    heads = leaders(db, unit_id=alert.unit_id)
    for unit_id in sorted({h.unit_id for h in heads} | {alert.unit_id}):
        alerts.alert_staff(
            db,
            clock=clock,
            unit_id=unit_id,
            title=f"紧急求助{minutes}分钟没人处理：{name}",
            body=f"{name}同志{at}按了紧急求助，{minutes}分钟了还没有人点「已看到」。"
            "请领导马上安排人联系。",
            dedupe_key=f"sos:{alert.id}:escalated:{unit_id}",
            link=CONSOLE_LINK,
        )
    for head in heads:
        if head.phone:
            _call(
                db,
                clock=clock,
                alert=alert,
                kind="leader",
                person=(head.name, "领导", head.phone),
                message=f"{name}同志{at}按了紧急求助，{minutes}分钟没有人处理，请马上安排。",
            )
    notices_service.notify(
        db,
        clock=clock,
        retiree_id=alert.retiree_id,
        title="正在加紧联系您",
        body=f"您的紧急求助已经报告给所里领导，正在安排人联系您。{CALL_120}。",
        dedupe_key=f"sos:{alert.id}:escalated",
        link_page="/pages/sos/sos",
        urgent=True,
    )


def open_in_scope(db: Session, *, unit_ids: list[int]) -> list[SosAlert]:
    return list(
        db.exec(
            select(SosAlert)
            .where(col(SosAlert.unit_id).in_(unit_ids), col(SosAlert.status).in_(list(OPEN)))
            .order_by(col(SosAlert.raised_at))
        ).all()
    )


def history(
    db: Session, *, unit_ids: list[int], limit: int = 100, offset: int = 0
) -> tuple[list[SosAlert], int]:
    from sqlmodel import func

    where = col(SosAlert.unit_id).in_(unit_ids)
    rows = db.exec(
        select(SosAlert).where(where).order_by(col(SosAlert.id).desc()).offset(offset).limit(limit)
    ).all()
    total = db.exec(select(func.count()).select_from(SosAlert).where(where)).one()
    return list(rows), int(total)


def minutes_since(alert: SosAlert, now: datetime) -> int:
    return max(0, int((now - as_utc(alert.raised_at)).total_seconds() // 60))


def outcome_choices() -> list[str]:
    return [o.value for o in Outcome]
