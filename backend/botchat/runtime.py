"""The bot index inside the server: loaded warm at start-up, rebuilt when staff change the FAQ,
swapped in without a restart. Several workers learn of a rebuild through a version in the cache."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from backend.botchat.models import BotFaqEntry
from backend.core.cache import Cache
from bot.index import BotIndex, FaqEntry, IndexHolder, build_index, load_index, save_index

log = logging.getLogger(__name__)
VERSION_KEY = "bot:index-version"


def staff_faq(engine: Engine) -> list[FaqEntry]:
    with Session(engine) as db:
        rows = db.exec(
            select(BotFaqEntry).where(col(BotFaqEntry.active).is_(True)).order_by(BotFaqEntry.id)
        ).all()
    return [
        FaqEntry(
            id=f"staff-{row.id}",
            questions=list(json.loads(row.questions)),
            answer=row.answer,
            sources=[(d, c) for d, c in json.loads(row.sources)],
        )
        for row in rows
    ]


class BotRuntime:
    def __init__(self, *, knowledge_dir: Path, index_path: Path, cache: Cache) -> None:
        self.knowledge_dir = knowledge_dir
        self.index_path = index_path
        self.cache = cache
        self.holder: IndexHolder | None = None
        self.version = ""
        self._rebuild_lock = threading.Lock()

    def start(self, engine: Engine) -> None:
        """Load the saved index (fast), or build it when missing or stale.

        A database that is down at start-up must not stop the server (readiness reports it):
        the bot then starts with the saved index, or the regulations alone."""
        index: BotIndex | None = None
        try:
            extra = staff_faq(engine)
        except SQLAlchemyError:
            log.warning("database unreachable at start-up; bot starts without staff FAQ")
            extra = []
        if self.index_path.exists():
            try:
                index = load_index(self.index_path, self.knowledge_dir)
            except Exception:  # a corrupt or old-format file is rebuilt, not fatal
                log.warning("bot index file unreadable, rebuilding")
        if index is None or not _has_entries(index, extra):
            index = build_index(self.knowledge_dir, extra_faq=extra)
            self._save(index)
        self.holder = IndexHolder(index)
        self.version = self.cache.get(VERSION_KEY) or ""

    def index(self) -> BotIndex:
        assert self.holder is not None, "bot runtime not started"
        shared = self.cache.get(VERSION_KEY) or ""
        if shared and shared != self.version and self.index_path.exists():
            # Another worker rebuilt the index: pick up its file.
            self.holder.swap(load_index(self.index_path, self.knowledge_dir))
            self.version = shared
        return self.holder.get()

    def rebuild(self, engine: Engine, *, stamp: str) -> None:
        with self._rebuild_lock:
            index = build_index(self.knowledge_dir, extra_faq=staff_faq(engine))
            self._save(index)
            assert self.holder is not None
            self.holder.swap(index)
            self.version = stamp
            self.cache.set(VERSION_KEY, stamp)

    def _save(self, index: BotIndex) -> None:
        self.index_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.index_path.with_suffix(".tmp")
        save_index(index, tmp)
        tmp.replace(self.index_path)


def _has_entries(index: BotIndex, extra: Sequence[FaqEntry]) -> bool:
    """The saved index already holds every staff-written FAQ entry (else rebuild)."""
    return {e.id for e in extra} <= set(index.faq_ids)
