"""jieba's prefix dictionary (each word and each word's prefix → its frequency, 0 for a prefix
that is no word), packed into one string and two arrays: ~8 MB instead of the ~62 MB of jieba's
own dict of 500,000 Python strings, and loaded with the index in milliseconds instead of jieba's
second-long cache load. The tokenizer reads it through `Freq`, which answers exactly what jieba's
dict answers, so every cut is the same.

A prefix that is no word (149,000 of the 498,000 keys) is not stored: the key that follows it in
sorted order starts with it, so a lookup that misses asks whether some stored key starts with
what it looked for, and answers 0 if one does (~1.9 MB less)."""

from __future__ import annotations

import hashlib
from array import array
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path

import jieba

SEP = "\x00"  # never in a dictionary word; a key holding it is no word
SCAN = 1500  # a run this long or shorter is scanned; a longer one is bisected
RUN_TABLE_LAST = 0xFFFF  # first characters up to here are found by code point (PackedFreq.run_of)


def default_dictionary() -> Path:
    return Path(jieba.get_dict_file().name)


def dictionary_digest() -> str:
    """What jieba's default dictionary file holds: a packed copy of another one is stale."""
    with jieba.get_dict_file() as fh:
        return hashlib.sha1(fh.read()).hexdigest()


@dataclass
class PackedFreq:
    # Per first character, the rest of each key between separators: SEP rest SEP rest … SEP
    text: str = ""
    # A first character's run r: text[starts[r]:starts[r + 1]], entries firsts[r]…firsts[r + 1].
    # Found by the character's code point: run_of[code] is r + 1 (0: no key starts with it).
    # An array of 41,000 numbers (80 KB) instead of a dict of 11,800 one-character strings
    # (1.4 MB); a character past the array's end (none in jieba's dictionary) is in `other_runs`.
    run_of: array[int] = field(default_factory=lambda: array("I"))
    other_runs: dict[str, int] = field(default_factory=dict)
    starts: array[int] = field(default_factory=lambda: array("I", [0]))
    firsts: array[int] = field(default_factory=lambda: array("I", [0]))
    ends: array[int] = field(default_factory=lambda: array("I"))  # each entry's closing SEP
    freqs: array[int] = field(default_factory=lambda: array("I"))  # each entry's frequency
    total: int = 0
    digest: str = ""  # dictionary_digest() of the dictionary packed

    @classmethod
    def pack(cls, freq: dict[str, int], total: int, digest: str = "") -> PackedFreq:
        by_first: dict[str, list[tuple[str, int]]] = {}
        for key, value in freq.items():
            if not key or SEP in key:
                raise ValueError(f"cannot pack the key {key!r}")
            by_first.setdefault(key[0], []).append((key[1:], value))
        parts: list[str] = []
        out = cls(total=total, digest=digest)
        codes = [ord(first) for first in by_first if ord(first) <= RUN_TABLE_LAST]
        out.run_of = array("I", [0]) * (max(codes, default=-1) + 1)
        pos = 0
        for run, (first, entries) in enumerate(by_first.items()):
            entries.sort()  # a long run is searched by bisection
            parts.append(SEP)
            pos += 1
            for i, (rest, value) in enumerate(entries):
                if value == 0 and i + 1 < len(entries) and entries[i + 1][0].startswith(rest):
                    continue  # a prefix and no word: found as the start of the next key
                parts.append(rest + SEP)
                pos += len(rest) + 1
                out.ends.append(pos - 1)
                out.freqs.append(value)
            if ord(first) < len(out.run_of):
                out.run_of[ord(first)] = run + 1
            else:
                out.other_runs[first] = run
            out.starts.append(pos)
            out.firsts.append(len(out.ends))
        out.text = "".join(parts)
        return out

    @classmethod
    def of_default(cls) -> PackedFreq:
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        return cls.pack(tokenizer.FREQ, tokenizer.total, dictionary_digest())

    def lookup(self, key: str) -> int | None:
        """The key's frequency, None when the dictionary does not hold it."""
        if not key or SEP in key:
            return None
        code = ord(key[0])
        if code < len(self.run_of):
            run = self.run_of[code] - 1
            if run < 0:
                return None
        else:
            other = self.other_runs.get(key[0])
            if other is None:
                return None
            run = other
        start, end = self.starts[run], self.starts[run + 1]
        lo = first = self.firsts[run]
        hi = last = self.firsts[run + 1]
        rest = key[1:]
        text, ends = self.text, self.ends
        if end - start <= SCAN:
            pos = text.find(SEP + rest + SEP, start, end)
            if pos >= 0:
                return self.freqs[bisect_left(ends, pos + len(key), first, hi)]
            # Every key follows a SEP: one starting with `rest` makes the key a prefix
            return 0 if text.find(SEP + rest, start, end) >= 0 else None
        # A long run (中, 一, 不 …): bisect its entries, sorted by what follows the first character
        while lo < hi:
            mid = (lo + hi) // 2
            if text[(ends[mid - 1] if mid > first else start) + 1 : ends[mid]] < rest:
                lo = mid + 1
            else:
                hi = mid
        if lo < last:
            found = text[(ends[lo - 1] if lo > first else start) + 1 : ends[lo]]
            if found == rest:
                return self.freqs[lo]
            if found.startswith(rest):
                return 0  # the first key after it in sorted order starts with it: a prefix
        return None


_UNSEEN = object()
RECENT = 4096  # answers kept: jieba asks about the same fragments again and again (~0.5 MB)


class Freq:
    """The mapping jieba's Tokenizer reads as its FREQ: the packed dictionary, and the words
    added since (add_word writes here; jieba never deletes a key). The last answers are kept
    (jieba asks `frag in FREQ`, then `FREQ[frag]`, then `FREQ.get(frag)` for the same frag)."""

    __slots__ = ("base", "added", "_recent")

    def __init__(self, base: PackedFreq) -> None:
        self.base = base
        self.added: dict[str, int] = {}
        self._recent: dict[str, int | None] = {}

    def _find(self, key: str) -> int | None:
        recent = self._recent
        value = recent.get(key, _UNSEEN)
        if value is not _UNSEEN:
            return value  # type: ignore[return-value]
        found = self.added.get(key)
        if found is None:
            found = self.base.lookup(key)
        if len(recent) >= RECENT:
            recent.clear()
        recent[key] = found
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._find(key) is not None

    def __getitem__(self, key: str) -> int:
        value = self._find(key)
        if value is None:
            raise KeyError(key)
        return value

    def get(self, key: str, default: int | None = None) -> int | None:
        value = self._find(key)
        return default if value is None else value

    def __setitem__(self, key: str, value: int) -> None:
        self.added[key] = value
        self._recent.clear()


def tokenizer(words: PackedFreq) -> jieba.Tokenizer:
    """A jieba tokenizer on the packed dictionary, as jieba's initialize() would leave it."""
    tok = jieba.Tokenizer()
    tok.FREQ = Freq(words)
    tok.total = words.total
    tok.initialized = True
    return tok
