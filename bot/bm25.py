"""A small BM25 with the per-posting weights computed at build time, so a query is a few sums."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

K1, B = 1.2, 0.75


@dataclass
class Bm25:
    postings: dict[str, tuple[tuple[int, ...], tuple[float, ...]]] = field(default_factory=dict)
    idf: dict[str, float] = field(default_factory=dict)
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
        postings = {}
        for term, plist in raw.items():
            weights = tuple(
                idf[term] * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[d] / avg))
                for d, tf in plist
            )
            postings[term] = (tuple(d for d, _ in plist), weights)
        return cls(postings=postings, idf=idf, n_docs=n, max_idf=max(idf.values(), default=1.0))

    def scores(self, query: Mapping[str, float], max_df: float = 1.0) -> dict[int, float]:
        """Sum of weights of the query terms (each with its own weight); terms found in more
        than max_df of the documents are skipped (they say nothing and cost the most)."""
        out: dict[int, float] = {}
        limit = max_df * self.n_docs
        get = out.get
        for term, qw in query.items():
            plist = self.postings.get(term)
            if plist is None or len(plist[0]) > limit:
                continue
            docs, weights = plist
            for d, w in zip(docs, weights, strict=True):
                out[d] = get(d, 0.0) + qw * w
        return out

    def mass(self, query: Mapping[str, float]) -> float:
        """What a document holding every query term once, at average length, would score: the
        normaliser that makes scores comparable across questions (unknown terms count fully)."""
        return sum(self.idf.get(t, self.max_idf) * qw for t, qw in query.items()) or 1.0
