"""The bot inside the server: the index loaded warm at start-up, and the answers staff add
("加入问答库") as an overlay swapped in at once, without a rebuild. Each staff answer is scoped to
the unit subtree of the staff member who wrote it. Several workers learn of a change through a
version in the cache and reload the overlay from the database."""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from backend.accounts import directory
from backend.botchat.models import BotFaqEntry
from backend.core.cache import Cache
from backend.core.db import after_commit
from bot.index import BotIndex, IndexHolder, build_index, load_index, save_index
from bot.overlay import LocalAnswers, LocalEntry

log = logging.getLogger(__name__)
VERSION_KEY = "bot:index-version"


def staff_answers(engine: Engine) -> list[LocalEntry]:
    """Active staff answers, each scoped to the subtree of the unit it was written for."""
    with Session(engine) as db:
        entries = db.exec(
            select(BotFaqEntry)
            .where(col(BotFaqEntry.active).is_(True))
            .order_by(col(BotFaqEntry.id))
        ).all()
        by_id = directory.units(db, {entry.unit_id for entry in entries})
    rows = [(entry, by_id[entry.unit_id]) for entry in entries if entry.unit_id in by_id]
    return [
        LocalEntry(
            id=f"staff-{entry.id}",
            questions=tuple(json.loads(entry.questions)),
            answer=entry.answer,
            unit_paths=(unit.path,),
            unit_ids=frozenset({unit.id}) if unit.id is not None else frozenset(),
            unit_name=unit.name,
        )
        for entry, unit in rows
    ]


class BotRuntime:
    def __init__(self, *, knowledge_dir: Path, index_path: Path, cache: Cache) -> None:
        self.knowledge_dir = knowledge_dir
        self.index_path = index_path
        self.cache = cache
        self.holder: IndexHolder | None = None
        self.version = ""
        self._rebuild_lock = threading.Lock()
        self.engine: Engine | None = None

    def start(self, engine: Engine) -> None:
        """Load the saved index (fast), or build it when missing or stale; then the staff
        answers as the overlay.

        A database that is down at start-up must not stop the server (readiness reports it):
        the bot then starts with the regulations alone."""
        self.engine = engine
        index: BotIndex | None = None
        if self.index_path.exists():
            try:
                index = load_index(self.index_path, self.knowledge_dir)
            except Exception:  # a corrupt or old-format file is rebuilt, not fatal
                log.warning("bot index file unreadable, rebuilding")
        if index is None:
            index = build_index(self.knowledge_dir)
            self._save(index)
        self.holder = IndexHolder(index)
        try:
            self._load_local(engine)
        except SQLAlchemyError:
            log.warning("database unreachable at start-up; bot starts without staff answers")
        self.version = self.cache.get(VERSION_KEY) or ""

    def index(self) -> BotIndex:
        assert self.holder is not None, "bot runtime not started"
        shared = self.cache.get(VERSION_KEY) or ""
        if shared and shared != self.version and self.engine is not None:
            # Another worker changed the staff answers: reload them (no rebuild).
            try:
                self._load_local(self.engine)
                self.version = shared
            except SQLAlchemyError:
                log.warning("could not reload staff answers; keeping the ones loaded")
        return self.holder.get()

    def rebuild(self, engine: Engine, *, stamp: str) -> None:
        """Staff added or changed an answer: swap the overlay in at once (no index rebuild)."""
        with self._rebuild_lock:
            self._load_local(engine)
            self.version = stamp
            self.cache.set(VERSION_KEY, stamp)

    def publish_after_commit(self, db: Session, engine: Engine, *, faq_entry_id: object) -> None:
        """A staff answer added to the 问答库: swapped in once it is committed, before the reply
        (both doors, the JSON API and the console, call this)."""
        stamp = f"faq-{faq_entry_id}"
        after_commit(db, lambda: self.rebuild(engine, stamp=stamp))

    def _load_local(self, engine: Engine) -> None:
        assert self.holder is not None
        local = LocalAnswers.build(staff_answers(engine), self.holder.get().norm())
        self.holder.set_local_answers(local)

    def _save(self, index: BotIndex) -> None:
        self.index_path.parent.mkdir(parents=True, exist_ok=True)
        # One temporary file per process: workers starting together may both build the index.
        tmp = self.index_path.with_suffix(f".{os.getpid()}.tmp")
        save_index(index, tmp)
        tmp.replace(self.index_path)
