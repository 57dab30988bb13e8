"""What both doors show: a campaign's public shape, stored answers as the words staff read,
and two years' answers compared."""

from __future__ import annotations

from datetime import date
from typing import Any

from backend.checkin.campaigns import is_open
from backend.checkin.models import CheckinCampaign
from backend.checkin.schemas import FIELD_LABELS, CampaignPublic
from backend.core.actors import persisted_id

# Fields compared for "unchanged since last year" and shown side by side (the photo is not).
COMPARED = [f for f in FIELD_LABELS if f != "photo"]


def show(field: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if field == "trips_abroad" and isinstance(value, list):
        parts = []
        for trip in value:
            flag = "已审批或报备" if trip.get("approved") else "未审批或报备"
            dates = f"{trip.get('start_date')}至{trip.get('end_date')}"
            parts.append(f"{trip.get('destination')} {dates}（{flag}）")
        return "；".join(parts)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def _norm(field: str, value: Any) -> Any:
    if value in (None, "", []):
        return None
    if field == "new_address" and isinstance(value, str):
        return value.strip()
    return value


def same(field: str, a: dict[str, Any], b: dict[str, Any]) -> bool:
    return _norm(field, a.get(field)) == _norm(field, b.get(field))


def nothing_new(answers: dict[str, Any], phone_on_record: str | None) -> bool:
    """With no last year to compare: nothing to report and the phone is the one on record."""
    quiet = ["trips_abroad", "awards", "discipline", "marriage_change", "household_change"]
    return (
        answers.get("same_address") is True
        and (answers.get("phone") or None) == (phone_on_record or None)
        and all(_norm(f, answers.get(f)) is None for f in quiet)
        and not answers.get("care_needs")
    )


def unchanged(
    answers: dict[str, Any], last_year: dict[str, Any] | None, phone_on_record: str | None
) -> bool:
    if last_year:
        return all(same(f, answers, last_year) for f in COMPARED) and not answers.get(
            "trips_abroad"
        )
    return nothing_new(answers, phone_on_record)


def to_public(campaign: CheckinCampaign, today: date) -> CampaignPublic:
    return CampaignPublic(
        id=persisted_id(campaign),
        year=campaign.year,
        unit_id=campaign.unit_id,
        opens_on=campaign.opens_on,
        closes_on=campaign.closes_on,
        is_open=is_open(campaign, today),
    )
