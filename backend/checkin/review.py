"""The staff side: the review queue, one submission beside last year's, approve / return /
talk, bulk approval of unchanged submissions, and check-ins recorded in person."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from backend.accounts import audit, directory, retirees
from backend.accounts.directory import Person
from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.accounts.scope import get_scoped
from backend.checkin import campaigns, records, views
from backend.checkin.models import CheckinCampaign, CheckinSubmission
from backend.checkin.schemas import (
    FIELD_LABELS,
    STATUS_LABELS,
    FieldDiff,
    RecordIn,
    SubmissionDetail,
    SubmissionRow,
    clean_return_reasons,
)
from backend.checkin.submissions import call_line
from backend.core import reasons as reason_rules
from backend.core.actors import persisted_id
from backend.core.clock import Clock, as_utc
from backend.core.errors import BadRequest, Conflict
from backend.notices import service as notices_service

_REVIEWABLE = {"submitted", "talk"}
_STATUS_ORDER = {"submitted": 0, "talk": 1, "returned": 2, "draft": 3, "none": 4, "approved": 5}


def last_year_answers(
    db: Session, campaign: CheckinCampaign, retiree_ids: list[int]
) -> dict[int, dict[str, Any]]:
    previous = campaigns.previous_year(db, campaign)
    if not previous or not retiree_ids:
        return {}
    rows = db.exec(
        select(CheckinSubmission).where(
            col(CheckinSubmission.campaign_id).in_(previous),
            col(CheckinSubmission.retiree_id).in_(retiree_ids),
            CheckinSubmission.status == "approved",
        )
    ).all()
    return {r.retiree_id: records.load_json(r.answers) for r in rows}


def _matches(row: CheckinSubmission | None, status: str | None, on_behalf: bool | None) -> bool:
    """The queue's filters on one retiree's row (None: nothing saved yet)."""
    current = row.status if row else None
    if status == "none" and current not in (None, "draft"):
        return False
    if status == "overdue" and current not in (None, "draft", "returned"):
        return False
    if status and status not in ("none", "overdue") and current != status:
        return False
    return on_behalf is None or (row is not None and row.on_behalf == on_behalf)


_NEVER = datetime.min.replace(tzinfo=UTC)


def _queue_order(item: tuple[Person, CheckinSubmission | None]) -> tuple[bool, datetime, int]:
    """Earliest submitted first; those who have not submitted after them, by retiree id."""
    person, row = item
    at = row.submitted_at if row else None
    return at is None, as_utc(at) if at else _NEVER, person.id


def queue(
    db: Session,
    *,
    campaign: CheckinCampaign,
    root: Unit,
    status: str | None = None,
    unit_id: int | None = None,
    care_flag: str | None = None,
    on_behalf: bool | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[SubmissionRow], int]:
    area = root
    if unit_id is not None:
        area = get_scoped(db, Unit, unit_id, root)
    people = campaigns.eligible(db, area, care_flag=care_flag)
    saved = records.of_campaign(
        db, persisted_id(campaign), campaigns.eligible_ids(area, care_flag=care_flag)
    )
    matched = [(p, saved.get(p.id)) for p in people if _matches(saved.get(p.id), status, on_behalf)]
    matched.sort(key=_queue_order)
    rows = matched[offset : offset + limit]
    ids = [person.id for person, _ in rows]
    flags = retirees.care_flags_of(db, ids)
    last = last_year_answers(db, campaign, ids)
    data = []
    for person, row in rows:
        code = row.status if row else "none"
        if code == "draft":
            code = "none"
        answers = records.load_json(row.answers) if row else {}
        data.append(
            SubmissionRow(
                id=row.id if row else None,
                retiree_id=person.id,
                retiree_name=person.name,
                unit_name=person.unit_name,
                status=STATUS_LABELS[code].value,
                status_code=code,
                channel=row.channel if row and row.submitted_at else None,
                on_behalf=bool(row and row.on_behalf),
                care_flags=flags.get(person.id, []),
                submitted_at=as_utc(row.submitted_at) if row and row.submitted_at else None,
                unchanged=(
                    views.unchanged(answers, last.get(person.id), person.phone)
                    if code == "submitted"
                    else None
                ),
            )
        )
    data.sort(key=lambda r: _STATUS_ORDER.get(r.status_code, 9))
    return data, len(matched)


def detail(db: Session, *, row: CheckinSubmission) -> SubmissionDetail:
    campaign = db.get(CheckinCampaign, row.campaign_id)
    retiree_name = directory.retiree_names(db, [row.retiree_id]).get(row.retiree_id)
    assert campaign is not None and retiree_name is not None
    answers = records.load_json(row.answers)
    last = last_year_answers(db, campaign, [row.retiree_id]).get(row.retiree_id, {})
    previous = records.load_json(row.previous_answers) if row.previous_answers else None
    fields = []
    for name in views.COMPARED:
        fields.append(
            FieldDiff(
                field=name,
                label=FIELD_LABELS[name],
                current=views.show(name, answers.get(name)),
                last_year=views.show(name, last.get(name)) if last else "（去年没有记录）",
                previous=views.show(name, previous.get(name)) if previous else None,
                changed_from_last_year=bool(last) and not views.same(name, answers, last),
                changed_since_return=previous is not None
                and not views.same(name, answers, previous),
            )
        )
    code = row.status if row.submitted_at or row.status != "draft" else "none"
    return SubmissionDetail(
        id=persisted_id(row),
        version=row.version,
        retiree_id=row.retiree_id,
        retiree_name=retiree_name,
        status=STATUS_LABELS[code].value,
        status_code=code,
        channel=row.channel,
        on_behalf=row.on_behalf,
        submitted_by=_who(db, row),
        submitted_at=as_utc(row.submitted_at) if row.submitted_at else None,
        fields=fields,
        return_reasons=records.load_json(row.return_reasons),
        talk_note=row.talk_note,
        has_photo=bool(row.photo_path),
    )


def _who(db: Session, row: CheckinSubmission) -> str | None:
    if row.submitted_at is None:
        return None
    if row.recorded_by_staff_id:
        staff_name = directory.staff_name(db, row.recorded_by_staff_id)
        return f"工作人员{staff_name or ''}登记（{row.channel}）"
    if row.on_behalf:
        return f"家人代为提交（绑定#{row.binding_id}）"
    return "本人提交"


def _claim_for_review(row: CheckinSubmission, version: int) -> None:
    if row.version != version:
        raise Conflict(records.STALE_MESSAGE, code="stale_version")
    if row.status not in _REVIEWABLE:
        raise Conflict(
            f"这份登记现在是“{STATUS_LABELS.get(row.status, row.status)}”，不能再审核。请刷新。",
            code="not_reviewable",
        )


def _audit(
    db: Session,
    clock: Clock,
    staff: StaffAccount | None,
    row: CheckinSubmission,
    action: str,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action=action,
        entity="checkin_submission",
        entity_id=row.id,
        unit_id=row.unit_id,
        before=before,
        after=after,
    )


def _apply_to_record(
    db: Session, *, clock: Clock, staff: StaffAccount, row: CheckinSubmission
) -> None:
    """An approved check-in updates the roster: new address, phone, requested care flags."""
    answers = records.load_json(row.answers)
    moved = answers.get("same_address") is False and answers.get("new_address")
    retirees.update_from_checkin(
        db,
        clock=clock,
        staff=staff,
        retiree_id=row.retiree_id,
        address=answers["new_address"] if moved else None,
        phone=answers.get("phone") or None,
        care_needs=answers.get("care_needs") or [],
    )


def approve(
    db: Session, *, clock: Clock, staff: StaffAccount, row: CheckinSubmission, version: int
) -> CheckinSubmission:
    _claim_for_review(row, version)
    before = {"status": row.status}
    row.status = "approved"
    row.reviewed_at = clock.now()
    row.reviewed_by_staff_id = staff.id
    row.updated_at = clock.now()
    records.claim(db, row, version)
    db.add(row)
    _apply_to_record(db, clock=clock, staff=staff, row=row)
    _audit(db, clock, staff, row, "checkin.approve", before, {"status": "approved"})
    _tell_approved(db, clock=clock, row=row)
    return row


def _tell_approved(db: Session, *, clock: Clock, row: CheckinSubmission) -> None:
    campaign = db.get(CheckinCampaign, row.campaign_id)
    year = campaign.year if campaign else ""
    notices_service.notify(
        db,
        clock=clock,
        retiree_id=row.retiree_id,
        title="年度登记已通过",
        body=f"您{year}年的年度登记已审核通过。谢谢您的配合！",
        dedupe_key=f"checkin:{row.id}:approved",
        link_page=f"pages/checkin/checkin?retiree_id={row.retiree_id}",
    )


def return_for_correction(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    row: CheckinSubmission,
    version: int,
    reasons: dict[str, str],
) -> CheckinSubmission:
    try:
        reasons = clean_return_reasons(reasons)
    except ValueError as exc:
        raise BadRequest(f"{exc}。") from None
    _claim_for_review(row, version)
    before = {"status": row.status}
    row.status = "returned"
    row.return_reasons = records.dump_json(reasons)
    row.return_count += 1
    row.reviewed_at = clock.now()
    row.reviewed_by_staff_id = staff.id
    row.updated_at = clock.now()
    records.claim(db, row, version)
    db.add(row)
    _audit(db, clock, staff, row, "checkin.return", before, {"status": "returned", **reasons})
    person = directory.person(db, row.retiree_id)
    assert person is not None
    lines = [
        f"· {FIELD_LABELS.get(field, '总的说明') if field != 'general' else '说明'}：{text}"
        for field, text in reasons.items()
    ]
    notices_service.notify(
        db,
        clock=clock,
        retiree_id=row.retiree_id,
        title="年度登记需要改一下",
        body="工作人员看了您的年度登记，请改一下：\n"
        + "\n".join(lines)
        + f"\n改好后在小程序“年度登记”里再点提交。{call_line(db, person.unit_id)}",
        dedupe_key=f"checkin:{row.id}:returned:{row.return_count}",
        link_page=f"pages/checkin/checkin?retiree_id={row.retiree_id}",
    )
    return row


def flag_for_talk(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    row: CheckinSubmission,
    version: int,
    note: str,
) -> CheckinSubmission:
    note = reason_rules.given(note, "请写一句为什么要约谈。", limit=500)
    if row.status == "talk":
        raise Conflict("已经标为需约谈了。请刷新。", code="not_reviewable")
    _claim_for_review(row, version)
    before = {"status": row.status}
    row.status = "talk"
    row.talk_note = note.strip()
    row.reviewed_at = clock.now()
    row.reviewed_by_staff_id = staff.id
    row.updated_at = clock.now()
    records.claim(db, row, version)
    db.add(row)
    _audit(db, clock, staff, row, "checkin.talk", before, {"status": "talk", "note": note})
    return row


def bulk_approve_unchanged(
    db: Session, *, clock: Clock, staff: StaffAccount, campaign: CheckinCampaign, root: Unit
) -> int:
    rows, _ = queue(db, campaign=campaign, root=root, status="submitted", limit=100_000)
    approved = 0
    for item in rows:
        if not item.unchanged or item.id is None:
            continue
        row = db.get(CheckinSubmission, item.id)
        if row is None or row.status != "submitted":
            continue
        approve(db, clock=clock, staff=staff, row=row, version=row.version)
        approved += 1
    return approved


def record_in_person(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    campaign: CheckinCampaign,
    root: Unit,
    data: RecordIn,
) -> CheckinSubmission:
    """Staff met or phoned the retiree and did the check-in with them: recorded as approved."""
    retiree = get_scoped(db, Retiree, data.retiree_id, root)
    if retiree.status != "在册":
        raise BadRequest("这位老同志不是在册状态，不用登记。")
    row = records.get_or_create(db, clock=clock, campaign=campaign, retiree=retiree)
    if row.status == "approved":
        raise Conflict("这位老同志今年已经登记通过了。", code="already_approved")
    version = row.version
    answers = records.load_json(row.answers)
    answers.update(data.answers.model_dump(mode="json", exclude_unset=True))
    before = {"status": row.status}
    now = clock.now()
    row.answers = records.dump_json(answers)
    row.submitted_answers = row.answers
    row.status = "approved"
    row.channel = data.channel.value
    row.on_behalf = False
    row.recorded_by_staff_id = staff.id
    row.talk_note = data.note
    row.submit_count += 1
    row.submitted_at = now
    row.reviewed_at = now
    row.reviewed_by_staff_id = staff.id
    row.updated_at = now
    records.claim(db, row, version)
    db.add(row)
    channel = {"现场": "现场", "电话": "电话", "上门": "上门"}[data.channel.value]
    records.log_contact(
        db, clock=clock, retiree=retiree, channel=channel, note="年度登记", staff_id=staff.id
    )
    _apply_to_record(db, clock=clock, staff=staff, row=row)
    _audit(
        db, clock, staff, row, "checkin.record", before, {"status": "approved", "channel": channel}
    )
    _tell_approved(db, clock=clock, row=row)
    return row
