"""事项报告: the matter and its steps.

审批 (出国 for 师级, 社会团体任职): submitted → signed by the head of the retiree's
军休所 (an admin of that unit) → approved or not by the higher department (an admin of a
unit above it), all within 10 working days of the application (workdays.due_at).
报备: submitted → acknowledged by any staff member of the unit within 3 working days.
Every step is one conditional UPDATE (two people pressing at once move it once), audited
when staff do it, told to the person through notices.notify."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from backend.accounts import audit, directory, retirees
from backend.accounts.enums import RetireeStatus, StaffRole, UnitKind
from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.accounts.scope import ancestor_ids, get_scoped
from backend.accounts.staff import label as staff_label
from backend.core.clock import Clock, local_today
from backend.core.errors import Conflict, Forbidden, NotFound
from backend.matters import rules, wording
from backend.matters.models import DONE_OK, OPEN, Flow, Kind, Matter, MatterEvent, Status
from backend.matters.schemas import AcknowledgeIn, DecisionIn, MatterFields, MatterIn
from backend.notices import alerts
from backend.notices import service as notices_service
from backend.workdays import service as workdays

MISSING = "没有找到这件事项。"
CONSOLE = "/console/matters"
PAGE = "/pages/matters/matters"


def details_of(matter: Matter) -> dict[str, Any]:
    loaded = json.loads(matter.details or "{}")
    return loaded if isinstance(loaded, dict) else {}


def _event(
    db: Session, matter: Matter, *, clock: Clock, what: str, by: str, note: str | None = None
) -> None:
    db.add(MatterEvent(matter_id=matter.id or 0, at=clock.now(), what=what, by=by[:80], note=note))


# -- who signs, who approves ------------------------------------------------------------------


@dataclass(frozen=True)
class Chain:
    """The unit whose head signs (the retiree's 军休所) and the units whose admins approve."""

    head_unit_id: int
    approver_unit_ids: list[int]


def chain(db: Session, unit_id: int) -> Chain:
    unit = directory.unit(db, unit_id)
    if unit is None:
        raise NotFound("没有找到这个单位。")
    line = ancestor_ids(unit)  # top first
    found = directory.units(db, line)
    head = next(
        (uid for uid in reversed(line) if found[uid].kind == UnitKind.institute.value), unit_id
    )
    above = line[: line.index(head)]
    # A 军休所 with nothing above it in the system: its own admins record the higher
    # department's reply.
    return Chain(head_unit_id=head, approver_unit_ids=above or [head])


def _retiree_words(db: Session, retiree_id: int) -> str:
    return directory.retiree_names(db, [retiree_id]).get(retiree_id, "")


# -- submitting ---------------------------------------------------------------------------------


def submit(
    db: Session,
    *,
    clock: Clock,
    retiree_id: int,
    data: MatterFields,
    by: str,
    staff: StaffAccount | None = None,
) -> Matter:
    """Record a report or an application; its clock starts now. Staff recording one for a
    retiree (a call, a visit) are audited."""
    retiree = directory.retiree(db, retiree_id)
    if retiree is None:
        raise NotFound("没有找到这位老同志。")
    if retiree.status == RetireeStatus.deceased:
        raise Conflict("这位老同志的档案已经注销，不能再报告事项。")
    flow = rules.flow_for(data.kind, retiree.level)
    now = clock.now()
    due = workdays.due_at(db, start=now, working_days=rules.working_days_for(flow))
    passport = data.passport_no
    matter = Matter(
        retiree_id=retiree_id,
        unit_id=retiree.unit_id,
        kind=data.kind.value,
        flow=flow.value,
        level=retiree.level,
        status=Status.submitted.value,
        details=json.dumps(data.details(), ensure_ascii=False, sort_keys=True),
        passport_tail=passport[-4:] if passport else None,
        depart_on=data.depart_on if data.kind == Kind.travel else None,
        return_on=data.return_on if data.kind == Kind.travel else None,
        submitted_at=now,
        submitted_by=by[:60],
        due_at=due,
    )
    db.add(matter)
    db.flush()
    _event(db, matter, clock=clock, what="submitted", by=by)
    if staff is not None:
        audit.record(
            db,
            clock=clock,
            staff=staff,
            action="matters.submit",
            entity="matter",
            entity_id=matter.id,
            unit_id=matter.unit_id,
            after={"kind": matter.kind, "flow": matter.flow, **details_of(matter)},
        )
    where = chain(db, matter.unit_id).head_unit_id
    name = retiree.name
    alerts.alert_staff(
        db,
        clock=clock,
        unit_id=where,
        title=f"事项{flow.value}：{name} {data.kind.value}",
        body=f"{name}同志{wording.verb(flow)}了{data.kind.value}，请在"
        f"{wording.due_words(due)}前办完。",
        dedupe_key=f"matters:{matter.id}:submitted",
        link=f"{CONSOLE}/{matter.id}",
    )
    notices_service.notify(
        db,
        clock=clock,
        retiree_id=retiree_id,
        title=f"{data.kind.value}已{wording.verb(flow)}",
        body=wording.received(matter),
        dedupe_key=f"matters:{matter.id}:submitted",
        link_page=PAGE,
    )
    return matter


def record_for(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, data: MatterIn
) -> Matter:
    """Staff record a matter a retiree of their units told them of (a call, a visit)."""
    get_scoped(db, Retiree, data.retiree_id, scope)
    return submit(
        db, clock=clock, retiree_id=data.retiree_id, data=data, by=staff_label(staff), staff=staff
    )


# -- reading ------------------------------------------------------------------------------------


def of_retiree(db: Session, retiree_id: int, *, limit: int = 50) -> list[Matter]:
    return list(
        db.exec(
            select(Matter)
            .where(Matter.retiree_id == retiree_id)
            .order_by(col(Matter.submitted_at).desc(), col(Matter.id).desc())
            .limit(limit)
        ).all()
    )


def own(db: Session, *, retiree_id: int, matter_id: int) -> Matter:
    """The retiree's own matter, else the same 404 as a missing one."""
    matter = db.get(Matter, matter_id)
    if matter is None or matter.retiree_id != retiree_id:
        raise NotFound(MISSING)
    return matter


def get_in_scope(db: Session, *, scope: Unit, matter_id: int) -> Matter:
    return get_scoped(db, Matter, matter_id, scope, missing=MISSING)


def steps_of(db: Session, ids: list[int]) -> dict[int, list[MatterEvent]]:
    out: dict[int, list[MatterEvent]] = {i: [] for i in ids}
    if ids:
        for row in db.exec(
            select(MatterEvent)
            .where(col(MatterEvent.matter_id).in_(ids))
            .order_by(col(MatterEvent.at), col(MatterEvent.id))
        ).all():
            out[row.matter_id].append(row)
    return out


# -- moving -------------------------------------------------------------------------------------


def _move(db: Session, matter: Matter, allowed: tuple[Status, ...], **values: object) -> bool:
    moved = db.execute(
        update(Matter)
        .where(col(Matter.id) == matter.id, col(Matter.status).in_([s.value for s in allowed]))
        .values(version=Matter.version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    db.refresh(matter)
    return bool(getattr(moved, "rowcount", 0))


def _refuse(matter: Matter) -> Conflict:
    if matter.status not in OPEN:
        return Conflict("这件事项已经办完了，不能再改。", code="matter_closed")
    if matter.status == Status.signed:
        return Conflict("所里已经签署过意见，正在等上级部门审批。", code="matter_signed")
    return Conflict("这一步还不能办，请刷新后再看。", code="matter_wrong_step")


def _admin_of(staff: StaffAccount, unit_ids: list[int], words: str) -> None:
    if staff.role != StaffRole.admin or staff.unit_id not in unit_ids:
        raise Forbidden(words, code="matter_wrong_signer")


def _audit(
    db: Session,
    clock: Clock,
    staff: StaffAccount,
    matter: Matter,
    action: str,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action=action,
        entity="matter",
        entity_id=matter.id,
        unit_id=matter.unit_id,
        before=before,
        after=after,
    )


def sign(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    matter_id: int,
    data: DecisionIn,
) -> Matter:
    """The 军休所 head's opinion on an application (签署意见). Agreeing sends it to the higher
    department; not agreeing ends it, with the reason told to the person."""
    matter = get_in_scope(db, scope=scope, matter_id=matter_id)
    if matter.flow != Flow.approval:
        raise Conflict("这件事项是报备，不用审批，点「已阅知」就可以。", code="matter_is_report")
    links = chain(db, matter.unit_id)
    _admin_of(staff, [links.head_unit_id], "这一步要由老同志所在军休所的负责人（管理员）签署意见。")
    now = clock.now()
    note = (data.note or "").strip() or None
    values: dict[str, Any] = {"signed_at": now, "signed_by_staff_id": staff.id, "sign_note": note}
    if data.agree:
        values["status"] = Status.signed.value
    else:
        values |= {
            "status": Status.rejected.value,
            "decided_at": now,
            "decided_by_staff_id": staff.id,
            "decision_note": note,
        }
    if not _move(db, matter, (Status.submitted,), **values):
        raise _refuse(matter)
    _event(
        db,
        matter,
        clock=clock,
        what="signed" if data.agree else "rejected",
        by=f"军休所负责人{staff.display_name}",
        note=note,
    )
    _audit(
        db,
        clock,
        staff,
        matter,
        "matters.sign",
        {"status": "submitted"},
        {"status": matter.status, "note": note},
    )
    if data.agree:
        for unit_id in links.approver_unit_ids[-1:]:
            alerts.alert_staff(
                db,
                clock=clock,
                unit_id=unit_id,
                title=f"待审批：{_retiree_words(db, matter.retiree_id)} {matter.kind}",
                body=f"军休所已签署同意意见，请在{wording.due_words(matter.due_at)}前审批。",
                dedupe_key=f"matters:{matter.id}:signed",
                link=f"{CONSOLE}/{matter.id}",
            )
    _tell_decision(db, clock=clock, matter=matter, step="signed" if data.agree else "rejected")
    return matter


def decide(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    matter_id: int,
    data: DecisionIn,
) -> Matter:
    """The higher department's approval (or not) of a signed application."""
    matter = get_in_scope(db, scope=scope, matter_id=matter_id)
    if matter.flow != Flow.approval:
        raise Conflict("这件事项是报备，不用审批，点「已阅知」就可以。", code="matter_is_report")
    if matter.status == Status.submitted:
        raise Conflict("要先由军休所负责人签署意见，再报上级部门审批。", code="matter_not_signed")
    links = chain(db, matter.unit_id)
    _admin_of(staff, links.approver_unit_ids, "这一步要由上级主管部门的管理员审批。")
    note = (data.note or "").strip() or None
    status = Status.approved if data.agree else Status.rejected
    if not _move(
        db,
        matter,
        (Status.signed,),
        status=status.value,
        decided_at=clock.now(),
        decided_by_staff_id=staff.id,
        decision_note=note,
    ):
        raise _refuse(matter)
    _event(
        db, matter, clock=clock, what=status.value, by=f"上级部门{staff.display_name}", note=note
    )
    _audit(
        db,
        clock,
        staff,
        matter,
        "matters.decide",
        {"status": "signed"},
        {"status": status.value, "note": note},
    )
    _tell_decision(db, clock=clock, matter=matter, step=status.value)
    return matter


def acknowledge(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    matter_id: int,
    data: AcknowledgeIn,
) -> Matter:
    """Staff have read a 报备 (已阅知). A move of home (居住地变更, or 户口迁移 that moves the home
    too) changes the roster's address the way an approved check-in does, so open bookings follow."""
    matter = get_in_scope(db, scope=scope, matter_id=matter_id)
    if matter.flow != Flow.report:
        raise Conflict("这件事项要审批，请按审批的步骤办。", code="matter_is_approval")
    note = (data.note or "").strip() or None
    if not _move(
        db,
        matter,
        (Status.submitted,),
        status=Status.acknowledged.value,
        decided_at=clock.now(),
        decided_by_staff_id=staff.id,
        decision_note=note,
        to_province=data.to_province,
    ):
        raise _refuse(matter)
    _event(db, matter, clock=clock, what="acknowledged", by=staff_label(staff), note=note)
    _audit(
        db,
        clock,
        staff,
        matter,
        "matters.acknowledge",
        {"status": "submitted"},
        {"status": "acknowledged", "to_province": data.to_province, "note": note},
    )
    _apply_address(db, clock=clock, staff=staff, matter=matter)
    _tell_decision(db, clock=clock, matter=matter, step="acknowledged")
    return matter


def moves_home(matter: Matter) -> str | None:
    """The new home address this matter brings, if it brings one."""
    answers = details_of(matter)
    if matter.kind == Kind.residence or (
        matter.kind == Kind.household and answers.get("also_residence")
    ):
        return str(answers.get("new_address") or "") or None
    return None


def _apply_address(db: Session, *, clock: Clock, staff: StaffAccount, matter: Matter) -> None:
    address = moves_home(matter)
    if address is None:
        return
    retirees.update_from_checkin(
        db,
        clock=clock,
        staff=staff,
        retiree_id=matter.retiree_id,
        address=address,
        phone=None,
        care_needs=[],
        action="retiree.update_from_matter",
    )


def withdraw(db: Session, *, clock: Clock, retiree_id: int, matter_id: int, by: str) -> Matter:
    """The person takes back a matter nobody has decided yet."""
    matter = own(db, retiree_id=retiree_id, matter_id=matter_id)
    if not _move(db, matter, OPEN, status=Status.withdrawn.value, decided_at=clock.now()):
        raise _refuse(matter)
    _event(db, matter, clock=clock, what="withdrawn", by=by)
    return matter


def end_on_death(db: Session, *, clock: Clock, matter: Matter, by: str) -> Matter:
    """The person has died: the matter ends where it stands (no decision, no reminder)."""
    moved = _move(
        db,
        matter,
        (*OPEN, *DONE_OK),
        status=Status.ended.value,
        decided_at=matter.decided_at or clock.now(),
    )
    if moved:
        _event(db, matter, clock=clock, what="ended", by=by)
    return matter


# -- after the trip -----------------------------------------------------------------------------


def _abroad(matter: Matter) -> bool:
    return matter.kind == Kind.travel and matter.status in DONE_OK and matter.returned_on is None


def report_return(
    db: Session,
    *,
    clock: Clock,
    matter: Matter,
    returned_on: date,
    by: str,
    staff: StaffAccount | None = None,
) -> Matter:
    if matter.kind != Kind.travel or matter.status not in DONE_OK:
        raise Conflict("只有批准或报备过的出国（境）才需要报告回来。", code="matter_not_trip")
    if matter.returned_on is not None:
        raise Conflict(
            f"已经报告过{matter.returned_on.month}月{matter.returned_on.day}日回来了。",
            code="matter_returned",
        )
    if matter.depart_on and returned_on < matter.depart_on:
        raise Conflict("回来的日子不能早于出发的日子。", code="matter_return_early")
    if returned_on > local_today(clock):
        raise Conflict("回来以后再报告。回来的日子不能是以后的日子。", code="matter_return_future")
    if not _move(db, matter, DONE_OK, returned_on=returned_on):
        raise _refuse(matter)
    _event(db, matter, clock=clock, what="returned", by=by, note=returned_on.isoformat())
    if staff is not None:
        _audit(db, clock, staff, matter, "matters.return", {}, {"returned_on": returned_on})
    passport_by = rules.add_days(returned_on, rules.PASSPORT_DAYS)
    notices_service.notify(
        db,
        clock=clock,
        retiree_id=matter.retiree_id,
        title="已记下您回来了",
        body=f"欢迎回家。请在{passport_by.month}月{passport_by.day}日前把护照等出国证件交到所里"
        "集中保管。",
        dedupe_key=f"matters:{matter.id}:returned",
        link_page=PAGE,
    )
    return matter


def report_quarter(
    db: Session,
    *,
    clock: Clock,
    matter: Matter,
    text: str,
    by: str,
    staff: StaffAccount | None = None,
) -> MatterEvent:
    """A quarterly report from abroad (第十五条: 每季度汇报在国（境）外的思想情况)."""
    if not _abroad(matter):
        raise Conflict("现在不在国（境）外，不用写季度汇报。", code="matter_not_abroad")
    if matter.depart_on and matter.depart_on > local_today(clock):
        raise Conflict("还没有出发，出发以后再汇报。", code="matter_not_departed")
    row = MatterEvent(
        matter_id=matter.id or 0, at=clock.now(), what="quarterly", by=by[:80], note=text.strip()
    )
    db.add(row)
    db.flush()
    if staff is not None:
        _audit(db, clock, staff, matter, "matters.quarterly", {}, {"text": text.strip()})
    return row


def can_report_return(matter: Matter, today: date) -> bool:
    return _abroad(matter) and (matter.depart_on is None or matter.depart_on <= today)


def can_report_quarter(matter: Matter, today: date) -> bool:
    return can_report_return(matter, today)


# -- telling ------------------------------------------------------------------------------------


def _tell_decision(db: Session, *, clock: Clock, matter: Matter, step: str) -> None:
    title, body = wording.decision(matter, step)
    notices_service.notify(
        db,
        clock=clock,
        retiree_id=matter.retiree_id,
        title=title,
        body=body,
        dedupe_key=f"matters:{matter.id}:{step}",
        link_page=PAGE,
    )
