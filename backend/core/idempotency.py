"""One-time keys for actions that create something: the JSON API's `Idempotency-Key` and the
console's form token are the same thing, stored here.

The first request with a key claims it (a unique row) and, when it succeeds, records its result
(the created thing's id or the page it led to). A repeat — a second tap, a retry after a slow
network, or the same form posted twice at once — gets that result back instead of acting again.
Two concurrent requests with one key cannot both act: the second one's claim waits on the unique
row until the first commits, then reads its result; if the first failed and rolled back, the
second goes ahead."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlalchemy import update as sa_update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col, select

from backend.core.actors import Actor
from backend.core.clock import Clock
from backend.core.types import UTCDateTime

KEY_MAX = 64


class IdempotencyRecord(SQLModel, table=True):
    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("owner", "key", name="uq_idempotency_owner_key"),)

    id: int | None = Field(default=None, primary_key=True)
    owner: str = Field(max_length=40)  # whose key: "staff:12"
    key: str = Field(max_length=KEY_MAX)
    result: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(sa_type=UTCDateTime)


def _earlier(db: Session, owner: str, key: str) -> IdempotencyRecord | None:
    return db.exec(
        select(IdempotencyRecord).where(
            IdempotencyRecord.owner == owner, IdempotencyRecord.key == key
        )
    ).first()


def claim(db: Session, *, clock: Clock, owner: str, key: str) -> str | None:
    """Take this key for a new action, in the caller's transaction.

    Returns None when the caller should act, or the result an earlier request with the same
    key recorded (the caller returns it instead of acting again)."""
    key = key[:KEY_MAX]
    row = _earlier(db, owner, key)
    if row is not None:
        return row.result or None  # empty: the earlier try did not finish; act again
    try:
        with db.begin_nested():
            db.add(IdempotencyRecord(owner=owner, key=key, created_at=clock.now()))
            db.flush()
    except IntegrityError:
        # A concurrent request with this key committed first.
        row = _earlier(db, owner, key)
        return row.result or None if row is not None else None
    return None


def remember(db: Session, *, owner: str, key: str, result: str) -> None:
    """Record what the action with this key produced (same transaction as the action)."""
    db.execute(
        sa_update(IdempotencyRecord)
        .where(col(IdempotencyRecord.owner) == owner, col(IdempotencyRecord.key) == key[:KEY_MAX])
        .values(result=result)
        .execution_options(synchronize_session=False)
    )


def staff_owner(staff_id: int) -> str:
    return Actor.staff(staff_id).label
