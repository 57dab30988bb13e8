"""Pauses of 报平安: away (外出, with dates) and hospital stays (住院, open until discharge).
A paused day gets no reminder and no message to anyone."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import ColumnElement, exists, or_
from sqlmodel import Session, col, select

from backend.core.actors import Actor
from backend.core.clock import Clock, local_today
from backend.core.errors import BadRequest, NotFound
from backend.safecheck.models import SafecheckPause
from backend.safecheck.schemas import PauseKind, PausePublic, PauseSettings

LONGEST_AWAY = timedelta(days=92)
MISSING = "没有找到这次暂停。"


def covering(retiree_id: object, day: date) -> ColumnElement[bool]:
    """SQL: a live pause of this retiree (a column or a value) covers this Shanghai day."""
    return exists().where(
        col(SafecheckPause.retiree_id) == retiree_id,
        col(SafecheckPause.cancelled_at).is_(None),
        col(SafecheckPause.starts_on) <= day,
        or_(col(SafecheckPause.ends_on).is_(None), col(SafecheckPause.ends_on) >= day),
    )


def _text(p: SafecheckPause) -> str:
    start = f"{p.starts_on.month}月{p.starts_on.day}日"
    if p.ends_on is None:
        return f"{p.kind}：从{start}起，出院后恢复"
    return f"{p.kind}：{start}到{p.ends_on.month}月{p.ends_on.day}日"


def listed(db: Session, *, retiree_id: int, today: date) -> list[PausePublic]:
    """The pauses now and to come, soonest first."""
    rows = db.exec(
        select(SafecheckPause)
        .where(
            SafecheckPause.retiree_id == retiree_id,
            col(SafecheckPause.cancelled_at).is_(None),
            or_(col(SafecheckPause.ends_on).is_(None), col(SafecheckPause.ends_on) >= today),
        )
        .order_by(col(SafecheckPause.starts_on), col(SafecheckPause.id))
    ).all()
    return [
        PausePublic(
            id=p.id or 0,
            kind=p.kind,
            starts_on=p.starts_on,
            ends_on=p.ends_on,
            text=_text(p),
            current=p.starts_on <= today,
        )
        for p in rows
    ]


def add(
    db: Session, *, clock: Clock, retiree_id: int, data: PauseSettings, actor: Actor
) -> SafecheckPause:
    today = local_today(clock)
    if data.starts_on < today:
        raise BadRequest("开始的日子已经过去了，请从今天或以后选。", code="pause_in_past")
    if data.ends_on is not None and data.ends_on < data.starts_on:
        raise BadRequest("结束的日子要在开始的日子之后。", code="pause_dates")
    if data.kind == PauseKind.away:
        if data.ends_on is None:
            raise BadRequest("外出请选好回来的日子。", code="pause_needs_end")
        if data.ends_on - data.starts_on > LONGEST_AWAY:
            raise BadRequest("外出最长暂停3个月。时间更长，请告诉所里的工作人员。")
    pause = SafecheckPause(
        retiree_id=retiree_id,
        kind=data.kind.value,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        created_by=actor.label,
        created_at=clock.now(),
    )
    db.add(pause)
    db.flush()
    return pause


def end(db: Session, *, clock: Clock, retiree_id: int, pause_id: int) -> SafecheckPause:
    """Back home: a pause not yet begun is dropped; one under way ends today, so the checks
    start again tomorrow (not within the hour of coming home)."""
    pause = db.get(SafecheckPause, pause_id)
    if pause is None or pause.retiree_id != retiree_id or pause.cancelled_at is not None:
        raise NotFound(MISSING)
    today = local_today(clock)
    if pause.starts_on > today:
        pause.cancelled_at = clock.now()
    elif pause.ends_on is None or pause.ends_on > today:
        pause.ends_on = today
    else:
        raise BadRequest("这次暂停已经结束了。", code="pause_over")
    db.add(pause)
    db.flush()
    return pause


def hospital_admitted(
    db: Session, *, clock: Clock, retiree_id: int, on: date, actor: Actor
) -> SafecheckPause | None:
    """A hospital stay reported elsewhere (a visit record): pause from that day until discharge.
    None when one is already open."""
    already = db.exec(
        select(SafecheckPause.id).where(
            SafecheckPause.retiree_id == retiree_id,
            SafecheckPause.kind == PauseKind.hospital.value,
            col(SafecheckPause.cancelled_at).is_(None),
            col(SafecheckPause.ends_on).is_(None),
        )
    ).first()
    if already is not None:
        return None
    data = PauseSettings(kind=PauseKind.hospital, starts_on=max(on, local_today(clock)))
    return add(db, clock=clock, retiree_id=retiree_id, data=data, actor=actor)
