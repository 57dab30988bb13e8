"""What the access matrix needs for satisfaction, on retiree A's side: a completed-ride rating
offered to retiree A, an open survey of 第一军休所 sent to everyone there, and a draft."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session

from backend.accounts.models import StaffAccount, Unit
from backend.core.clock import FrozenClock
from backend.notices.schemas import Audience
from backend.satisfaction import service, surveys
from backend.satisfaction.schemas import QuestionIn, QuestionKind, Source, SurveyIn

START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # the tests' clock
RIDE_ID = 4242


def seed_satisfaction(
    db: Session, *, retiree_id: int, staff_id: int, unit_id: int, station_id: int
) -> dict[str, int]:
    clock = FrozenClock(START)
    staff = db.get(StaffAccount, staff_id)
    scope = db.get(Unit, unit_id)
    assert staff is not None and scope is not None
    service.invite(
        db,
        clock=clock,
        source=Source.ride,
        source_id=RIDE_ID,
        retiree_id=retiree_id,
        unit_id=station_id,
        label="3月2日的用车",
        notify=False,
    )
    data = SurveyIn(
        title="满意度调查",
        questions=[QuestionIn(kind=QuestionKind.satisfaction, text="满意吗？")],
        closes_at=datetime(2026, 3, 31, 10, 0, tzinfo=UTC),
        audience=Audience(everyone=True),
    )
    sent = surveys.create(db, clock=clock, staff=staff, scope=scope, data=data)
    surveys.send(db, clock=clock, staff=staff, scope=scope, survey=sent)
    draft = surveys.create(db, clock=clock, staff=staff, scope=scope, data=data)
    return {"survey_id": sent.id or 0, "draft_survey_id": draft.id or 0}
