"""Equal strings made one object all through an object graph, before it is pickled.

The index is built by cutting texts again and again, so one word is held as thousands of
separate but equal strings (the questions' terms, the postings, the vocabulary …). pickle stores
each object it is given, so a loaded index held them all: ~54,000 copies, ~4 MB of every
worker's memory. Shared before saving, each word is stored once and loaded once."""

from __future__ import annotations

import dataclasses
from typing import Any


def share_equal_strings(root: object) -> None:
    """In place: dicts, lists and sets are refilled, dataclass fields set again, tuples and
    frozensets holding a string replaced by new ones (a tuple held twice is replaced by one new
    tuple, held twice). Call it only on what nobody reads yet."""
    _Sharer().walk(root)


class _Sharer:
    def __init__(self) -> None:
        self.strings: dict[str, str] = {}
        self.seen: set[int] = set()
        self.rebuilt: dict[int, object] = {}
        self.replaced: list[object] = []  # kept alive, so no id in `rebuilt` is reused

    def shared(self, value: Any) -> Any:
        if type(value) is str:
            return self.strings.setdefault(value, value)
        if type(value) in (tuple, frozenset):
            return self.immutable(value)
        self.walk(value)
        return value

    def immutable(self, value: tuple[Any, ...] | frozenset[Any]) -> Any:
        done = self.rebuilt.get(id(value))
        if done is None:
            items = [self.shared(v) for v in value]
            done = value
            if any(a is not b for a, b in zip(items, value, strict=True)):
                self.replaced.append(value)
                done = type(value)(items)
            self.rebuilt[id(value)] = done
        return done

    def walk(self, obj: Any) -> None:
        if id(obj) in self.seen or isinstance(obj, type):
            return
        self.seen.add(id(obj))
        if isinstance(obj, dict):
            pairs = [(self.shared(k), self.shared(v)) for k, v in obj.items()]
            obj.clear()
            obj.update(pairs)
        elif isinstance(obj, list):
            obj[:] = [self.shared(v) for v in obj]
        elif isinstance(obj, set):
            members = [self.shared(v) for v in obj]
            obj.clear()
            obj.update(members)
        elif dataclasses.is_dataclass(obj):
            for f in dataclasses.fields(obj):
                object.__setattr__(obj, f.name, self.shared(getattr(obj, f.name)))
