"""Figures of the check-in domain for the monthly sheet, per unit, for [start, end):

- contacts: contacts recorded (Jilin 第十五条: every retiree once a month); contacted: how many
  different retirees they reached;
- lost_open: 失联 cases open at the end of the period; lost_new: cases opened in it;
- checkin_submitted / checkin_approved: the year's check-in (the year `start` falls in, Shanghai)
  submitted / approved by the end of the period; checkin_total: retirees on the roll.

Four queries whatever the number of units, each a GROUP BY on the unit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, or_
from sqlmodel import Session, col, func, select

from backend.accounts import stats as accounts_stats
from backend.checkin.models import CheckinCampaign, CheckinSubmission, ContactLog, LostContactCase
from backend.core.clock import to_local
from backend.core.figures import Figures, fold


def _count_if(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


def monthly_figures(db: Session, *, unit_ids: list[int], start: datetime, end: datetime) -> Figures:
    if not unit_ids:
        return {}
    result = fold(
        db.execute(
            select(
                ContactLog.unit_id,
                func.count(),
                func.count(func.distinct(ContactLog.retiree_id)),
            )
            .where(
                col(ContactLog.unit_id).in_(unit_ids),
                col(ContactLog.at) >= start,
                col(ContactLog.at) < end,
            )
            .group_by(col(ContactLog.unit_id))
        ).all(),
        ["contacts", "contacted"],
    )
    closed_at = col(LostContactCase.closed_at)
    fold(
        db.execute(
            select(
                col(LostContactCase.unit_id),
                _count_if(or_(closed_at.is_(None), closed_at >= end)),
                _count_if(col(LostContactCase.opened_at) >= start),
            )
            .where(
                col(LostContactCase.unit_id).in_(unit_ids),
                col(LostContactCase.opened_at) < end,
                or_(closed_at.is_(None), closed_at >= start),
            )
            .group_by(col(LostContactCase.unit_id))
        ).all(),
        ["lost_open", "lost_new"],
        into=result,
    )
    submitted_at = col(CheckinSubmission.submitted_at)
    fold(
        db.execute(
            select(
                col(CheckinSubmission.unit_id),
                _count_if(submitted_at.is_not(None) & (submitted_at < end)),
                _count_if(
                    (col(CheckinSubmission.status) == "approved")
                    & (col(CheckinSubmission.reviewed_at) < end)
                ),
            )
            .join(CheckinCampaign, col(CheckinCampaign.id) == col(CheckinSubmission.campaign_id))
            .where(
                col(CheckinSubmission.unit_id).in_(unit_ids),
                CheckinCampaign.year == to_local(start).year,
            )
            .group_by(col(CheckinSubmission.unit_id))
        ).all(),
        ["checkin_submitted", "checkin_approved"],
        into=result,
    )
    for unit_id, figures in accounts_stats.on_roll(db, unit_ids).items():
        result.setdefault(unit_id, {})["checkin_total"] = figures["retirees"]
    return result
