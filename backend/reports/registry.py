"""The sections of the monthly sheet: each owned by one domain, whose
`stats.monthly_figures(db, *, unit_ids, start, end)` returns unit id → figure key → count,
computed with GROUP BY in SQL (a constant number of queries whatever the number of units).

A section whose domain has not landed yet is registered without a function: its columns show
"—". Landing the domain is one line in sections.py: `register(Section(key, …, fn))` replaces
the placeholder in place (the sheet keeps its column order)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlmodel import Session


class FiguresFn(Protocol):
    def __call__(
        self, db: Session, *, unit_ids: list[int], start: datetime, end: datetime
    ) -> Mapping[int, Mapping[str, int]]: ...


@dataclass(frozen=True)
class Column:
    """One column of the sheet. `key` is a figure key; a rate column instead divides two
    figure keys (`ratio=(numerator, denominator)`, possibly from other sections) and is shown
    as a percentage. `chart` draws it per unit; `line` is a target (0.9 for the 90% line)."""

    key: str
    label: str
    ratio: tuple[str, str] | None = None
    chart: bool = False
    line: float | None = None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    columns: tuple[Column, ...]
    fn: FiguresFn | Callable[..., Mapping[int, Mapping[str, int]]] | None = None


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    """Add a section, or replace the one with the same key where it stands."""
    _SECTIONS[section.key] = section


def sections() -> list[Section]:
    from backend.reports import sections as _installed  # noqa: F401 - registers on import

    return list(_SECTIONS.values())
