"""Subscribe-message consents: each tap on "允许" allows one message; they add up."""

from __future__ import annotations

from sqlalchemy import update as sa_update
from sqlmodel import Session, col, select

from backend.core.clock import Clock
from backend.notices.models import SubscriptionBalance


def _row(db: Session, user_id: int, template_key: str) -> SubscriptionBalance | None:
    return db.exec(
        select(SubscriptionBalance).where(
            SubscriptionBalance.wechat_user_id == user_id,
            SubscriptionBalance.template_key == template_key,
        )
    ).first()


def add(db: Session, *, clock: Clock, user_id: int, template_key: str, count: int = 1) -> int:
    row = _row(db, user_id, template_key)
    if row is None:
        row = SubscriptionBalance(
            wechat_user_id=user_id,
            template_key=template_key,
            remaining=0,
            updated_at=clock.now(),
        )
    row.remaining += count
    row.updated_at = clock.now()
    db.add(row)
    db.flush()
    return row.remaining


def spend(db: Session, *, user_id: int, template_key: str) -> bool:
    """Take one consent atomically; False when none is left (then WeChat is not called)."""
    result = db.execute(
        sa_update(SubscriptionBalance)
        .where(
            col(SubscriptionBalance.wechat_user_id) == user_id,
            col(SubscriptionBalance.template_key) == template_key,
            col(SubscriptionBalance.remaining) > 0,
        )
        .values(remaining=SubscriptionBalance.remaining - 1)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def refund(db: Session, *, user_id: int, template_key: str) -> None:
    db.execute(
        sa_update(SubscriptionBalance)
        .where(
            col(SubscriptionBalance.wechat_user_id) == user_id,
            col(SubscriptionBalance.template_key) == template_key,
        )
        .values(remaining=SubscriptionBalance.remaining + 1)
        .execution_options(synchronize_session=False)
    )


def clear(db: Session, *, user_id: int, template_key: str) -> None:
    """WeChat said 43101: it has no consent for this user, whatever we counted."""
    db.execute(
        sa_update(SubscriptionBalance)
        .where(
            col(SubscriptionBalance.wechat_user_id) == user_id,
            col(SubscriptionBalance.template_key) == template_key,
        )
        .values(remaining=0)
        .execution_options(synchronize_session=False)
    )


def balances(db: Session, *, user_id: int) -> dict[str, int]:
    rows = db.exec(
        select(SubscriptionBalance).where(SubscriptionBalance.wechat_user_id == user_id)
    ).all()
    return {r.template_key: r.remaining for r in rows}
