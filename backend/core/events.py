"""In-process domain hooks, so accounts can announce "retiree deceased" or "address changed"
without importing the domains (bookings, notices, rides, meals) that must react. Handlers run
inside the caller's transaction; each domain registers its handlers at app start (`install()`).

Payloads:
- RETIREE_DECEASED: db, retiree, clock, died_on (the date staff entered), by (the staff member
  or None)
- RETIREE_DEATH_REVOKED: db, retiree (在册 again), clock, marked_at (when the death had been
  marked), restored, not_restored (lists each handler appends plain words to, for staff)
- ADDRESS_CHANGED: db, retiree (already holding the new address), old_address, clock, staff
  (the staff member whose action changed it, for the audit log; may be None)
- HOSPITAL_ADMITTED: db, retiree, clock, on (the Shanghai date reported), reported_by (a
  plain-words label: 本人 / 家属 / 工作人员), detail (what was said, or None)"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

Handler = Callable[..., None]

_handlers: dict[str, list[Handler]] = defaultdict(list)


def subscribe(event: str, handler: Handler) -> None:
    if handler not in _handlers[event]:
        _handlers[event].append(handler)


def publish(event: str, **payload: Any) -> None:
    for handler in list(_handlers[event]):
        handler(**payload)


RETIREE_DECEASED = "retiree.deceased"
RETIREE_DEATH_REVOKED = "retiree.death_revoked"
ADDRESS_CHANGED = "retiree.address_changed"
HOSPITAL_ADMITTED = "retiree.hospital_admitted"
