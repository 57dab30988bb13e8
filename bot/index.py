"""The retrieval index: clauses and FAQ entries as BM25 units over jieba terms and character
bigrams, plus FAQ phrasings for rapidfuzz. Built from knowledge/, saved, loaded, swapped."""

from __future__ import annotations

import math
import pickle
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.kb import DOCS, Clause, FaqItem, load_clauses, load_faq
from bot.text import TextProcessor, bigrams

FORMAT_VERSION = 3
K1, B = 1.2, 0.75


@dataclass
class FaqEntry:
    """A FAQ entry as the backend passes it in (staff-written ones live in the database)."""

    id: str
    questions: list[str]
    answer: str
    sources: list[tuple[str, str]]


@dataclass
class Unit:
    kind: str  # clause / faq
    ref: int  # index into clauses or faq
    terms: Counter[str]
    grams: Counter[str]
    length: int
    gram_length: int


@dataclass
class Postings:
    postings: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    idf: dict[str, float] = field(default_factory=dict)
    avg_length: float = 1.0

    @classmethod
    def build(cls, docs: Sequence[Counter[str]]) -> Postings:
        postings: dict[str, list[tuple[int, int]]] = {}
        for i, counts in enumerate(docs):
            for term, tf in counts.items():
                postings.setdefault(term, []).append((i, tf))
        n = max(len(docs), 1)
        idf = {t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in postings.items()}
        avg = sum(sum(d.values()) for d in docs) / n if docs else 1.0
        return cls(postings=postings, idf=idf, avg_length=max(avg, 1.0))

    def scores(self, query: Sequence[str], lengths: Sequence[int]) -> dict[int, float]:
        out: dict[int, float] = {}
        for term in query:
            plist = self.postings.get(term)
            if not plist:
                continue
            idf = self.idf[term]
            for doc, tf in plist:
                norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * lengths[doc] / self.avg_length))
                out[doc] = out.get(doc, 0.0) + idf * norm
        return out

    def self_score(self, query: Sequence[str], default_idf: float) -> float:
        return sum(self.idf.get(t, default_idf) for t in query) or 1.0


@dataclass
class BotIndex:
    version: int
    knowledge_dir: Path
    clauses: list[Clause]
    faq: list[FaqItem]
    units: list[Unit]
    words: Postings
    grams: Postings
    faq_phrasings: list[tuple[int, str, str]]  # (faq index, phrasing, jieba tokens joined)
    unit_terms: list[frozenset[str]]
    clause_by_key: dict[tuple[str, str], int]
    max_idf: float
    processor: TextProcessor | None = None

    @property
    def faq_ids(self) -> list[str]:
        return [f.id for f in self.faq]

    def text(self) -> TextProcessor:
        if self.processor is None:
            self.processor = TextProcessor.from_knowledge(self.knowledge_dir)
            self.processor.add_domain_terms(self.words.idf)
        return self.processor

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["processor"] = None  # rebuilt from knowledge/ on load (jieba's own cache is fast)
        return state


def default_knowledge_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "knowledge"


def _clause_text(clause: Clause) -> str:
    return " ".join([*clause.titles, clause.text])


def build_index(knowledge_dir: Path, *, extra_faq: Sequence[FaqEntry] = ()) -> BotIndex:
    processor = TextProcessor.from_knowledge(knowledge_dir)
    clauses = load_clauses(knowledge_dir)
    faq = load_faq(knowledge_dir) + [
        FaqItem(id=e.id, questions=list(e.questions), answer=e.answer, sources=list(e.sources))
        for e in extra_faq
    ]
    clause_by_key = {c.key: i for i, c in enumerate(clauses)}
    units: list[Unit] = []
    for i, clause in enumerate(clauses):
        text = _clause_text(clause)
        terms = Counter(processor.terms(text))
        grams = Counter(bigrams(text))
        units.append(Unit("clause", i, terms, grams, sum(terms.values()), sum(grams.values())))
    phrasings: list[tuple[int, str, str]] = []
    for i, item in enumerate(faq):
        text = " ".join(item.questions)
        terms = Counter(processor.terms(text))
        # The answer counts too, but less than the ways people ask.
        for term in processor.terms(item.answer):
            terms[term] += 0 if term in terms else 1
        grams = Counter(bigrams(text))
        units.append(Unit("faq", i, terms, grams, sum(terms.values()), sum(grams.values())))
        for question in item.questions:
            phrasings.append((i, question, " ".join(processor.terms(question))))
    words = Postings.build([u.terms for u in units])
    grams = Postings.build([u.grams for u in units])
    unit_terms = []
    for unit in units:
        own = set(unit.terms)
        if unit.kind == "faq":
            for doc_id, label in faq[unit.ref].sources:
                idx = clause_by_key.get((doc_id, label))
                if idx is not None:
                    own |= set(units[idx].terms)
        unit_terms.append(frozenset(own))
    processor.add_domain_terms(words.idf)
    return BotIndex(
        version=FORMAT_VERSION,
        knowledge_dir=knowledge_dir,
        clauses=clauses,
        faq=faq,
        units=units,
        words=words,
        grams=grams,
        faq_phrasings=phrasings,
        unit_terms=unit_terms,
        clause_by_key=clause_by_key,
        max_idf=max(words.idf.values(), default=1.0),
        processor=processor,
    )


def save_index(index: BotIndex, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)


def load_index(path: Path, knowledge_dir: Path | None = None) -> BotIndex:
    with path.open("rb") as fh:
        index: BotIndex = pickle.load(fh)  # noqa: S301 - our own file, written by save_index
    if getattr(index, "version", None) != FORMAT_VERSION:
        raise ValueError("index file is from another version; rebuild it")
    if knowledge_dir is not None:
        index.knowledge_dir = knowledge_dir
    index.text()  # warm jieba now, not on the first question
    return index


class IndexHolder:
    """Readers get the current index; a rebuild swaps in a new one atomically."""

    def __init__(self, index: BotIndex) -> None:
        self._index = index
        self._lock = threading.Lock()

    def get(self) -> BotIndex:
        return self._index

    def swap(self, index: BotIndex) -> None:
        index.text()
        with self._lock:
            self._index = index


def doc_title(doc_id: str) -> str:
    return DOCS[doc_id]["title"]
