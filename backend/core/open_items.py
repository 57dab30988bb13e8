"""What a retiree still has open, asked of every domain: when a retiree dies nothing may stay open
anywhere (a car must not come, a meal must not be cooked, a reminder must not be sent).

Each domain that keeps rows about a retiree registers, at app start (its `install_hooks`):
- the tables it answers for, and
- a function listing, in plain words, what is still open for a retiree (empty when nothing is).
A table with a `retiree_id` that no domain answers for must be declared history (with the
reason) in `HISTORY`: tests/core/test_death_everywhere.py fails otherwise, so a new domain cannot
forget to end its open items on a death."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

# (db, retiree_id, now) → what is still open, in plain words
OpenItems = Callable[[Session, int, datetime], list[str]]


@dataclass(frozen=True)
class Registration:
    domain: str
    tables: tuple[str, ...]
    open_items: OpenItems


_registry: dict[str, Registration] = {}

# Tables holding a retiree_id that are a record of the past or of who the person is, with nothing
# that can happen later: the reason each one needs no ending.
HISTORY: dict[str, str] = {
    "retiree_care_flag": "who the person is (失能, 独居 …)",
    "family_binding": "who may see the record; after a death family keep view and notices",
    "contact_log": "contacts made (the monthly contact record)",
    "bot_answer": "what the bot answered",
    "inbox_item": "messages already delivered",
    "visit_record": "visits made",
    "visit_assignment": "who looks after the person (kept for the family's questions)",
    "safecheck_day": "past days' 报平安 results",
    "emergency_contact": "a record of whom to call; nothing is sent from it on its own",
    "satisfaction_rating": "ratings given",
    "survey_recipient": "who a survey was sent to",
    "survey_response": "answers given",
    "funeral_case": "the centre's duties after the death (it opens on the death)",
    "checkin_submission": "the year's answers; the duty ends with the death (only 在册 retirees "
    "must check in and are reminded: checkin.campaigns.ELIGIBLE)",
    "sos_alert": "an alert raised stays for staff to close with what happened (已送医 …); it is "
    "never closed for them",
    "bot_question": "a question asked; staff may still answer the family",
    "case_file": "a 信访 case stays for staff to answer and close; the family may still read the "
    "reply (it asks nothing of the person and sends nothing on its own)",
    "health_entry": "the health record (check-ups, hospital stays): nothing is sent from it; the "
    "family with the right may still read it",
    "health_read": "who read the health record",
    "medical_claim": "medical costs the person already paid: the subsidy is still owed (to the "
    "family) and staff finish checking and approving the claim",
}


def register(domain: str, *, tables: tuple[str, ...], open_items: OpenItems) -> None:
    _registry[domain] = Registration(domain, tables, open_items)


def registrations() -> list[Registration]:
    return list(_registry.values())


def covered_tables() -> set[str]:
    return {t for r in _registry.values() for t in r.tables}


def for_retiree(db: Session, retiree_id: int, now: datetime) -> dict[str, list[str]]:
    """Every domain's open items for this retiree; domains with nothing open are left out."""
    found: dict[str, list[str]] = {}
    for registration in _registry.values():
        items = registration.open_items(db, retiree_id, now)
        if items:
            found[registration.domain] = items
    return found
