"""Tables the core keeps for every domain: the leader lease of the job scheduler."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from backend.core.types import UTCDateTime


class LeaderLease(SQLModel, table=True):
    """Who runs a once-per-deployment duty (the scheduler) until when. Taken and renewed by a
    conditional UPDATE, so two workers never hold it at once, with or without Redis."""

    __tablename__ = "leader_lease"

    name: str = Field(primary_key=True, max_length=40)
    holder: str = Field(max_length=64)
    expires_at: datetime = Field(sa_type=UTCDateTime)
