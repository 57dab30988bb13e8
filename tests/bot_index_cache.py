"""One bot index for the whole test run, built once and shared through a file.

Building the index takes several CPU seconds (packing jieba's dictionary, the intent model, the
BM25 tables). Every xdist worker's app, the bot's own tests, the page pictures' demo server and
the log-redaction servers would each build the same one; instead the first to need it builds it
under a file lock and saves it where the others load it (as the product loads its saved index).

The file is named by a key over everything that goes into an index: the knowledge files, jieba's
dictionary, the bot's code and the Python version. A change to any of them gives a new name, so a
stale file is never loaded (and load_index checks knowledge, dictionary and format once more).

    python -m tests.bot_index_cache     # build it ahead (make test does, beside lint)
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import sys
from pathlib import Path

from bot.index import (
    FORMAT_VERSION,
    build_index,
    default_knowledge_dir,
    knowledge_fingerprint,
    save_index,
)
from bot.wordfreq import dictionary_digest

REPO = Path(__file__).resolve().parents[1]
CACHE_DIR = REPO / "var" / "test-cache"


def cache_key() -> str:
    digest = hashlib.sha256()
    digest.update(f"{FORMAT_VERSION} {sys.version_info[:3]}".encode())
    digest.update(knowledge_fingerprint(default_knowledge_dir()).encode())
    digest.update(dictionary_digest().encode())
    bot = REPO / "bot"
    for path in sorted(bot.rglob("*.py")):
        digest.update(str(path.relative_to(bot)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def cached_index_path() -> Path:
    """The shared index file, built first if no run has built it for this key."""
    path = CACHE_DIR / f"bot_index-{cache_key()}.pkl"
    if path.exists():
        return path
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with (CACHE_DIR / "bot_index.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another worker may be building it: wait for it
        if not path.exists():
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            save_index(build_index(default_knowledge_dir()), tmp)
            tmp.replace(path)
            for old in CACHE_DIR.glob("bot_index-*.pkl"):
                if old != path:
                    old.unlink(missing_ok=True)
    return path


def copy_index_to(target: Path) -> Path:
    """A private copy for an app that may save over its own index file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached_index_path(), target)
    return target


if __name__ == "__main__":
    sys.stdout.write(f"{cached_index_path()}\n")
