"""Festival visit campaigns (mva 第九条: 八一建军节、春节等重大节日走访慰问; sx 5.3.4): open one for
a unit subtree and a date range; coverage per unit (visited / not yet) and an .xlsx export. Any
visit recorded inside the range counts, whether or not it named the campaign."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlmodel import Session, col, select

from backend.accounts import audit, directory
from backend.accounts.models import StaffAccount, Unit
from backend.accounts.scope import get_scoped, unit_in
from backend.core.clock import Clock, local_at, to_local
from backend.core.errors import BadRequest
from backend.core.xlsx import Book
from backend.visits.models import VisitCampaign, VisitRecord
from backend.visits.plans import LIVING
from backend.visits.schemas import (
    CampaignIn,
    CampaignOut,
    CampaignsOut,
    CoverageOut,
    CoveragePerson,
    CoverageUnit,
)


def create(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, data: CampaignIn
) -> VisitCampaign:
    unit = get_scoped(
        db, Unit, data.unit_id, scope, refuse=BadRequest, missing="所属单位不对，请从列表里选择。"
    )
    title = (data.title or "").strip() or f"{data.starts_on.year}年{data.festival.value}走访慰问"
    campaign = VisitCampaign(
        unit_id=unit.id or 0,
        festival=data.festival.value,
        title=title,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        created_by_staff_id=staff.id or 0,
        created_at=clock.now(),
    )
    db.add(campaign)
    db.flush()
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="visit.campaign",
        entity="visit_campaign",
        entity_id=campaign.id,
        unit_id=unit.id,
        after={
            "title": title,
            "starts_on": data.starts_on.isoformat(),
            "ends_on": data.ends_on.isoformat(),
        },
    )
    return campaign


def _visits_in(db: Session, campaign: VisitCampaign, top: Unit) -> dict[int, tuple[date, str]]:
    start = local_at(campaign.starts_on, time(0))
    end = local_at(campaign.ends_on + timedelta(days=1), time(0))
    rows = db.exec(
        select(VisitRecord.retiree_id, VisitRecord.visited_at, VisitRecord.kind)
        .where(
            col(VisitRecord.retiree_id).in_(directory.ids_under(top, statuses=LIVING)),
            col(VisitRecord.visited_at) >= start,
            col(VisitRecord.visited_at) < end,
        )
        .order_by(col(VisitRecord.visited_at))
    ).all()
    first: dict[int, tuple[date, str]] = {}
    for rid, at, kind in rows:
        first.setdefault(rid, (to_local(at).date(), kind))
    return first


def coverage(db: Session, *, scope: Unit, campaign_id: int) -> CoverageOut:
    campaign = get_scoped(db, VisitCampaign, campaign_id, scope)
    top = directory.unit(db, campaign.unit_id)
    assert top is not None
    people = directory.people_under(db, top, statuses=LIVING)
    visited = _visits_in(db, campaign, top)
    units: dict[int, CoverageUnit] = {}
    for p in people:
        group = units.setdefault(
            p.unit_id,
            CoverageUnit(unit_id=p.unit_id, unit_name=p.unit_name, total=0, visited=0, people=[]),
        )
        seen = visited.get(p.id)
        group.total += 1
        group.visited += seen is not None
        group.people.append(
            CoveragePerson(
                retiree_id=p.id,
                retiree_name=p.name,
                visited_on=seen[0] if seen else None,
                kind=seen[1] if seen else None,
            )
        )
    for group in units.values():
        group.people.sort(key=lambda c: (c.visited_on is not None, c.retiree_name))
    out = _out(campaign, top.name, len(people), len(visited))
    return CoverageOut(campaign=out, units=list(units.values()))


def _out(c: VisitCampaign, unit_name: str, total: int, visited: int) -> CampaignOut:
    return CampaignOut(
        id=c.id or 0,
        festival=c.festival,
        title=c.title,
        unit_id=c.unit_id,
        unit_name=unit_name,
        starts_on=c.starts_on,
        ends_on=c.ends_on,
        total=total,
        visited=visited,
    )


def list_in_scope(db: Session, *, scope: Unit) -> CampaignsOut:
    rows = db.exec(
        select(VisitCampaign)
        .where(unit_in(VisitCampaign.unit_id, scope))
        .order_by(col(VisitCampaign.starts_on).desc(), col(VisitCampaign.id).desc())
        .limit(50)
    ).all()
    data = []
    for c in rows:
        top = directory.unit(db, c.unit_id)
        assert top is not None
        total = len(directory.people_under(db, top, statuses=LIVING))
        data.append(_out(c, top.name, total, len(_visits_in(db, c, top))))
    return CampaignsOut(data=data, count=len(data))


def export(db: Session, *, scope: Unit, campaign_id: int) -> tuple[str, bytes]:
    result = coverage(db, scope=scope, campaign_id=campaign_id)
    c = result.campaign
    book = Book("走访情况")
    sheet = book.first
    sheet.bold(sheet.append([c.title]))
    sheet.append(
        [
            f"{c.starts_on.isoformat()} 至 {c.ends_on.isoformat()}",
            f"应走访 {c.total} 人",
            f"已走访 {c.visited} 人",
        ]
    )
    sheet.bold(sheet.append(["单位", "姓名", "是否已走访", "走访日期", "方式"]))
    for unit in result.units:
        for p in unit.people:
            sheet.append(
                [
                    unit.unit_name,
                    p.retiree_name,
                    "已走访" if p.visited_on else "未走访",
                    p.visited_on.isoformat() if p.visited_on else "",
                    p.kind or "",
                ]
            )
    sheet.widths([18, 10, 10, 12, 8])
    summary = book.add_sheet("各单位")
    summary.bold(summary.append(["单位", "应走访", "已走访", "未走访"]))
    for unit in result.units:
        summary.append([unit.unit_name, unit.total, unit.visited, unit.total - unit.visited])
    return f"visit-campaign-{c.id}.xlsx", book.to_bytes()
