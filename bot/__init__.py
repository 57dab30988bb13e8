"""The policy bot."""

from __future__ import annotations

import sys


def _import_jieba_without_pkg_resources() -> None:
    """jieba opens its own dictionary and model files through pkg_resources when that imports:
    ~0.1 s CPU and a scan of every installed distribution, at every start of every worker and
    test process. With it hidden while jieba is imported, jieba opens the same files by their
    path (jieba/_compat.py). Runs before any bot module imports jieba."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        return
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        import jieba  # noqa: F401
    finally:
        del sys.modules["pkg_resources"]


_import_jieba_without_pkg_resources()
