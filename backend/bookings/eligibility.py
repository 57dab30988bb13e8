"""Who may book a bookable, and whether its sign-up window is open: the checks `api.book` makes
before it takes the lock, also shown to the retiree ahead of time (why they cannot sign up)."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from datetime import date, datetime
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from sqlmodel import Session

from backend.accounts import directory, retirees
from backend.accounts.enums import RetireeStatus
from backend.accounts.models import Retiree
from backend.accounts.scope import UnitPlace, ancestor_ids
from backend.bookings.enums import BookableStatus
from backend.bookings.rows import BookableFields
from backend.core.clock import as_utc, format_local, to_local


def eligibility_of(bookable: BookableFields) -> Mapping[str, Any]:
    return _rules(bookable.eligibility or "{}")


@lru_cache(maxsize=1024)
def _rules(text: str) -> Mapping[str, Any]:
    """Parsed once per distinct text (most are "{}"): a list checks every item's rules. Read-only
    (a mapping proxy), since every caller shares it."""
    data = json.loads(text)
    return MappingProxyType(data if isinstance(data, dict) else {})


def why_not_eligible(
    db: Session,
    bookable: BookableFields,
    retiree: Retiree,
    today: date,
    *,
    home: UnitPlace | None = None,
    care_flags: Collection[str] | None = None,
) -> str | None:
    """`home`, `care_flags`: the retiree's unit and care flags, when the caller has read them
    already (a list of many bookables reads them once)."""
    if retiree.status != RetireeStatus.active:
        return "只有在册的老同志可以报名。"
    if home is None or home.id != retiree.unit_id:
        home = directory.unit(db, retiree.unit_id)
    # The bookable's unit is the retiree's own or one above it (read from the unit's path).
    if home is None or bookable.unit_id not in ancestor_ids(home):
        return "这个项目只面向本单位的老同志。"
    rules = eligibility_of(bookable)
    if rules.get("categories") and retiree.category not in rules["categories"]:
        return f"这个项目只面向{'、'.join(rules['categories'])}的老同志。"
    if rules.get("care_flags"):
        flags = care_flags
        if flags is None:
            flags = retirees.care_flags_of(db, [retiree.id or 0]).get(retiree.id or 0, [])
        if not set(flags) & set(rules["care_flags"]):
            return f"这个项目只面向{'、'.join(rules['care_flags'])}的老同志。"
    if rules.get("min_age") and retirees.age_on(retiree.birth_date, today) < rules["min_age"]:
        return f"这个项目只面向{rules['min_age']}岁以上的老同志。"
    return None


def signup_problem(
    db: Session,
    bookable: BookableFields,
    retiree: Retiree,
    now: datetime,
    *,
    home: UnitPlace | None = None,
    care_flags: Collection[str] | None = None,
) -> str | None:
    """Why this retiree cannot sign up now, in words for them; None when they can."""
    if bookable.status != BookableStatus.open:
        return "这个项目已取消。"
    if now < as_utc(bookable.opens_at):
        return f"还没开始报名，{format_local(bookable.opens_at)}开始。"
    if now > as_utc(bookable.closes_at):
        return "报名已截止。"
    return why_not_eligible(
        db, bookable, retiree, to_local(now).date(), home=home, care_flags=care_flags
    )
