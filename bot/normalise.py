"""The normaliser: how people type and speak → the words the regulations use.

Dialect words are rewritten, a parent or spouse named by a child becomes 军休干部, filler and
politeness are removed, a question particle at the end is dropped; then the content words are
cut, synonyms added (colloquial → formal, knowledge/synonyms.yaml) and voice-input homophones
repaired by pinyin against the domain dictionary. A repair ADDS the dictionary word: what was typed
is never dropped. All word lists are data in knowledge/normalise.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bot import yamlfile
from bot.text import PUNCT, TextProcessor, fold

# A common word (this often in jieba's dictionary) is taken as typed, not as a mis-heard one.
COMMON_WORD_FREQ = 300


def known_parts(term: str, vocabulary: frozenset[str] | set[str]) -> list[str]:
    """The longest words of the vocabulary inside term, left to right, not overlapping."""
    out: list[str] = []
    i = 0
    while i < len(term) - 1:
        for size in range(len(term) - i - (1 if i == 0 else 0), 1, -1):
            part = term[i : i + size]
            if part in vocabulary:
                out.append(part)
                i += size
                break
        else:
            i += 1
    return out


@dataclass
class Query:
    raw: str
    text: str  # rewritten: dialect fixed, fillers out, the asker's parent → 军休干部
    terms: list[str]  # content words as typed (after the rewrite)
    repairs: list[str]  # dictionary words the text sounds like (voice input)
    expanded: list[str]  # terms + synonyms of terms + repairs (+ their synonyms)
    about_parent: bool = False
    repaired: dict[str, set[str]] = field(default_factory=dict)  # typed term → words heard

    def alternatives(self, term: str) -> set[str]:
        return self.repaired.get(term, set())

    @property
    def gram_text(self) -> str:
        """The text for character n-grams: what was typed plus the repaired words."""
        return self.text + ("，" + "，".join(self.repairs) if self.repairs else "")


@dataclass
class Normaliser:
    processor: TextProcessor
    dialect: list[tuple[str, str]] = field(default_factory=list)
    asker_terms: list[str] = field(default_factory=list)
    asker_replacement: str = "军休干部"
    fillers: list[str] = field(default_factory=list)
    final_particles: re.Pattern[str] | None = None

    @classmethod
    def from_knowledge(cls, knowledge_dir: Path, processor: TextProcessor) -> Normaliser:
        path = knowledge_dir / "normalise.yaml"
        data = yamlfile.load(path.read_text(encoding="utf-8")) if path.exists() else {}
        data = data or {}
        particles = sorted((str(p) for p in data.get("final_particles") or []), key=len)[::-1]
        pattern = (
            re.compile(
                r"(?<![什怎那这多要])(?:"
                + "|".join(map(re.escape, particles))
                + r")(?=$|[\s,，。.!！?？;；])"
            )
            if particles
            else None
        )
        return cls(
            processor=processor,
            dialect=[(str(a), str(b)) for a, b in data.get("dialect") or []],
            asker_terms=sorted((str(t) for t in data.get("asker_terms") or []), key=len)[::-1],
            asker_replacement=str(data.get("asker_replacement") or "军休干部"),
            fillers=sorted((str(t) for t in data.get("fillers") or []), key=len)[::-1],
            final_particles=pattern,
        )

    def dialect_only(self, question: str) -> str:
        """Dialect rewritten, nothing removed (for spotting what the asker wants to do)."""
        text = fold(question)
        for a, b in self.dialect:
            if a in text:
                text = text.replace(a, b)
        return text

    def without_fillers(self, question: str) -> str:
        """Dialect rewritten and politeness taken out (for the app-feature examples: 我想问问… asks
        about what follows, not for a person to ask)."""
        text = self.dialect_only(question)
        for filler in self.fillers:
            if filler in text:
                text = text.replace(filler, " ")
        return text

    def rewrite(self, question: str) -> tuple[str, bool]:
        text = self.dialect_only(question)
        about_parent = False
        for term in self.asker_terms:
            if term in text:
                text = text.replace(term, self.asker_replacement)
                about_parent = True
        for filler in self.fillers:
            if filler in text:
                text = text.replace(filler, " ")
        if self.final_particles is not None:
            # Only a particle that ends a clause of two or more characters (不 in 能先救人不).
            text = self.final_particles.sub("", text)
        text = PUNCT.sub(" ", text).strip()
        return text, about_parent

    def analyse(self, question: str, vocabulary: frozenset[str] | set[str] = frozenset()) -> Query:
        text, about_parent = self.rewrite(question)
        proc = self.processor
        terms = proc.terms(text)
        freq = proc.tokenizer.FREQ
        known = {t for t in terms if t in vocabulary}
        pairs = [
            (window, word)
            for window, word in proc.sound_repairs(text, known)
            # A window that is itself a common word was meant as typed (时候 is not 事后).
            if word not in terms and freq.get(window, 0) < COMMON_WORD_FREQ
        ]
        repairs = list(dict.fromkeys(word for _, word in pairs))
        repaired: dict[str, set[str]] = {}
        for term in terms:
            for window, word in pairs:
                if term in window:
                    repaired.setdefault(term, set()).add(word)
        if vocabulary:
            # A word the index never uses that holds one it does (大面积 → 面积, 规规矩矩 → 规矩):
            # the known part is added, as a repair is.
            for term in terms:
                if len(term) < 3 or term in vocabulary:
                    continue
                for part in known_parts(term, vocabulary):
                    repaired.setdefault(term, set()).add(part)
                    if part not in terms and part not in repairs:
                        repairs.append(part)
        expanded = proc.expand(terms + repairs)
        return Query(
            raw=question,
            text=text,
            terms=terms,
            repairs=repairs,
            expanded=expanded,
            about_parent=about_parent,
            repaired=repaired,
        )
