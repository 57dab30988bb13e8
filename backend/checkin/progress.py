"""The progress dashboard: per unit, how many retirees are at each status, and the export."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import Session

from backend.accounts.models import Unit
from backend.checkin import campaigns, records, views
from backend.checkin.models import CheckinCampaign
from backend.checkin.schemas import STATUS_LABELS, Progress, UnitProgress
from backend.core.actors import persisted_id
from backend.core.clock import Clock, format_local, local_today
from backend.core.xlsx import Book

CODES = ["none", "submitted", "returned", "talk", "approved"]


def _status_rows(
    db: Session, campaign: CheckinCampaign, root: Unit
) -> list[tuple[int, str, int, str, str | None]]:
    """(unit id, unit name, retiree id, name, submission status or None) for everyone who must
    check in under `root`."""
    people = campaigns.eligible(db, root)
    statuses = records.statuses_of(db, persisted_id(campaign), campaigns.eligible_ids(root))
    return [(p.unit_id, p.unit_name, p.id, p.name, statuses.get(p.id)) for p in people]


def _code(status: str | None) -> str:
    return "none" if status in (None, "draft") else status


def build(db: Session, *, clock: Clock, campaign: CheckinCampaign, root: Unit) -> Progress:
    today = local_today(clock)
    per_unit: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(CODES, 0))
    names: dict[int, str] = {}
    overdue = 0
    past_deadline = today > campaign.closes_on
    for unit_id, unit_name, _rid, _name, status in _status_rows(db, campaign, root):
        code = _code(status)
        per_unit[unit_id][code] += 1
        names[unit_id] = unit_name
        if past_deadline and code in ("none", "returned"):
            overdue += 1
    units = [_unit_progress(uid, names[uid], counts) for uid, counts in per_unit.items()]
    units.sort(key=lambda u: u.unit_name)
    total_counts = dict.fromkeys(CODES, 0)
    for counts in per_unit.values():
        for k, v in counts.items():
            total_counts[k] += v
    return Progress(
        campaign=views.to_public(campaign, today),
        units=units,
        total=_unit_progress(persisted_id(root), f"合计（{root.name}）", total_counts),
        overdue=overdue,
    )


def _unit_progress(unit_id: int, name: str, counts: dict[str, int]) -> UnitProgress:
    eligible = sum(counts.values())
    done = counts.get("approved", 0)
    return UnitProgress(
        unit_id=unit_id,
        unit_name=name,
        eligible=eligible,
        counts={STATUS_LABELS[k].value: v for k, v in counts.items()},
        done_percent=round(100 * done / eligible, 1) if eligible else 0.0,
    )


def export_xlsx(db: Session, *, clock: Clock, campaign: CheckinCampaign, root: Unit) -> bytes:
    people = campaigns.eligible(db, root)  # by unit (tree order), then name
    rows = records.of_campaign(db, persisted_id(campaign), campaigns.eligible_ids(root))
    book = Book(f"{campaign.year}年度登记")
    sheet = book.first
    sheet.append(["单位", "姓名", "状态", "方式", "家人代办", "提交时间", "审核时间"])
    for person in people:
        row = rows.get(person.id)
        code = _code(row.status if row else None)
        sheet.append(
            [
                person.unit_name,
                person.name,
                STATUS_LABELS[code].value,
                row.channel if row and row.submitted_at else "",
                "是" if row and row.on_behalf else "",
                format_local(row.submitted_at) if row else "",
                format_local(row.reviewed_at) if row else "",
            ]
        )
    sheet.append([])
    sheet.append([f"导出时间：{format_local(clock.now())}"])
    return book.to_bytes()


def overdue_names(db: Session, *, campaign: CheckinCampaign, root: Unit) -> dict[int, list[str]]:
    """Unit id → names of retirees who have not finished (not submitted, or returned)."""
    result: dict[int, list[str]] = defaultdict(list)
    for unit_id, _unit_name, _rid, name, status in _status_rows(db, campaign, root):
        if _code(status) in ("none", "returned"):
            result[unit_id].append(name)
    return result
