"""Answers written by a centre's staff, kept beside the index and swapped in at runtime without a
rebuild. Each entry belongs to a unit subtree: only someone asking from inside it gets it, and it
is cited as the centre's answer (所里的答复), never as a regulation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from bot.text import char_grams

if TYPE_CHECKING:
    from bot.normalise import Normaliser, Query
    from bot.ranker import Context

MATCH_THRESHOLD = 0.72


@dataclass(frozen=True)
class LocalEntry:
    id: str
    questions: tuple[str, ...]
    answer: str
    # The subtrees it answers for: materialised unit paths ("/1/4/") and/or unit ids.
    unit_paths: tuple[str, ...] = ()
    unit_ids: frozenset[int] = frozenset()
    unit_name: str = ""  # who answered (the centre's name), for the citation

    def visible_to(self, context: Context | None) -> bool:
        if context is None:
            return False
        if context.unit_id is not None and context.unit_id in self.unit_ids:
            return True
        path = context.unit_path
        if not path:
            return False
        return any(path.startswith(p) for p in self.unit_paths if p)


@dataclass
class _Phrasing:
    entry: int
    terms: str
    grams: frozenset[str]


@dataclass
class LocalAnswers:
    entries: list[LocalEntry] = field(default_factory=list)
    phrasings: list[_Phrasing] = field(default_factory=list)

    @classmethod
    def build(cls, entries: Iterable[LocalEntry], normaliser: Normaliser) -> LocalAnswers:
        out = cls()
        for entry in entries:
            out.entries.append(entry)
            for q in entry.questions:
                query = normaliser.analyse(q)
                out.phrasings.append(
                    _Phrasing(
                        len(out.entries) - 1,
                        " ".join(sorted(set(query.terms))),
                        frozenset(char_grams(query.text, (2,))),
                    )
                )
        return out

    def __len__(self) -> int:
        return len(self.entries)

    def match(self, query: Query, context: Context | None) -> tuple[LocalEntry, float] | None:
        """The visible entry whose phrasing is most like the question, when alike enough."""
        if not self.entries or context is None:
            return None
        terms = " ".join(sorted(set(query.terms)))
        grams = frozenset(char_grams(query.text, (2,)))
        best: tuple[LocalEntry, float] | None = None
        for ph in self.phrasings:
            entry = self.entries[ph.entry]
            if not entry.visible_to(context):
                continue
            word_sim = fuzz.token_set_ratio(terms, ph.terms) / 100 if terms and ph.terms else 0.0
            union = len(grams | ph.grams)
            gram_sim = 2 * len(grams & ph.grams) / (len(grams) + len(ph.grams)) if union else 0.0
            sim = max(0.5 * word_sim + 0.5 * gram_sim, gram_sim)
            if best is None or sim > best[1]:
                best = (entry, sim)
        if best is not None and best[1] >= MATCH_THRESHOLD:
            return best
        return None
