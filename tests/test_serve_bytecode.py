"""`junxiu serve` writes the backend's bytecode caches before its workers start."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from backend.cli import compile_bytecode
from backend.core.settings import REPO_ROOT


def test_compile_bytecode_writes_the_backend_caches() -> None:
    compile_bytecode()
    source = REPO_ROOT / "backend" / "main.py"
    cached = Path(importlib.util.cache_from_source(str(source)))
    assert cached.exists()
    assert cached.stat().st_mtime >= source.stat().st_mtime
