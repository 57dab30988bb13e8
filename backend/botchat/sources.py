"""The documents and clauses staff may cite when they answer a question: the bot's own clause
list (bot.kb.load_clauses), offered by Chinese title and clause, never typed as an id."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from backend.core.errors import BadRequest
from bot.docs import load_documents
from bot.kb import load_clauses

HINT_CHARS = 18


@dataclass(frozen=True)
class ClauseChoice:
    value: str  # "doc_id|label", what the form sends back
    label: str  # 第十一条 / 6.3.2
    hint: str  # a few words of the clause, to recognise it


@dataclass(frozen=True)
class DocumentChoice:
    doc_id: str
    title: str
    clauses: tuple[ClauseChoice, ...]


@lru_cache(maxsize=4)
def document_choices(knowledge_dir: Path) -> tuple[DocumentChoice, ...]:
    """The five documents in the bot's order, each with its clauses in document order."""
    docs = load_documents(knowledge_dir)
    by_doc: dict[str, list[ClauseChoice]] = {doc_id: [] for doc_id in docs}
    for clause in load_clauses(knowledge_dir):
        heading = clause.titles[-1] if clause.titles else ""
        text = clause.text.replace("\n", "")
        words = text[:HINT_CHARS] + ("…" if len(text) > HINT_CHARS else "")
        hint = f"{heading}：{words}" if heading else words
        by_doc.setdefault(clause.doc_id, []).append(
            ClauseChoice(value=f"{clause.doc_id}|{clause.label}", label=clause.label, hint=hint)
        )
    return tuple(
        DocumentChoice(doc_id=doc_id, title=docs[doc_id].title, clauses=tuple(choices))
        for doc_id, choices in by_doc.items()
        if doc_id in docs
    )


def chosen_source(knowledge_dir: Path, *, document: str, clause: str) -> list[tuple[str, str]]:
    """The (doc_id, clause label) pair staff picked, checked against the bot's clause list;
    nothing picked → no source."""
    document, clause = document.strip(), clause.strip()
    if not clause:
        if document:
            raise BadRequest("选了文件，还请再选是哪一条；不需要依据就把文件也选回“不填”。")
        return []
    doc_id, _, label = clause.partition("|")
    if document and document != doc_id:
        raise BadRequest("选的条款不在所选的文件里，请重新选条款。")
    for choice in document_choices(knowledge_dir):
        if choice.doc_id == doc_id and any(c.label == label for c in choice.clauses):
            return [(doc_id, label)]
    raise BadRequest("没有找到这一条，请从列表里选。")


def checked_sources(knowledge_dir: Path, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Sources staff give through any door, each checked against the bot's clause list: an
    answer cites only a clause that exists."""
    known = {(doc.doc_id, c.label) for doc in document_choices(knowledge_dir) for c in doc.clauses}
    cleaned = [(doc_id.strip(), label.strip()) for doc_id, label in pairs]
    if any(pair not in known for pair in cleaned):
        raise BadRequest("没有找到这一条依据，请从列表里选文件和条款。")
    return cleaned
