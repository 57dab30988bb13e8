"""The shape every domain's `stats.monthly_figures` returns: unit id → figure key → count.

A domain counts its own rows with one GROUP BY query per figure group (never row by row), and
folds the result rows here. A unit with nothing to count is simply absent (read it as 0)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

Figures = dict[int, dict[str, int]]


def fold(
    rows: Iterable[Sequence[Any]], keys: Sequence[str], into: Figures | None = None
) -> Figures:
    """Rows of (unit_id, n1, n2 …) → {unit_id: {keys[0]: n1, …}}; None sums read as 0."""
    result: Figures = {} if into is None else into
    for row in rows:
        figures = result.setdefault(int(row[0]), {})
        for key, value in zip(keys, row[1:], strict=True):
            figures[key] = figures.get(key, 0) + int(value or 0)
    return result
