"""Demo visits: one staff member looks after the first institute's retirees; a few visits in the
past weeks (some monthly ones now overdue), a follow-up, a hospital stay reported by family, and
the coming festival's visit campaign — so 我的走访 shows a list at once."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.core.clock import Clock, FrozenClock, local_today
from backend.visits import campaigns, plans, records, tasks
from backend.visits.schemas import (
    AssignIn,
    CampaignIn,
    EventIn,
    EventKind,
    Festival,
    VisitIn,
    VisitKind,
)


def _festivals(today: date) -> list[tuple[Festival, date, date]]:
    """The festival just past (when its visits can still be on record) and the next one:
    春节 (about late January), 八一, 重阳 (about late October)."""
    windows = [
        (festival, date(year + dy, m1, d1), date(year + dy, m2, d2))
        for year in (today.year - 1, today.year)
        for festival, dy, m1, d1, m2, d2 in (
            (Festival.spring, 1, 1, 20, 2, 10),
            (Festival.army_day, 0, 7, 25, 8, 5),
            (Festival.double_ninth, 0, 10, 15, 10, 31),
        )
    ]
    windows.sort(key=lambda w: w[1])
    past = [w for w in windows if w[2] < today and (today - w[1]).days <= 60]
    coming = [w for w in windows if w[2] >= today]
    return past[-1:] + coming[:1]


def load(
    db: Session, *, clock: Clock, staff: StaffAccount, unit: Unit, retirees: list[Retiree]
) -> None:
    ids = [r.id or 0 for r in retirees]
    if not ids:
        return
    plans.assign(
        db,
        clock=clock,
        staff=staff,
        scope=unit,
        data=AssignIn(retiree_ids=ids, staff_id=staff.id or 0),
    )
    now = clock.now()
    for days, retiree in zip((40, 25, 10, 3), retirees[:4], strict=False):
        past = FrozenClock(now - timedelta(days=days))
        visit = records.record(
            db,
            clock=past,
            staff=staff,
            scope=unit,
            data=VisitIn(
                retiree_id=retiree.id or 0,
                kind=VisitKind.home if days != 25 else VisitKind.phone,
                visitors=staff.display_name,
                met="本人和老伴",
                health="精神不错，腿脚不太方便" if days == 10 else "身体还好",
                mood="心情好",
                needs="想在卫生间装个扶手" if days == 10 else None,
            ),
        )
        if days == 10:
            records.add_follow_up(
                db,
                clock=clock,
                staff=staff,
                scope=unit,
                visit=visit,
                data=records.FollowUpIn(
                    text="联系社区给卫生间装扶手",
                    owner_staff_id=staff.id or 0,
                    due_on=local_today(clock) + timedelta(days=5),
                ),
            )
    if len(retirees) > 4:
        tasks.report_event(
            db,
            clock=clock,
            retiree=retirees[4],
            reported_by="家属",
            data=EventIn(
                retiree_id=retirees[4].id or 0,
                kind=EventKind.hospital,
                detail="肺炎住院，在人民医院",
            ),
        )
    for festival, start, end in _festivals(local_today(clock)):
        campaigns.create(
            db,
            clock=clock,
            staff=staff,
            scope=unit,
            data=CampaignIn(festival=festival, unit_id=unit.id or 0, starts_on=start, ends_on=end),
        )
