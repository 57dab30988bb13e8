"""A small BM25 with the per-posting weights computed at build time, so a query is a few sums."""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

K1, B = 1.2, 0.75

# Row numbers as one set of int objects for every Postings loaded (row_numbers).
_ROW_NUMBERS: list[int] = []


def row_numbers(count: int) -> list[int]:
    """The ints 0 … count - 1, the same objects for every caller. pickle writes an int by value
    and reads each back as an object of its own (28 bytes; only -5 … 256 are shared by Python),
    so the ~77,000 row numbers of a loaded index's term tables were ~77,000 objects."""
    if len(_ROW_NUMBERS) < count:
        _ROW_NUMBERS.extend(range(len(_ROW_NUMBERS), count))
    return _ROW_NUMBERS


@dataclass
class Postings:
    """term → (document, weight) pairs, packed: every term's pairs lie one after another in two
    flat arrays (a pair costs 12 bytes, not the ~70 of a tuple of Python numbers). Weights are
    doubles, so every score is the same number it was with Python floats."""

    rows: dict[str, int] = field(default_factory=dict)  # term → its row
    starts: array[int] = field(default_factory=lambda: array("I", [0]))  # row r: starts[r]…[r+1]
    docs: array[int] = field(default_factory=lambda: array("I"))
    weights: array[float] = field(default_factory=lambda: array("d"))

    @classmethod
    def pack(
        cls, pairs: Iterable[tuple[str, Sequence[tuple[int, float]]]], *, share: bool = False
    ) -> Postings:
        """With share, terms whose pairs are the same (every word of a synonym group in the
        questions, which hold each synonym of what they say) share one row."""
        out = cls()
        same: dict[tuple[tuple[int, ...], tuple[float, ...]], int] = {}
        for term, plist in pairs:
            key = (tuple(d for d, _ in plist), tuple(w for _, w in plist))
            row = same.get(key) if share else None
            if row is None:
                row = len(out.starts) - 1
                same[key] = row
                out.docs.extend(key[0])
                out.weights.extend(key[1])
                out.starts.append(len(out.docs))
            out.rows[term] = row
        return out

    def __setstate__(self, state: dict[str, object]) -> None:
        rows = state.get("rows")
        if isinstance(rows, dict) and rows:
            numbers = row_numbers(max(rows.values()) + 1)
            state["rows"] = {term: numbers[row] for term, row in rows.items()}
        self.__dict__.update(state)

    def __len__(self) -> int:
        return len(self.rows)

    def __contains__(self, term: object) -> bool:
        return term in self.rows

    def df(self, term: str) -> int:
        row = self.rows.get(term)
        return 0 if row is None else self.starts[row + 1] - self.starts[row]

    def of(self, term: str) -> Iterator[tuple[int, float]]:
        """The term's (document, weight) pairs, in the order they were packed."""
        row = self.rows.get(term)
        if row is None:
            return iter(())
        a, b = self.starts[row], self.starts[row + 1]
        return zip(self.docs[a:b], self.weights[a:b], strict=True)


@dataclass
class Bm25:
    postings: Postings = field(default_factory=Postings)
    idfs: array[float] = field(default_factory=lambda: array("d"))  # by the postings' row
    n_docs: int = 0
    max_idf: float = 1.0

    @classmethod
    def build(cls, docs: Sequence[Counter[str]], *, k1: float = K1, b: float = B) -> Bm25:
        n = max(len(docs), 1)
        lengths = [sum(d.values()) for d in docs]
        avg = max(sum(lengths) / n, 1.0)
        raw: dict[str, list[tuple[int, int]]] = {}
        for i, counts in enumerate(docs):
            for term, tf in counts.items():
                raw.setdefault(term, []).append((i, tf))
        idf = {t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in raw.items()}
        postings = Postings.pack(
            (
                (
                    term,
                    [
                        (d, idf[term] * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[d] / avg)))
                        for d, tf in plist
                    ],
                )
                for term, plist in raw.items()
            ),
            share=True,
        )
        idfs = array("d", [0.0]) * (len(postings.starts) - 1)
        for term, row in postings.rows.items():
            idfs[row] = idf[term]  # terms sharing a row hold the same documents: the same idf
        return cls(
            postings=postings,
            idfs=idfs,
            n_docs=n,
            max_idf=max(idf.values(), default=1.0),
        )

    def idf(self, term: str, default: float) -> float:
        row = self.postings.rows.get(term)
        return default if row is None else self.idfs[row]

    def scores(self, query: Mapping[str, float], max_df: float = 1.0) -> dict[int, float]:
        """Sum of weights of the query terms (each with its own weight); terms found in more
        than max_df of the documents are skipped (they say nothing and cost the most). Terms
        that share a row (a synonym group) are walked once, with their weights summed: the
        same score up to the last bits of a double, at a fraction of the cost."""
        out: dict[int, float] = {}
        limit = max_df * self.n_docs
        get = out.get
        rows = self.postings.rows
        starts, docs, weights = self.postings.starts, self.postings.docs, self.postings.weights
        by_row: dict[int, float] = {}
        for term, qw in query.items():
            row = rows.get(term)
            if row is not None:
                by_row[row] = by_row.get(row, 0.0) + qw
        for row, qw in by_row.items():
            a, b = starts[row], starts[row + 1]
            if b - a > limit:
                continue
            for d, w in zip(docs[a:b], weights[a:b], strict=True):
                out[d] = get(d, 0.0) + qw * w
        return out

    def mass(self, query: Mapping[str, float]) -> float:
        """What a document holding every query term once, at average length, would score: the
        normaliser that makes scores comparable across questions (unknown terms count fully)."""
        return sum(self.idf(t, self.max_idf) * qw for t, qw in query.items()) or 1.0
