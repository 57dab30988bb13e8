"""Check-in campaigns: the yearly window for a unit subtree, and who must check in.

A campaign covers every 在册 retiree in its unit's subtree at the moment of asking, so a retiree
added to the roster mid-campaign is included without any extra step."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select
from sqlmodel import Session, col, select

from backend.accounts import audit, directory, units
from backend.accounts.directory import Person
from backend.accounts.enums import RetireeStatus
from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.accounts.scope import (
    above_or_below,
    ancestor_ids,
    contains,
    get_scoped,
)
from backend.checkin.models import CheckinCampaign
from backend.checkin.schemas import CampaignIn
from backend.core.actors import persisted_id
from backend.core.clock import Clock, local_today
from backend.core.errors import BadRequest, Conflict, NotFound


def is_open(campaign: CheckinCampaign, today: date) -> bool:
    return campaign.opens_on <= today <= campaign.closes_on


def create(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, data: CampaignIn
) -> CheckinCampaign:
    unit = get_scoped(db, Unit, data.unit_id, scope) if data.unit_id else scope
    opens_on = data.opens_on or date(data.year, 1, 1)
    closes_on = data.closes_on or date(data.year, 3, 31)
    if closes_on < opens_on:
        raise BadRequest("截止日期不能早于开始日期。")
    if opens_on.year != data.year:
        raise BadRequest(f"开始日期应在{data.year}年内。")
    overlapping = db.exec(
        select(CheckinCampaign).where(
            CheckinCampaign.year == data.year, above_or_below(CheckinCampaign.unit_id, unit)
        )
    ).first()
    if overlapping is not None:
        raise Conflict(
            f"{data.year}年的年度登记在本单位（或上级、下级单位）已经开过了，不用再开。",
            code="campaign_exists",
        )
    now = clock.now()
    campaign = CheckinCampaign(
        year=data.year,
        unit_id=persisted_id(unit),
        opens_on=opens_on,
        closes_on=closes_on,
        created_by_staff_id=persisted_id(staff),
        created_at=now,
        updated_at=now,
    )
    db.add(campaign)
    db.flush()
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="checkin_campaign.create",
        entity="checkin_campaign",
        entity_id=campaign.id,
        unit_id=campaign.unit_id,
        after={"year": data.year, "opens_on": opens_on, "closes_on": closes_on},
    )
    return campaign


def may_extend(campaign: CheckinCampaign, root: Unit) -> bool:
    """Only the unit that opened a campaign (or a unit above it) moves its deadline: staff of a
    军休所 see the centre's campaign for their own part, but may not extend it for everyone."""
    return root.id == campaign.unit_id


def extend(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    campaign_id: int,
    closes_on: date,
) -> CheckinCampaign:
    campaign, root = get_in_scope(db, campaign_id, scope)
    if not may_extend(campaign, root):
        raise NotFound("只有开启这次登记的单位可以延长。")
    if closes_on <= campaign.closes_on:
        raise BadRequest("延长后的截止日期要晚于现在的截止日期。")
    if closes_on < local_today(clock):
        raise BadRequest("截止日期不能早于今天。")
    before = {"closes_on": campaign.closes_on}
    campaign.closes_on = closes_on
    campaign.updated_at = clock.now()
    db.add(campaign)
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="checkin_campaign.extend",
        entity="checkin_campaign",
        entity_id=campaign.id,
        unit_id=campaign.unit_id,
        before=before,
        after={"closes_on": closes_on},
    )
    return campaign


def visible_root(db: Session, campaign: CheckinCampaign, scope: Unit) -> Unit:
    """The part of a campaign a staff member works on: the deeper of the campaign's unit and
    the staff member's own. Staff of an unrelated unit get 404."""
    unit = units.get_unit(db, campaign.unit_id)
    if contains(scope, unit):
        return unit
    if contains(unit, scope):
        return scope
    raise NotFound("没有找到这次年度登记。")


def find(db: Session, campaign_id: int) -> CheckinCampaign | None:
    return db.get(CheckinCampaign, campaign_id)


def get_in_scope(db: Session, campaign_id: int, scope: Unit) -> tuple[CheckinCampaign, Unit]:
    campaign = db.get(CheckinCampaign, campaign_id)
    if campaign is None:
        raise NotFound("没有找到这次年度登记。")
    return campaign, visible_root(db, campaign, scope)


def list_in_scope(db: Session, scope: Unit) -> list[CheckinCampaign]:
    rows = db.exec(
        select(CheckinCampaign)
        .where(above_or_below(CheckinCampaign.unit_id, scope))
        .order_by(col(CheckinCampaign.year).desc(), col(CheckinCampaign.id))
    ).all()
    return list(rows)


def for_retiree(db: Session, retiree: Retiree, today: date) -> CheckinCampaign | None:
    """The campaign this retiree answers to now: the latest one covering their unit that has
    opened."""
    unit = units.get_unit(db, retiree.unit_id)
    return db.exec(
        select(CheckinCampaign)
        .where(
            col(CheckinCampaign.unit_id).in_(ancestor_ids(unit)),
            CheckinCampaign.opens_on <= today,
        )
        .order_by(col(CheckinCampaign.year).desc())
    ).first()


def previous_year(db: Session, campaign: CheckinCampaign) -> list[int]:
    """Ids of last year's campaigns that overlap this one's units."""
    unit = units.get_unit(db, campaign.unit_id)
    rows = db.exec(
        select(CheckinCampaign.id).where(
            CheckinCampaign.year == campaign.year - 1,
            above_or_below(CheckinCampaign.unit_id, unit),
        )
    ).all()
    return [r for r in rows if r is not None]


# Who must check in: 在册 retirees (in the campaign's subtree, or the part a staff member sees).
ELIGIBLE = (RetireeStatus.active,)


def eligible(db: Session, root: Unit, *, care_flag: str | None = None) -> list[Person]:
    """The retirees who must check in under `root`, by unit (tree order) then name."""
    return directory.people_under(db, root, statuses=ELIGIBLE, care_flag=care_flag)


def eligible_ids(root: Unit, *, care_flag: str | None = None) -> Select[Any]:
    """SQL: the ids of the same retirees, to filter check-in rows with."""
    return directory.ids_under(root, statuses=ELIGIBLE, care_flag=care_flag)
