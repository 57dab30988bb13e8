"""The retrieval index: clauses, and the questions people ask about each clause (paraphrases in
knowledge/paraphrases/ and FAQ phrasings), each as word BM25 and character 2–3-gram BM25.
Built from knowledge/, saved, loaded, swapped; a staff overlay is swapped in without a rebuild."""

from __future__ import annotations

import hashlib
import os
import pickle
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot import yamlfile
from bot.bm25 import Bm25
from bot.docs import DocMeta, load_documents
from bot.intent_model import IntentModel
from bot.kb import Clause, FaqItem, load_clauses, load_faq
from bot.normalise import Normaliser
from bot.overlay import LocalAnswers
from bot.ranker import RankerParams, load_params
from bot.shared_strings import share_equal_strings
from bot.text import TextProcessor, char_grams, cjk_only, fold
from bot.wordfreq import PackedFreq, dictionary_digest

FORMAT_VERSION = 16  # 16: jieba's first characters found by code point (bot/wordfreq.py)


@dataclass
class FaqEntry:
    """A FAQ entry as the backend passes it in (kept for callers; staff answers now go to the
    overlay, see bot/overlay.py)."""

    id: str
    questions: list[str]
    answer: str
    sources: list[tuple[str, str]]


@dataclass
class QuestionDoc:
    text: str
    clauses: tuple[int, ...]  # the clauses it asks about (first = main)
    faq: int | None  # the FAQ entry it comes from, when it does
    kind: str  # paraphrase / faq / topic


@dataclass
class BotIndex:
    version: int
    knowledge_dir: Path
    docs: dict[str, DocMeta]
    clauses: list[Clause]
    faq: list[FaqItem]
    questions: list[QuestionDoc]
    clause_words: Bm25
    clause_grams: Bm25
    question_words: Bm25
    question_grams: Bm25
    # Questions the regulations do not answer (knowledge/out_of_scope.yaml): the refusal model
    # reads how near a question is to these beside how near it is to the clauses' questions.
    oos_words: Bm25
    oos_grams: Bm25
    # Each such example's character bigrams: how much of the example the question holds (an
    # example with words the question lacks — 出国旅游 … 保险 — is a different question).
    oos_bigrams: list[frozenset[str]]
    clause_terms: list[frozenset[str]]  # words of the clause and of every question about it
    question_terms: list[frozenset[str]]  # the content words of each question (no synonyms)
    clause_plain: list[str]  # titles + text, Chinese characters only (for substring checks)
    clause_by_key: dict[tuple[str, str], int]
    vocabulary: frozenset[str]  # every word of the index (a word we know is taken as typed)
    domain_vocabulary: frozenset[str]  # the regulations' words (the homophone dictionary)
    params: RankerParams
    fingerprint: str = ""
    # The paraphrase topics' words, kept so a load need not parse knowledge/paraphrases/ again
    topics: list[str] = field(default_factory=list)
    # jieba's dictionary, packed (bot/wordfreq.py): the loaded index's tokenizer reads it
    words: PackedFreq | None = None
    processor: TextProcessor | None = None
    normaliser: Normaliser | None = None
    local: LocalAnswers = field(default_factory=LocalAnswers)
    intent_model: IntentModel = field(default_factory=IntentModel)

    @property
    def faq_ids(self) -> list[str]:
        return [f.id for f in self.faq]

    def text(self) -> TextProcessor:
        if self.processor is None:
            self.processor, self.normaliser = _processors(
                self.knowledge_dir, self.domain_vocabulary, self.topics, words=self.words
            )
        return self.processor

    def norm(self) -> Normaliser:
        if self.normaliser is None:
            self.processor, self.normaliser = _processors(
                self.knowledge_dir, self.domain_vocabulary, self.topics, words=self.words
            )
        return self.normaliser

    def question_clauses(self) -> list[tuple[int, ...]]:
        """The clauses each question is about, by question number (derived, not saved)."""
        cached: list[tuple[int, ...]] | None = self.__dict__.get("_question_clauses")
        if cached is None:
            cached = [q.clauses for q in self.questions]
            self.__dict__["_question_clauses"] = cached
        return cached

    def set_local_answers(self, local: LocalAnswers) -> None:
        """Swap the staff overlay (one attribute assignment: readers see old or new, whole)."""
        self.local = local

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["processor"] = None  # rebuilt on load, on the packed jieba dictionary (words)
        state["normaliser"] = None
        state["local"] = LocalAnswers()
        state.pop("_question_clauses", None)
        return state


def knowledge_fingerprint(knowledge_dir: Path) -> str:
    """A hash of everything in knowledge/: an index built from other knowledge is stale."""
    digest = hashlib.sha1()
    for path in sorted(knowledge_dir.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(knowledge_dir)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def default_knowledge_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "knowledge"


def _processors(
    knowledge_dir: Path,
    vocabulary: frozenset[str],
    topics: list[str],
    processor: TextProcessor | None = None,
    *,
    words: PackedFreq | None = None,
) -> tuple[TextProcessor, Normaliser]:
    """The domain dictionary: the regulations' vocabulary, the user dictionary, the synonyms and
    the paraphrase topics."""
    processor = processor or TextProcessor.from_knowledge(knowledge_dir, dictionary=words)
    processor.add_domain_terms(processor.domain_terms | set(processor.synonyms))
    processor.add_domain_terms(vocabulary)
    processor.add_domain_terms(topics)
    normaliser = Normaliser.from_knowledge(knowledge_dir, processor)
    return processor, normaliser


def load_paraphrases(knowledge_dir: Path) -> list[tuple[str, str, str, list[str]]]:
    """(doc_id, label, topic, questions) from knowledge/paraphrases/<doc_id>.yaml."""
    out: list[tuple[str, str, str, list[str]]] = []
    folder = knowledge_dir / "paraphrases"
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.yaml")):
        data = yamlfile.load(path.read_text(encoding="utf-8")) or {}
        doc_id = str(data.get("doc_id") or path.stem)
        for label, entry in (data.get("clauses") or {}).items():
            entry = entry or {}
            questions = [str(q) for q in entry.get("questions") or [] if str(q).strip()]
            out.append((doc_id, str(label), str(entry.get("topic") or ""), questions))
    return out


def _paraphrase_topics(knowledge_dir: Path) -> list[str]:
    words: list[str] = []
    for _, _, topic, _ in load_paraphrases(knowledge_dir):
        for part in fold(topic).replace("、", " ").replace("，", " ").split():
            part = cjk_only(part)
            if 2 <= len(part) <= 4:
                words.append(part)
    return words


def _clause_text(clause: Clause) -> str:
    return " ".join([*clause.titles, clause.text])


def build_index(knowledge_dir: Path, *, extra_faq: Sequence[FaqEntry] = ()) -> BotIndex:
    docs = load_documents(knowledge_dir)
    clauses = load_clauses(knowledge_dir)
    clause_by_key = {c.key: i for i, c in enumerate(clauses)}
    # The vocabulary of the regulations is the domain dictionary the homophone repair uses.
    processor = TextProcessor.from_knowledge(knowledge_dir)
    clause_word_docs = [Counter(processor.terms(_clause_text(c))) for c in clauses]
    vocabulary = frozenset(t for d in clause_word_docs for t in d if len(t) >= 2)
    topics = _paraphrase_topics(knowledge_dir)
    processor, normaliser = _processors(knowledge_dir, vocabulary, topics, processor)
    clause_gram_docs = [Counter(char_grams(fold(_clause_text(c)))) for c in clauses]

    faq = load_faq(knowledge_dir) + [
        FaqItem(id=e.id, questions=list(e.questions), answer=e.answer, sources=list(e.sources))
        for e in extra_faq
    ]
    questions: list[QuestionDoc] = []
    for doc_id, label, topic, phrasings in load_paraphrases(knowledge_dir):
        idx = clause_by_key.get((doc_id, label))
        if idx is None:
            continue
        # Questions about a heading (3 术语和定义) are about the clauses under it (3.1, 3.2 …).
        children = [
            i
            for i, c in enumerate(clauses)
            if c.doc_id == doc_id and c.label.startswith(label + ".")
        ]
        targets = (*children, idx)
        for q in phrasings:
            questions.append(QuestionDoc(q, targets, None, "paraphrase"))
        if topic:
            questions.append(QuestionDoc(topic, targets, None, "topic"))
    for i, item in enumerate(faq):
        targets = tuple(clause_by_key[k] for k in item.sources if k in clause_by_key)
        if not targets:
            continue
        for q in item.questions:
            questions.append(QuestionDoc(q, targets, i, "faq"))
    q_word_docs = []
    q_gram_docs = []
    question_terms = []
    for doc in questions:
        rewritten, _ = normaliser.rewrite(doc.text)
        own = processor.terms(rewritten)
        question_terms.append(frozenset(own))
        q_word_docs.append(Counter(processor.expand(own)))
        q_gram_docs.append(Counter(char_grams(rewritten)))
    oos_words, oos_grams, oos_bigrams = _out_of_scope(knowledge_dir, processor, normaliser)
    clause_terms: list[set[str]] = [set(d) for d in clause_word_docs]
    for doc, counts in zip(questions, q_word_docs, strict=True):
        for c in doc.clauses:
            clause_terms[c] |= set(counts)
    vocab_all = frozenset(vocabulary | {t for d in q_word_docs for t in d if len(t) >= 2})
    index = BotIndex(
        version=FORMAT_VERSION,
        knowledge_dir=knowledge_dir,
        docs=docs,
        clauses=clauses,
        faq=faq,
        questions=questions,
        clause_words=Bm25.build(clause_word_docs),
        clause_grams=Bm25.build(clause_gram_docs),
        question_words=Bm25.build(q_word_docs),
        question_grams=Bm25.build(q_gram_docs),
        oos_words=oos_words,
        oos_grams=oos_grams,
        oos_bigrams=oos_bigrams,
        clause_terms=[frozenset(s) for s in clause_terms],
        question_terms=question_terms,
        clause_plain=[cjk_only(fold(_clause_text(c))) for c in clauses],
        clause_by_key=clause_by_key,
        vocabulary=vocab_all,
        domain_vocabulary=vocabulary,
        params=load_params(knowledge_dir),
        fingerprint=knowledge_fingerprint(knowledge_dir),
        topics=topics,
        words=PackedFreq.of_default(),
        processor=processor,
        normaliser=normaliser,
        intent_model=_intent_model(knowledge_dir, questions, normaliser),
    )
    share_equal_strings(index)
    return index


def load_out_of_scope(knowledge_dir: Path) -> list[str]:
    """The example questions of knowledge/out_of_scope.yaml, every kind together."""
    path = knowledge_dir / "out_of_scope.yaml"
    if not path.exists():
        return []
    data = yamlfile.load(path.read_text(encoding="utf-8")) or {}
    return [str(q) for qs in (data.get("kinds") or {}).values() for q in qs or [] if str(q).strip()]


def _out_of_scope(
    knowledge_dir: Path, processor: TextProcessor, normaliser: Normaliser
) -> tuple[Bm25, Bm25, list[frozenset[str]]]:
    words: list[Counter[str]] = []
    grams: list[Counter[str]] = []
    bigrams: list[frozenset[str]] = []
    for text in load_out_of_scope(knowledge_dir):
        rewritten, _ = normaliser.rewrite(text)
        words.append(Counter(processor.expand(processor.terms(rewritten))))
        grams.append(Counter(char_grams(rewritten)))
        bigrams.append(frozenset(char_grams(rewritten, (2,))))
    return Bm25.build(words), Bm25.build(grams), bigrams


def _intent_model(
    knowledge_dir: Path, questions: Sequence[QuestionDoc], normaliser: Normaliser
) -> IntentModel:
    """App-request examples against the index's policy questions and the services we don't offer
    (knowledge/intents.yaml, `examples`)."""
    data = yamlfile.load((knowledge_dir / "intents.yaml").read_text(encoding="utf-8")) or {}
    examples = {str(k): [str(q) for q in v] for k, v in (data.get("examples") or {}).items()}
    elsewhere = examples.pop("not_app", [])
    others = [q.text for q in questions]
    return IntentModel.build(
        examples,
        others,
        normaliser.without_fillers,
        elsewhere,
        ignored=[str(w) for w in data.get("time_words") or []],
    )


def save_index(index: BotIndex, path: Path) -> None:
    """Written beside the target and renamed over it: a worker starting meanwhile (several build
    at once on a first start) reads the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with partial.open("wb") as fh:
            pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def load_index(path: Path, knowledge_dir: Path | None = None) -> BotIndex:
    with path.open("rb") as fh:
        index: BotIndex = pickle.load(fh)  # noqa: S301 - our own file, written by save_index
    if getattr(index, "version", None) != FORMAT_VERSION:
        raise ValueError("index file is from another version; rebuild it")
    if knowledge_dir is not None:
        index.knowledge_dir = knowledge_dir
    if index.fingerprint != knowledge_fingerprint(index.knowledge_dir):
        raise ValueError("index file was built from other knowledge; rebuild it")
    if index.words is None or index.words.digest != dictionary_digest():
        raise ValueError("index file was built with another jieba dictionary; rebuild it")
    index.text()  # warm jieba now, not on the first question
    return index


class IndexHolder:
    """Readers get the current index; a rebuild swaps in a new one atomically. The staff overlay
    is carried over to the new index."""

    def __init__(self, index: BotIndex) -> None:
        self._index = index
        self._lock = threading.Lock()

    def get(self) -> BotIndex:
        return self._index

    def swap(self, index: BotIndex) -> None:
        index.text()
        with self._lock:
            index.set_local_answers(self._index.local)
            self._index = index

    def set_local_answers(self, local: LocalAnswers) -> None:
        with self._lock:
            self._index.set_local_answers(local)


def doc_title(index: BotIndex, doc_id: str) -> str:
    return index.docs[doc_id].title
