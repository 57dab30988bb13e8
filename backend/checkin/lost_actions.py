"""What staff do with a 失联 case: set the investigator and the date to have found out by, write
down what they found, decide whether payments are paused (through the monthly contact's own
pause and resume), and close it with how contact was restored. Every write is audited and adds a
line to the case's timeline."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update as sa_update
from sqlmodel import Session, col, select

from backend.accounts import audit, directory
from backend.accounts import staff as staff_accounts
from backend.accounts.enums import RetireeStatus
from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.accounts.scope import ancestor_ids, get_scoped
from backend.checkin import contacts, lost
from backend.checkin.lost_schemas import (
    CloseIn,
    InvestigationIn,
    LostCaseDetail,
    NoteIn,
    PauseChoice,
    PauseDecisionIn,
    RestoredHow,
    StaffChoice,
    TimelineEntry,
)
from backend.checkin.models import ContactLog, LostContactCase, LostContactEvent
from backend.core.clock import Clock, local_today, to_local
from backend.core.errors import BadRequest, Conflict

CLOSED = "这个失联记录已经结案了，不用再改。"


def get(db: Session, *, scope: Unit, case_id: int) -> LostContactCase:
    return get_scoped(db, LostContactCase, case_id, scope)


def _open_case(db: Session, scope: Unit, case_id: int) -> LostContactCase:
    case = get(db, scope=scope, case_id=case_id)
    if case.status != "open":
        raise BadRequest(CLOSED)
    return case


def investigators(db: Session, *, scope: Unit, case: LostContactCase) -> list[StaffAccount]:
    """Staff who may investigate: active, of the case's unit or a unit above it, and within
    what the deciding staff member sees."""
    unit = directory.unit(db, case.unit_id)
    allowed = set(ancestor_ids(unit)) if unit else set()
    return [s for s in staff_accounts.list_in_scope(db, scope) if s.active and s.unit_id in allowed]


def _audit(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount | None,
    case: LostContactCase,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any],
) -> None:
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action=action,
        entity="lost_case",
        entity_id=case.id,
        unit_id=case.unit_id,
        before=before,
        after=after,
    )


def assign(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    case_id: int,
    data: InvestigationIn,
) -> LostContactCase:
    case = _open_case(db, scope, case_id)
    chosen = {s.id: s for s in investigators(db, scope=scope, case=case)}
    who = chosen.get(data.investigator_staff_id)
    if who is None:
        raise BadRequest("调查人请从列表里选择。")
    if data.due_on < local_today(clock):
        raise BadRequest("查清期限不能早于今天。")
    before = {"investigator": case.investigator_staff_id, "due": case.investigation_due}
    case.investigator_staff_id = who.id
    case.investigation_due = data.due_on
    db.add(case)
    lost.event(
        db,
        clock=clock,
        case=case,
        kind="assigned",
        text=f"{who.display_name}，{data.due_on:%Y年%m月%d日}前查清。",
        staff_id=staff.id,
    )
    after = {"investigator": who.id, "due": data.due_on}
    _audit(
        db,
        clock=clock,
        staff=staff,
        case=case,
        action="lost_case.assign",
        before=before,
        after=after,
    )
    return case


def add_note(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, case_id: int, data: NoteIn
) -> LostContactCase:
    case = _open_case(db, scope, case_id)
    text = data.text.strip()
    if not text:
        raise BadRequest("请写下调查到的情况。")
    lost.event(db, clock=clock, case=case, kind="note", text=text, staff_id=staff.id)
    _audit(
        db,
        clock=clock,
        staff=staff,
        case=case,
        action="lost_case.note",
        before=None,
        after={"text": text},
    )
    return case


def decide_pause(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    case_id: int,
    data: PauseDecisionIn,
) -> LostContactCase:
    """Record whether payments are paused, by whom and why. Pausing goes through the monthly
    contact's pause (someone already paused stays so); deciding not to pause after a pause
    resumes them."""
    case = _open_case(db, scope, case_id)
    retiree = get_scoped(db, Retiree, case.retiree_id, scope)
    if retiree.status == RetireeStatus.deceased:
        raise BadRequest("这位老同志已去世。请结案，选“确认去世”。")
    pause = data.decision == PauseChoice.pause
    if pause and retiree.status == RetireeStatus.active:
        contacts.pause_payments(
            db, clock=clock, staff=staff, scope=scope, retiree_id=case.retiree_id
        )
    if not pause and case.pause_decision == "paused" and retiree.status == RetireeStatus.suspended:
        contacts.resume_payments(
            db, clock=clock, staff=staff, scope=scope, retiree_id=case.retiree_id
        )
    before = {"decision": case.pause_decision, "reason": case.pause_reason}
    case.pause_decision = "paused" if pause else "not_paused"
    case.pause_reason = data.reason.strip()
    case.pause_decided_by_staff_id = staff.id
    case.pause_decided_at = clock.now()
    db.add(case)
    lost.event(
        db,
        clock=clock,
        case=case,
        kind="paused" if pause else "not_paused",
        text=f"理由：{case.pause_reason}",
        staff_id=staff.id,
    )
    after = {"decision": case.pause_decision, "reason": case.pause_reason}
    _audit(
        db,
        clock=clock,
        staff=staff,
        case=case,
        action="lost_case.pause_decision",
        before=before,
        after=after,
    )
    return case


def close(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount | None,
    scope: Unit,
    case_id: int,
    data: CloseIn,
) -> LostContactCase:
    """Close with how and when contact was restored; resume payments if asked (and paused)."""
    case = _open_case(db, scope, case_id)
    today = local_today(clock)
    if data.restored_on > today:
        raise BadRequest("联系上的日期不能晚于今天。")
    if data.restored_on < to_local(case.last_contact_at).date():
        raise BadRequest("联系上的日期不能早于最后一次联系的日期。")
    if data.resume_payments and staff is not None:
        contacts.resume_payments(
            db, clock=clock, staff=staff, scope=scope, retiree_id=case.retiree_id
        )
    return _close(db, clock=clock, staff=staff, case=case, data=data)


def _close(
    db: Session, *, clock: Clock, staff: StaffAccount | None, case: LostContactCase, data: CloseIn
) -> LostContactCase:
    claimed = db.execute(
        sa_update(LostContactCase)
        .where(col(LostContactCase.id) == case.id, col(LostContactCase.status) == "open")
        .values(status="closed", open_retiree_id=None)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("这个失联记录刚被别人结案了，请刷新后再看。")
    note = (data.note or "").strip() or None
    case.status = "closed"
    case.open_retiree_id = None
    case.restored_how = data.how.value
    case.restored_on = data.restored_on
    case.close_note = note
    case.closed_at = clock.now()
    case.closed_by_staff_id = staff.id if staff else None
    db.add(case)
    resumed = "，已恢复发放" if data.resume_payments else ""
    lost.event(
        db,
        clock=clock,
        case=case,
        kind="closed",
        text=f"结案：{data.how.value}（{data.restored_on:%Y年%m月%d日}）{resumed}。"
        + (f"说明：{note}" if note else ""),
        staff_id=staff.id if staff else None,
    )
    after = {
        "how": data.how.value,
        "restored_on": data.restored_on,
        "note": note,
        "resumed": data.resume_payments,
    }
    _audit(
        db,
        clock=clock,
        staff=staff,
        case=case,
        action="lost_case.close",
        before={"status": "open"},
        after=after,
    )
    return case


def on_retiree_deceased(db: Session, retiree: Retiree, clock: Clock, **_: object) -> None:
    """Marked deceased in the roster: the open case closes as 确认去世."""
    case = db.exec(
        select(LostContactCase).where(LostContactCase.open_retiree_id == retiree.id)
    ).first()
    if case is None:
        return
    data = CloseIn(
        how=RestoredHow.deceased, restored_on=local_today(clock), note="老同志资料里已标记去世"
    )
    _close(db, clock=clock, staff=None, case=case, data=data)


_WHAT = {
    "opened": "立案",
    "assigned": "定调查人",
    "note": "调查情况",
    "paused": "暂停发放",
    "not_paused": "决定不暂停",
    "closed": "结案",
}


def detail(db: Session, *, clock: Clock, scope: Unit, case_id: int) -> LostCaseDetail:
    case = get(db, scope=scope, case_id=case_id)
    row = lost.rows(db, clock=clock, cases=[case])[0]
    events = db.exec(
        select(LostContactEvent)
        .where(LostContactEvent.case_id == case.id)
        .order_by(col(LostContactEvent.at), col(LostContactEvent.id))
    ).all()
    since = db.exec(
        select(ContactLog)
        .where(ContactLog.retiree_id == case.retiree_id, col(ContactLog.at) >= case.opened_at)
        .order_by(col(ContactLog.at))
    ).all()
    names = directory.staff_names(db, {e.staff_id for e in events} | {c.staff_id for c in since})
    timeline = [
        TimelineEntry(
            at=e.at, what=f"{_WHAT.get(e.kind, e.kind)}：{e.text}", who=names.get(e.staff_id or 0)
        )
        for e in events
    ] + [
        TimelineEntry(
            at=c.at,
            what=f"记了一次联系（{c.channel}）" + (f"：{c.note}" if c.note else ""),
            who=names.get(c.staff_id or 0),
        )
        for c in since
    ]
    timeline.sort(key=lambda t: t.at)
    person = directory.person(db, case.retiree_id)
    status = person.status if person else ""
    return LostCaseDetail(
        **row.model_dump(),
        retiree_status=status,
        pause_reason=case.pause_reason,
        close_note=case.close_note,
        contacts_since_opened=len(since),
        can_resume_payments=case.status == "open" and status == RetireeStatus.suspended,
        timeline=timeline,
        investigators=[
            StaffChoice(id=s.id or 0, name=s.display_name)
            for s in investigators(db, scope=scope, case=case)
        ]
        if case.status == "open"
        else [],
    )
