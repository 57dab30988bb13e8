"""信访 cases: opened from the mini-program (the retiree or bound family), by staff from the
phone, a letter or a visit, or anonymously through the 意见箱; a handler, a due date in working
days by kind (workdays' calendar), a reply the person is told of and reads, their rating, a
follow-up with a new due date when they are not satisfied. Every step is a page of the case's
file (CaseEvent); every staff write is audited."""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from backend.accounts import audit, directory
from backend.accounts import staff as staff_accounts
from backend.accounts.identity import Acting, Viewer
from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.accounts.scope import ancestor_ids, get_scoped
from backend.cases.models import Case, CaseDueSetting, CaseEvent
from backend.cases.rules import (
    DEFAULT_WORKING_DAYS,
    REMIND_WORKING_DAYS_LEFT,
    SATISFIED,
    CaseKind,
    Channel,
    Status,
)
from backend.cases.schemas import BoxIn, CaseIn, DueSettingsIn, RatingIn, StaffCaseIn
from backend.core import uploads
from backend.core.clock import Clock, local_today, month_day
from backend.core.errors import BadRequest, Conflict, NotFound
from backend.notices import alerts
from backend.notices import service as notices_service
from backend.satisfaction import service as satisfaction
from backend.satisfaction.schemas import Score, Source
from backend.workdays import service as workdays

CONSOLE = "/console/cases"
PAGE = "pages/cases/cases"
MISSING = "没有找到这件信访。"
ATTACHMENT_MISSING = "没有找到这份附件。"
ANONYMOUS = "匿名"
SETTING_FIELDS = {
    CaseKind.question: "question",
    CaseKind.request: "request",
    CaseKind.complaint: "complaint",
    CaseKind.suggestion: "suggestion",
}


# -- due dates ----------------------------------------------------------------------------------


def working_days(db: Session, unit_id: int, kind: CaseKind) -> int:
    """The kind's working days for a unit: the nearest unit up the tree that set its own."""
    unit = directory.unit(db, unit_id)
    line = list(reversed(ancestor_ids(unit))) if unit else [unit_id]
    rows = db.exec(
        select(CaseDueSetting).where(
            col(CaseDueSetting.unit_id).in_(line), CaseDueSetting.kind == kind.value
        )
    ).all()
    by_unit = {r.unit_id: r.working_days for r in rows}
    for step in line:
        if step in by_unit:
            return by_unit[step]
    return DEFAULT_WORKING_DAYS[kind]


def _due(db: Session, clock: Clock, unit_id: int, kind: str) -> date:
    days = working_days(db, unit_id, CaseKind(kind))
    return workdays.add_working_days(db, local_today(clock), days)


def settings_for(db: Session, unit: Unit) -> dict[str, int]:
    assert unit.id is not None
    return {SETTING_FIELDS[k]: working_days(db, unit.id, k) for k in CaseKind}


def set_settings(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, data: DueSettingsIn
) -> dict[str, int]:
    assert scope.id is not None
    before = settings_for(db, scope)
    for kind, field in SETTING_FIELDS.items():
        days = int(getattr(data, field))
        row = db.exec(
            select(CaseDueSetting).where(
                CaseDueSetting.unit_id == scope.id, CaseDueSetting.kind == kind.value
            )
        ).first()
        if row is None:
            row = CaseDueSetting(
                unit_id=scope.id, kind=kind.value, working_days=days, updated_at=clock.now()
            )
        else:
            row.working_days = days
            row.updated_at = clock.now()
        db.add(row)
    db.flush()
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="cases.settings",
        entity="unit",
        entity_id=scope.id,
        unit_id=scope.id,
        before=before,
        after=data.model_dump(),
    )
    return settings_for(db, scope)


# -- opening a case -------------------------------------------------------------------------------


def _event(
    db: Session,
    case: Case,
    *,
    clock: Clock,
    what: str,
    by: str,
    text: str | None = None,
    public: bool = False,
    attachment_path: str | None = None,
) -> CaseEvent:
    event = CaseEvent(
        case_id=case.id or 0,
        at=clock.now(),
        what=what,
        by=by[:80],
        text=text,
        public=public,
        attachment_path=attachment_path,
    )
    db.add(event)
    return event


def _open(
    db: Session,
    *,
    clock: Clock,
    retiree_id: int | None,
    unit_id: int,
    kind: str,
    channel: Channel,
    body: str,
    by: str,
) -> Case:
    now = clock.now()
    case = Case(
        number=f"t{secrets.token_hex(8)}",  # replaced by the numbered one below
        retiree_id=retiree_id,
        unit_id=unit_id,
        kind=kind,
        channel=channel.value,
        body=body.strip(),
        submitted_by=by[:60],
        created_at=now,
        due_on=_due(db, clock, unit_id, kind),
    )
    db.add(case)
    db.flush()
    case.number = f"信{local_today(clock).year}-{case.id:04d}"
    db.add(case)
    _event(db, case, clock=clock, what="收到", by=by, text=f"{channel.value}：{kind}", public=True)
    alerts.alert_staff(
        db,
        clock=clock,
        unit_id=unit_id,
        title=f"新{kind}：{case.number}",
        body=f"收到一件{kind}（{channel.value}），请在{month_day(case.due_on)}前答复。请指定承办人。",
        dedupe_key=f"cases:{case.id}:new",
        link=f"{CONSOLE}/{case.id}",
    )
    db.flush()
    return case


def submit(db: Session, *, clock: Clock, acting: Acting, data: CaseIn, by: str) -> Case:
    """From the mini-program: the retiree, or bound family (in their own name) for them."""
    retiree = acting.retiree
    return _open(
        db,
        clock=clock,
        retiree_id=retiree.id,
        unit_id=retiree.unit_id,
        kind=data.kind.value,
        channel=Channel.app,
        body=data.body,
        by=by,
    )


def submit_box(db: Session, *, clock: Clock, viewer: Viewer, data: BoxIn) -> Case:
    """意见箱 from the mini-program: filed under the writer's own unit, else the unit of the
    first person they look after; someone bound to nobody has no unit to write to."""
    unit_id = _box_unit(db, viewer)
    if unit_id is None:
        raise BadRequest("请先绑定，再往意见箱里写。")
    return file_box_note(db, clock=clock, unit_id=unit_id, data=data)


def file_box_note(db: Session, *, clock: Clock, unit_id: int, data: BoxIn) -> Case:
    """A 意见箱 note, kept under the unit with nothing that names the writer (no retiree, no
    user, no family label). Answered replies are read in the console only."""
    return _open(
        db,
        clock=clock,
        retiree_id=None,
        unit_id=unit_id,
        kind=CaseKind.suggestion.value,
        channel=Channel.box,
        body=data.body,
        by=ANONYMOUS,
    )


def _box_unit(db: Session, viewer: Viewer) -> int | None:
    """The unit a 意见箱 note goes to: the writer's own record's, else the first retiree they
    follow (a family member). None for someone not bound."""
    if viewer.retiree is not None:
        return int(viewer.retiree.unit_id)
    for binding in viewer.bindings:
        person = directory.retiree(db, binding.retiree_id)
        if person is not None:
            return int(person.unit_id)
    return None


def record(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, data: StaffCaseIn
) -> Case:
    """A case that came by phone, letter or visit, written down by staff."""
    retiree = get_scoped(db, Retiree, data.retiree_id, scope)
    case = _open(
        db,
        clock=clock,
        retiree_id=retiree.id,
        unit_id=retiree.unit_id,
        kind=data.kind.value,
        channel=data.channel,
        body=data.body,
        by=f"{staff_accounts.label(staff)}（{data.channel.value}）",
    )
    _audit(db, clock=clock, staff=staff, case=case, action="case.record", after={"kind": case.kind})
    return case


# -- the person's side ----------------------------------------------------------------------------


def of_retiree(db: Session, retiree_id: int) -> list[Case]:
    return list(
        db.exec(
            select(Case)
            .where(Case.retiree_id == retiree_id)
            .order_by(col(Case.created_at).desc(), col(Case.id).desc())
        ).all()
    )


def for_person(db: Session, acting: Acting, case_id: int) -> Case:
    case = db.get(Case, case_id)
    if case is None or case.retiree_id != acting.retiree.id:
        raise NotFound(MISSING)
    return case


def rate(
    db: Session, *, clock: Clock, acting: Acting, case_id: int, data: RatingIn, by: str
) -> Case:
    """满意 / 基本满意 closes the case; 不满意 opens a follow-up with a new due date, and the
    unit's leaders hear of it."""
    case = for_person(db, acting, case_id)
    if case.status != Status.replied.value:
        raise Conflict("答复以后才能评价。工作人员答复了会告诉您。", code="not_replied")
    now = clock.now()
    case.rating = data.rating.value
    case.rated_at = now
    comment = (data.comment or "").strip() or None
    _event(
        db,
        case,
        clock=clock,
        what="评价",
        by=by,
        text=data.rating.value + (f"：{comment}" if comment else ""),
        public=True,
    )
    # The case's rating counts in the unit's satisfied rate (satisfaction, source 信访); after a
    # follow-up the latest answer replaces the earlier one, as for any corrected rating.
    satisfaction.record_rating(
        db,
        clock=clock,
        source=Source.case,
        source_id=case.id or 0,
        retiree_id=acting.retiree.id or 0,
        unit_id=case.unit_id,
        score=Score(data.rating.value),
        comment=comment,
        by=by,
        label=f"{case.kind} {case.number}",
    )
    if data.rating in SATISFIED:
        case.status = Status.closed.value
        case.closed_at = now
    else:
        case.status = Status.open.value
        case.replied_at = None  # unanswered again: late if the new due day passes (stats)
        case.follow_ups += 1
        case.due_on = _due(db, clock, case.unit_id, case.kind)
        _event(
            db,
            case,
            clock=clock,
            what="再办理",
            by="系统",
            text=f"不满意，再办理一次，{month_day(case.due_on)}前答复。",
            public=True,
        )
        _tell_leaders(
            db,
            clock=clock,
            case=case,
            title=f"不满意：{case.number}",
            body=f"{case.number}（{case.kind}）答复后对方不满意，已重新办理，"
            f"请督促在{month_day(case.due_on)}前再答复。",
            key=f"cases:{case.id}:unsatisfied:{case.follow_ups}",
        )
    db.add(case)
    db.flush()
    return case


# -- staff ----------------------------------------------------------------------------------------


def in_scope(db: Session, scope: Unit, case_id: int, *, missing: str = MISSING) -> Case:
    return get_scoped(db, Case, case_id, scope, missing=missing)


def under(
    db: Session,
    *,
    clock: Clock,
    unit_ids: list[int],
    which: str = "open",
    handler_id: int | None = None,
) -> list[Case]:
    """`which`: open (not yet answered, late first), late, replied, closed or all."""
    query = select(Case).where(col(Case.unit_id).in_(unit_ids))
    today = local_today(clock)
    if which == "open":
        query = query.where(Case.status == Status.open.value)
    elif which == "late":
        query = query.where(Case.status == Status.open.value, col(Case.due_on) < today)
    elif which in (Status.replied.value, Status.closed.value):
        query = query.where(Case.status == which)
    if handler_id is not None:
        query = query.where(Case.handler_staff_id == handler_id)
    order = (
        (col(Case.due_on), col(Case.id))
        if which in ("open", "late")
        else (col(Case.created_at).desc(), col(Case.id).desc())
    )
    return list(db.exec(query.order_by(*order).limit(500)).all())


def events_of(db: Session, case_ids: list[int]) -> dict[int, list[CaseEvent]]:
    out: dict[int, list[CaseEvent]] = {i: [] for i in case_ids}
    if not case_ids:
        return out
    rows = db.exec(
        select(CaseEvent)
        .where(col(CaseEvent.case_id).in_(case_ids))
        .order_by(col(CaseEvent.at), col(CaseEvent.id))
    ).all()
    for e in rows:
        out[e.case_id].append(e)
    return out


def assign(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, case_id: int, handler_id: int
) -> Case:
    case = in_scope(db, scope, case_id)
    handler = get_scoped(
        db, StaffAccount, handler_id, scope, missing="请从列表里选承办人。", refuse=BadRequest
    )
    if not handler.active:
        raise BadRequest("这个账号已停用，请另选承办人。")
    before = {"handler_staff_id": case.handler_staff_id}
    case.handler_staff_id = handler.id
    db.add(case)
    _event(
        db,
        case,
        clock=clock,
        what="交办",
        by=staff_accounts.label(staff),
        text=f"交{handler.display_name}办理",
    )
    _audit(
        db,
        clock=clock,
        staff=staff,
        case=case,
        action="case.assign",
        before=before,
        after={"handler_staff_id": handler.id},
    )
    db.flush()
    return case


def note(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, case_id: int, text: str
) -> Case:
    case = in_scope(db, scope, case_id)
    _event(db, case, clock=clock, what="记录", by=staff_accounts.label(staff), text=text.strip())
    _audit(db, clock=clock, staff=staff, case=case, action="case.note", after={"text": text[:80]})
    db.flush()
    return case


def attach(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    case_id: int,
    title: str,
    data: bytes,
    upload_dir: Path,
) -> Case:
    """A letter scanned, a photo of a visit's record: a page of the file."""
    case = in_scope(db, scope, case_id)
    path = uploads.store_document(upload_dir, "cases", data)
    _event(
        db,
        case,
        clock=clock,
        what="附件",
        by=staff_accounts.label(staff),
        text=(title or "附件").strip()[:80],
        attachment_path=path,
    )
    _audit(
        db, clock=clock, staff=staff, case=case, action="case.attach", after={"title": title[:80]}
    )
    db.flush()
    return case


def attachment_file(
    db: Session, *, scope: Unit, event_id: int, upload_dir: Path
) -> tuple[Path, str]:
    event = db.get(CaseEvent, event_id)
    if event is None:
        raise NotFound(ATTACHMENT_MISSING)
    in_scope(db, scope, event.case_id, missing=ATTACHMENT_MISSING)
    found = uploads.document_file(upload_dir, event.attachment_path)
    if found is None:
        raise NotFound(ATTACHMENT_MISSING)
    return found


def reply(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, case_id: int, text: str
) -> Case:
    """The answer the person reads in the mini-program (and is told of once); an anonymous
    意见箱 item is closed with it (there is nobody to rate it)."""
    case = in_scope(db, scope, case_id)
    if case.status != Status.open.value:
        raise Conflict("这件已经答复过了。对方不满意时会重新打开。", code="already_replied")
    now = clock.now()
    case.reply = text.strip()
    case.replied_at = now
    case.handler_staff_id = case.handler_staff_id or staff.id
    _event(
        db,
        case,
        clock=clock,
        what="答复",
        by=staff_accounts.label(staff),
        text=case.reply,
        public=True,
    )
    if case.retiree_id is None:
        case.status = Status.closed.value
        case.closed_at = now
    else:
        case.status = Status.replied.value
        notices_service.notify(
            db,
            clock=clock,
            retiree_id=case.retiree_id,
            title="您反映的事有答复了",
            body=f"您反映的{case.kind}（{case.number}）有了答复。请打开看看，再点一下满不满意。",
            dedupe_key=f"cases:{case.id}:reply:{case.follow_ups}",
            link_page=PAGE,
        )
    db.add(case)
    _audit(
        db,
        clock=clock,
        staff=staff,
        case=case,
        action="case.reply",
        after={"reply": case.reply[:80]},
    )
    db.flush()
    return case


def _audit(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    case: Case,
    action: str,
    after: dict[str, Any],
    before: dict[str, Any] | None = None,
) -> None:
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action=action,
        entity="case",
        entity_id=case.id,
        unit_id=case.unit_id,
        before=before,
        after={"number": case.number, **after},
    )


def _tell_leaders(
    db: Session, *, clock: Clock, case: Case, title: str, body: str, key: str
) -> None:
    """The unit's leaders (its admins, or the nearest unit above with one) hear of it."""
    leader_units = sorted({s.unit_id for s in directory.unit_leaders(db, case.unit_id)})
    for unit_id in leader_units or [case.unit_id]:
        alerts.alert_staff(
            db,
            clock=clock,
            unit_id=unit_id,
            title=title,
            body=body,
            dedupe_key=f"{key}:u{unit_id}",
            link=f"{CONSOLE}/{case.id}",
        )


# -- reminders and escalation (the scheduled job) -------------------------------------------------


def remind(db: Session, *, clock: Clock) -> int:
    """Open cases due within a working day: the handler's unit is reminded once per due date;
    past the due date: the leaders are told once per due date (督办) and the file says so."""
    today = local_today(clock)
    soon = workdays.add_working_days(db, today, REMIND_WORKING_DAYS_LEFT)
    rows = db.exec(
        select(Case)
        .where(Case.status == Status.open.value, col(Case.due_on) <= soon)
        .order_by(col(Case.due_on), col(Case.id))
    ).all()
    handlers = directory.staff_names(db, [c.handler_staff_id for c in rows])
    for case in rows:
        who = handlers.get(case.handler_staff_id or 0)
        to = f"（承办人：{who}）" if who else "（还没有承办人）"
        if case.due_on >= today:
            alerts.alert_staff(
                db,
                clock=clock,
                unit_id=case.unit_id,
                title=f"快到期：{case.number} {case.kind}",
                body=f"{case.number}要在{month_day(case.due_on)}前答复{to}，请抓紧。",
                dedupe_key=f"cases:{case.id}:soon:{case.due_on.isoformat()}",
                link=f"{CONSOLE}/{case.id}",
            )
        elif case.escalated_for != case.due_on:
            _tell_leaders(
                db,
                clock=clock,
                case=case,
                title=f"已超期：{case.number} {case.kind}",
                body=f"{case.number}应在{month_day(case.due_on)}前答复，已经超期{to}，请督办。",
                key=f"cases:{case.id}:late:{case.due_on.isoformat()}",
            )
            _event(db, case, clock=clock, what="督办", by="系统", text="超期未答复，已报告领导。")
            case.escalated_for = case.due_on
            db.add(case)
    db.flush()
    return len(rows)


def staff_who_may_handle(db: Session, scope: Unit) -> list[tuple[int, str]]:
    return [
        (s.id or 0, s.display_name) for s in staff_accounts.list_in_scope(db, scope) if s.active
    ]
