"""The retiree's side of the check-in: see the status, save a draft, submit, add a photo."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from backend.accounts import directory, units
from backend.accounts.identity import Acting
from backend.accounts.models import Retiree
from backend.checkin import campaigns, records, views
from backend.checkin.models import CheckinCampaign, CheckinSubmission
from backend.checkin.schemas import (
    STATUS_LABELS,
    CheckinAnswers,
    CheckinDraft,
    CheckinState,
    ContactChannel,
)
from backend.core import uploads
from backend.core.actors import persisted_id
from backend.core.clock import Clock, as_utc, local_today, month_day
from backend.core.errors import (
    BadRequest,
    Conflict,
    Unprocessable,
    translate_validation,
)

PHOTO_MAX_BYTES = uploads.PHOTO_MAX_BYTES
_EDITABLE = {"draft", "returned"}


def call_line(db: Session, unit_id: int) -> str:
    """The sentence that tells a retiree of this unit whom to call."""
    phone = units.contact_phone(db, unit_id)
    return f"如有困难请拨打{phone}。" if phone else "如有困难请联系所里的工作人员。"


def _may_edit(row: CheckinSubmission | None, campaign: CheckinCampaign, today: date) -> bool:
    status = row.status if row else "draft"
    if status == "returned":
        return True  # staff asked for a correction: it may come back after the deadline
    return status in _EDITABLE and campaigns.is_open(campaign, today)


def state(db: Session, *, clock: Clock, retiree: Retiree) -> CheckinState:
    today = local_today(clock)
    campaign = campaigns.for_retiree(db, retiree, today)
    row = records.find(db, persisted_id(campaign), persisted_id(retiree)) if campaign else None
    help_line = call_line(db, retiree.unit_id)
    base: dict[str, Any] = {
        "retiree_id": persisted_id(retiree),
        "retiree_name": retiree.name,
        "campaign": views.to_public(campaign, today) if campaign else None,
        "answers": records.load_json(row.answers) if row else {},
        "return_reasons": records.load_json(row.return_reasons) if row else {},
        "talk_note": row.talk_note if row else None,
        "submitted_at": as_utc(row.submitted_at) if row and row.submitted_at else None,
        "submitted_by": _submitted_by(row),
        "has_photo": bool(row and row.photo_path),
    }
    if campaign is None or retiree.status != "在册":
        return CheckinState(
            **base,
            status="现在不用登记",
            status_code="none",
            banner=None,
            can_edit=False,
            can_submit=False,
            next_step="现在没有需要办理的年度登记。",
        )
    code = row.status if row else "none"
    if code == "draft" and row is not None and row.answers in ("{}", ""):
        code = "none"
    editable = _may_edit(row, campaign, today)
    deadline = month_day(campaign.closes_on)
    banner = None
    if code in ("none", "draft"):
        if campaigns.is_open(campaign, today):
            banner = f"{campaign.year}年的年度登记还没做"
            step = f"请在{deadline}前填写提交。{help_line}"
        else:
            step = f"登记时间已过（{deadline}截止）。请尽快联系工作人员补办。{help_line}"
    elif code == "submitted":
        step = "已提交，等工作人员审核。审核结果会发消息告诉您。"
    elif code == "returned":
        banner = "年度登记需要改一下"
        step = f"工作人员请您改一下标出的地方，改好后再点“提交”。{help_line}"
    elif code == "approved":
        step = f"{campaign.year}年的年度登记已通过。谢谢您！"
    else:
        step = f"工作人员会和您约时间谈一谈，请留意电话。{help_line}"
    return CheckinState(
        **base,
        status=STATUS_LABELS[code].value,
        status_code=code,
        banner=banner,
        can_edit=editable,
        can_submit=editable,
        next_step=step,
    )


def _submitted_by(row: CheckinSubmission | None) -> str | None:
    if row is None or row.submitted_at is None:
        return None
    if row.recorded_by_staff_id is not None:
        return f"工作人员代为登记（{row.channel}）"
    return "家人代为提交" if row.on_behalf else "本人提交"


def _open_campaign(db: Session, clock: Clock, retiree: Retiree) -> CheckinCampaign:
    campaign = campaigns.for_retiree(db, retiree, local_today(clock))
    if campaign is None or retiree.status != "在册":
        raise BadRequest("现在没有需要办理的年度登记。", code="no_campaign")
    return campaign


def _check_editable(
    db: Session, row: CheckinSubmission, campaign: CheckinCampaign, clock: Clock
) -> None:
    if row.status in ("submitted", "approved", "talk"):
        raise Conflict("已经提交了，不能再改。如需修改请联系工作人员。", code="already_submitted")
    if not _may_edit(row, campaign, local_today(clock)):
        person = directory.person(db, row.retiree_id)
        help_line = call_line(db, person.unit_id) if person else ""
        raise BadRequest(
            f"登记时间已过（{month_day(campaign.closes_on)}截止）。请联系工作人员补办。{help_line}",
            code="window_closed",
        )


def _merge(row: CheckinSubmission, answers: CheckinDraft | None) -> dict[str, Any]:
    merged = records.load_json(row.answers)
    if answers is not None:
        merged.update(answers.model_dump(mode="json", exclude_unset=True))
    return merged


def save_draft(
    db: Session, *, clock: Clock, acting: Acting, answers: CheckinDraft
) -> CheckinSubmission:
    campaign = _open_campaign(db, clock, acting.retiree)
    row = records.get_or_create(db, clock=clock, campaign=campaign, retiree=acting.retiree)
    _check_editable(db, row, campaign, clock)
    row.answers = records.dump_json(_merge(row, answers))
    row.updated_at = clock.now()
    records.claim(db, row)
    db.add(row)
    return row


def submit(
    db: Session,
    *,
    clock: Clock,
    acting: Acting,
    answers: CheckinDraft | None,
    declaration: bool,
    request_id: str | None,
) -> CheckinSubmission:
    """Submit once. A repeat of the same submission (double tap, a retry after a dropped
    network) returns the stored one instead of an error or a second copy."""
    retiree = acting.retiree
    campaign = _open_campaign(db, clock, retiree)
    row = records.get_or_create(db, clock=clock, campaign=campaign, retiree=retiree)
    if _is_repeat(row, answers, request_id):
        return row
    _check_editable(db, row, campaign, clock)
    if not declaration:
        raise BadRequest("请勾选“以上内容属实”后再提交。", code="declaration_required")
    merged = _merge(row, answers)
    try:
        checked = CheckinAnswers.model_validate(merged)
    except ValidationError as exc:
        fields = translate_validation(list(exc.errors()), model=CheckinAnswers)
        message = "；".join(f["message"] for f in fields[:3])
        raise Unprocessable(
            f"{message}。请补上后再提交。", code="incomplete", detail=fields
        ) from exc
    now = clock.now()
    version = row.version
    row.answers = records.dump_json(checked.model_dump(mode="json"))
    if row.status == "returned":
        row.previous_answers = row.submitted_answers
    row.submitted_answers = row.answers
    row.status = "submitted"
    row.channel = "小程序"
    row.submit_count += 1
    row.submitted_at = now
    row.updated_at = now
    row.submitted_by_wechat_user_id = acting.wechat_user_id
    row.on_behalf = acting.on_behalf
    row.binding_id = acting.binding_id
    row.recorded_by_staff_id = None
    row.submit_request_id = request_id
    try:
        records.claim(db, row, version)
    except Conflict:
        # Someone submitted at the same moment; if it was this same submission, answer with it.
        db.expire(row)
        fresh = records.reload(db, row)
        if _is_repeat(fresh, answers, request_id):
            return fresh
        raise
    db.add(row)
    records.log_contact(db, clock=clock, retiree=retiree, channel=ContactChannel.checkin.value)
    return row


def _is_repeat(
    row: CheckinSubmission, answers: CheckinDraft | None, request_id: str | None
) -> bool:
    if row.status != "submitted":
        return False
    if request_id and row.submit_request_id == request_id:
        return True
    if answers is None:
        return False
    stored = records.load_json(row.answers)
    sent = answers.model_dump(mode="json", exclude_unset=True)
    return all(stored.get(k) == v for k, v in sent.items())


def save_photo(
    db: Session, *, clock: Clock, acting: Acting, data: bytes, upload_dir: Path
) -> CheckinSubmission:
    uploads.check_photo(data)
    campaign = _open_campaign(db, clock, acting.retiree)
    row = records.get_or_create(db, clock=clock, campaign=campaign, retiree=acting.retiree)
    _check_editable(db, row, campaign, clock)
    row.photo_path = uploads.store_photo(upload_dir, "checkin", data)
    row.updated_at = clock.now()
    records.claim(db, row)
    db.add(row)
    return row


def photo_file(row: CheckinSubmission | None, upload_dir: Path) -> tuple[Path, str] | None:
    return uploads.photo_file(upload_dir, row.photo_path if row else None)
