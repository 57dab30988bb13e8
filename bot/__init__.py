"""The policy bot."""

from __future__ import annotations

import importlib
import sys
import threading
import types
from collections.abc import Callable
from typing import Any

HMM_EMISSIONS = "jieba.finalseg.prob_emit"


class ModelOnFirstUse(dict[str, Any]):
    """jieba's HMM emission table, loaded the first time jieba reads a state from it.

    jieba imports the table (35,000 probabilities, ~2.8 MB per process) when it is imported.
    Only a cut with HMM=True reads it (finalseg reads `emit_P[state]`), and the bot cuts with
    HMM=False everywhere: so the table stays on disk unless something asks for it. The answer is
    the same table either way (tests/bot/test_jieba_import.py)."""

    def __init__(self, load: Callable[[], dict[str, Any]]) -> None:
        super().__init__()
        self._load = load
        self._lock = threading.Lock()

    def __missing__(self, key: str) -> Any:
        with self._lock:
            if not dict.__len__(self):
                self.update(self._load())
        return dict.__getitem__(self, key)


def _real_emissions() -> dict[str, Any]:
    table: dict[str, Any] = importlib.import_module(HMM_EMISSIONS).P
    return table


def _import_jieba_lightly() -> None:
    """Two things jieba loads on import that the bot does not use:
    - pkg_resources, through which jieba opens its own dictionary and model files: ~0.1 s CPU
      and a scan of every installed distribution, at every start of every worker and test
      process. With it hidden while jieba is imported, jieba opens the same files by their
      path (jieba/_compat.py).
    - the HMM emission table (ModelOnFirstUse): while jieba is imported, its module is one
      whose table loads the real one when first read; then the real module is importable again.
    Runs before any bot module imports jieba."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        return
    stub = types.ModuleType(HMM_EMISSIONS)
    stub.P = ModelOnFirstUse(_real_emissions)  # type: ignore[attr-defined]
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import raises ImportError
    sys.modules[HMM_EMISSIONS] = stub
    try:
        import jieba  # noqa: F401
    finally:
        del sys.modules["pkg_resources"]
        del sys.modules[HMM_EMISSIONS]
        finalseg = sys.modules.get("jieba.finalseg")
        if finalseg is not None and getattr(finalseg, "prob_emit", None) is stub:
            del finalseg.prob_emit  # the package attribute, set by the import: the real one later


_import_jieba_lightly()
