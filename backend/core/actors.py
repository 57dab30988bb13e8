"""Who did something, as one value instead of hand-built "staff:12" strings.

The label is what the database stores (`booked_by`, `revoked_by`, `issued_by`, idempotency
owners, audit actors), so its text must never change: "staff:12", "family:7", "retiree:3",
"self", "system", "system:cutoff"."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class ActorKind(StrEnum):
    staff = "staff"
    family = "family"
    retiree = "retiree"
    # The retiree acting for themselves, as bookings record it ("self").
    self_ = "self"
    system = "system"


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    # An id for people, a job name for the system ("cutoff"), None for "self"/"system".
    ref: int | str | None = None

    @property
    def label(self) -> str:
        return self.kind.value if self.ref is None else f"{self.kind.value}:{self.ref}"

    def __str__(self) -> str:
        return self.label

    @classmethod
    def staff(cls, staff_id: int | str) -> Actor:
        return cls(ActorKind.staff, staff_id)

    @classmethod
    def family(cls, ref: int) -> Actor:
        return cls(ActorKind.family, ref)

    @classmethod
    def retiree(cls, retiree_id: int) -> Actor:
        return cls(ActorKind.retiree, retiree_id)

    @classmethod
    def system(cls, job: str | None = None) -> Actor:
        return cls(ActorKind.system, job)

    @classmethod
    def self_(cls) -> Actor:
        return cls(ActorKind.self_)


class _HasId(Protocol):
    @property
    def id(self) -> int | None: ...


def persisted_id(row: _HasId) -> int:
    """The id of a row known to be in the database (flushed); a row without one is a bug."""
    row_id = row.id
    if row_id is None:
        raise RuntimeError(f"{type(row).__name__} has no id yet: flush it before using its id")
    return row_id
