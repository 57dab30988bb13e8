"""Ratings: one row per thing a retiree may rate. A domain offers the three buttons when the
thing is done (`invite`: a served meal, a completed ride, an attended activity); the retiree or
family with the right taps one (`rate_own`); a domain that rates on its own screen (activities,
cases) records directly (`record_rating`).

A second tap with the same answer changes nothing. A different answer replaces the first (a
big button pressed by mistake can be put right); the rating keeps the time it was first given,
so it stays in the period it was counted in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from backend.core.clock import Clock, to_local
from backend.core.db import insert_for
from backend.core.errors import NotFound
from backend.notices import service as notices_service
from backend.satisfaction.models import SatisfactionRating
from backend.satisfaction.schemas import (
    SOURCE_LABELS,
    RatingIn,
    RatingState,
    Score,
    Source,
)

NOTHING_TO_RATE = "没有找到要评价的事。请从订餐、用车或活动的详情里点“评价”。"
# What the three buttons of pages/rate answer; an activity is rated on its own page (its booking
# keeps the answer too), a case on the case's page, a survey by answering it.
OWN_BUTTONS = (Source.meal, Source.ride)
# How long an unanswered question stays on the list and in the detail pages.
ASK_FOR = timedelta(days=30)
_TABLE = SatisfactionRating.__table__  # type: ignore[attr-defined]


def page_for(source: str, source_id: int, retiree_id: int) -> str:
    return f"pages/rate/rate?source={source}&id={source_id}&retiree_id={retiree_id}"


def _ensure(
    db: Session,
    *,
    now: datetime,
    source: str,
    source_id: int,
    retiree_id: int,
    unit_id: int,
    label: str,
) -> bool:
    """The row for this (source, source_id, retiree), written once; True when written now."""
    statement = (
        insert_for(db, _TABLE)
        .values(
            source=source,
            source_id=source_id,
            retiree_id=retiree_id,
            unit_id=unit_id,
            label=label[:80],
            asked_at=now,
        )
        .on_conflict_do_nothing()
        .returning(_TABLE.c.id)
    )
    return db.execute(statement).scalar() is not None


def _row(db: Session, source: str, source_id: int, retiree_id: int) -> SatisfactionRating | None:
    return db.exec(
        select(SatisfactionRating).where(
            SatisfactionRating.source == source,
            SatisfactionRating.source_id == source_id,
            SatisfactionRating.retiree_id == retiree_id,
        )
    ).first()


def _notice_key(source: str, source_id: int, retiree_id: int, now: datetime) -> str:
    """Meals are daily: one 请评价 notice a week per retiree (every served order still shows
    the buttons on its detail). Everything else: one per thing."""
    if source == Source.meal:
        year, week, _ = to_local(now).isocalendar()
        return f"satisfaction:ask:meal:{retiree_id}:{year}-{week}"
    return f"satisfaction:ask:{source}:{source_id}:{retiree_id}"


def invite(
    db: Session,
    *,
    clock: Clock,
    source: Source,
    source_id: int,
    retiree_id: int,
    unit_id: int,
    label: str,
    notify: bool = True,
    link_page: str | None = None,
) -> bool:
    """The thing is done: offer the three buttons (once) and, with `notify`, put a short
    请评价 notice in the inbox that opens `link_page` (default: pages/rate for this thing).
    Called by the domain at its completion point; idempotent."""
    now = clock.now()
    created = _ensure(
        db,
        now=now,
        source=source.value,
        source_id=source_id,
        retiree_id=retiree_id,
        unit_id=unit_id,
        label=label,
    )
    if created and notify:
        what = SOURCE_LABELS[source]
        notices_service.notify(
            db,
            clock=clock,
            retiree_id=retiree_id,
            title=f"请评价：{label}"[:60],
            body=f"{label}，您满意吗？点开这条消息，按一下“满意”“基本满意”或“不满意”就行。"
            f"您的意见帮我们把{what}办得更好。",
            dedupe_key=_notice_key(source.value, source_id, retiree_id, now),
            link_page=link_page or page_for(source.value, source_id, retiree_id),
        )
    return created


@dataclass(frozen=True)
class Ask:
    """One thing to offer the buttons for (invite_many)."""

    source_id: int
    retiree_id: int
    unit_id: int
    label: str
    link_page: str | None = None  # default: pages/rate for this thing


def invite_many(db: Session, *, clock: Clock, source: Source, asks: list[Ask]) -> int:
    """invite() for a batch (a job that finds many served meals): one query for what was
    already offered, then only the new ones. Returns how many were new."""
    if not asks:
        return 0
    offered = set(
        db.exec(
            select(SatisfactionRating.source_id, SatisfactionRating.retiree_id).where(
                SatisfactionRating.source == source.value,
                col(SatisfactionRating.source_id).in_(sorted({a.source_id for a in asks})),
            )
        ).all()
    )
    new = 0
    for ask in asks:
        if (ask.source_id, ask.retiree_id) in offered:
            continue
        new += invite(
            db,
            clock=clock,
            source=source,
            source_id=ask.source_id,
            retiree_id=ask.retiree_id,
            unit_id=ask.unit_id,
            label=ask.label,
            link_page=ask.link_page,
        )
    return new


def record_rating(
    db: Session,
    *,
    clock: Clock,
    source: Source,
    source_id: int,
    retiree_id: int,
    unit_id: int,
    score: Score,
    comment: str | None,
    by: str,
    label: str = "",
) -> SatisfactionRating:
    """Record (or correct) one rating. Idempotent per (source, source_id, retiree)."""
    now = clock.now()
    _ensure(
        db,
        now=now,
        source=source.value,
        source_id=source_id,
        retiree_id=retiree_id,
        unit_id=unit_id,
        label=label,
    )
    row = db.exec(
        select(SatisfactionRating)
        .where(
            SatisfactionRating.source == source.value,
            SatisfactionRating.source_id == source_id,
            SatisfactionRating.retiree_id == retiree_id,
        )
        .with_for_update()
    ).one()
    text = (comment or "").strip()[:300] or None
    if row.score == score.value and row.comment == text:
        return row
    if row.rated_at is None:
        row.rated_at = now
    row.score = score.value
    row.comment = text
    row.rated_by = by
    row.updated_at = now
    db.add(row)
    db.flush()
    return row


def rate_own(db: Session, *, clock: Clock, data: RatingIn, by: str) -> SatisfactionRating:
    """The mini-program's three buttons: only for something this retiree was asked about."""
    row = _row(db, data.source.value, data.source_id, data.retiree_id)
    if row is None or data.source not in OWN_BUTTONS:
        raise NotFound(NOTHING_TO_RATE, code="nothing_to_rate")
    return record_rating(
        db,
        clock=clock,
        source=data.source,
        source_id=data.source_id,
        retiree_id=data.retiree_id,
        unit_id=row.unit_id,
        score=data.score,
        comment=data.comment,
        by=by,
    )


def to_state(row: SatisfactionRating) -> RatingState:
    return RatingState(
        source=row.source,
        source_label=SOURCE_LABELS.get(row.source, row.source),
        source_id=row.source_id,
        retiree_id=row.retiree_id,
        label=row.label,
        asked_at=row.asked_at,
        score=row.score,
        comment=row.comment,
        rated_at=row.rated_at,
    )


def state(db: Session, *, source: Source, source_id: int, retiree_id: int) -> RatingState:
    row = _row(db, source.value, source_id, retiree_id)
    if row is None:
        raise NotFound(NOTHING_TO_RATE, code="nothing_to_rate")
    return to_state(row)


def states_of(
    db: Session, *, source: Source, source_ids: list[int], retiree_id: int
) -> dict[int, RatingState]:
    """For a list page (a retiree's orders or rides): each thing's rating state, one query."""
    if not source_ids:
        return {}
    rows = db.exec(
        select(SatisfactionRating).where(
            SatisfactionRating.source == source.value,
            col(SatisfactionRating.source_id).in_(source_ids),
            SatisfactionRating.retiree_id == retiree_id,
        )
    ).all()
    return {r.source_id: to_state(r) for r in rows}


def pending(db: Session, *, clock: Clock, retiree_id: int) -> list[RatingState]:
    """What this retiree was asked about in the last 30 days and has not rated, newest first."""
    rows = db.exec(
        select(SatisfactionRating)
        .where(
            SatisfactionRating.retiree_id == retiree_id,
            col(SatisfactionRating.score).is_(None),
            SatisfactionRating.asked_at >= clock.now() - ASK_FOR,
        )
        .order_by(col(SatisfactionRating.asked_at).desc(), col(SatisfactionRating.id).desc())
        .limit(50)
    ).all()
    return [to_state(r) for r in rows]
