"""What the access matrix needs for visits, on retiree A's side of the world: retiree A looked
after by staff1, one home visit with a follow-up, an open 住院 task, and a 春节 campaign of
第一军休所."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session

from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.core.clock import FrozenClock
from backend.visits import campaigns, plans, records, tasks
from backend.visits.schemas import AssignIn, CampaignIn, EventIn, EventKind, Festival, VisitIn

START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # the tests' clock


def seed_visits(db: Session, *, retiree_id: int, staff_id: int, unit_id: int) -> dict[str, int]:
    clock = FrozenClock(START)
    staff = db.get(StaffAccount, staff_id)
    scope = db.get(Unit, unit_id)
    retiree = db.get(Retiree, retiree_id)
    assert staff is not None and scope is not None and retiree is not None
    plans.assign(
        db,
        clock=clock,
        staff=staff,
        scope=scope,
        data=AssignIn(retiree_ids=[retiree_id], staff_id=staff_id),
    )
    visit = records.record(
        db,
        clock=clock,
        staff=staff,
        scope=scope,
        data=VisitIn(
            retiree_id=retiree_id,
            kind="上门",
            visitors="张干事",
            met="本人",
            follow_up="联系装扶手",
            follow_up_owner_id=staff_id,
            follow_up_due=date(2026, 3, 10),
        ),
    )
    task = tasks.report_event(
        db,
        clock=clock,
        retiree=retiree,
        reported_by="家属",
        data=EventIn(retiree_id=retiree_id, kind=EventKind.hospital),
    )
    campaign = campaigns.create(
        db,
        clock=clock,
        staff=staff,
        scope=scope,
        data=CampaignIn(
            festival=Festival.spring,
            unit_id=unit_id,
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 3, 15),
        ),
    )
    db.flush()
    follow_up = records.follow_ups(db, clock=clock, scope=scope).data[0]
    return {
        "visit_id": visit.id or 0,
        "follow_up_id": follow_up.id,
        "task_id": task.id or 0,
        "visit_campaign_id": campaign.id or 0,
    }
