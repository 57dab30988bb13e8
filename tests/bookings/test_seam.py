"""Bookings is shared through api.py and queries.py, never through its tables: outside
backend/bookings the model classes are imported for type hints only (under TYPE_CHECKING), so
no other module can build, change or query a Bookable or a Booking row."""

from __future__ import annotations

import ast
from pathlib import Path

import backend

ROOT = Path(backend.__file__).parent
ALLOWED = {"models_registry.py"}  # collects every table for the metadata


def _runtime_imports(tree: ast.Module) -> list[int]:
    found = []
    for node in tree.body:  # top-level only: `if TYPE_CHECKING:` blocks are skipped
        if isinstance(node, ast.ImportFrom) and node.module == "backend.bookings.models":
            found.append(node.lineno)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and inner.module == "backend.bookings.models":
                    found.append(inner.lineno)
    return found


def test_no_module_outside_bookings_uses_its_tables_at_runtime() -> None:
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(("bookings/", "migrations/")) or relative in ALLOWED:
            continue
        lines = _runtime_imports(ast.parse(path.read_text(encoding="utf-8")))
        offenders += [f"backend/{relative}:{line}" for line in lines]
    assert offenders == [], "use backend.bookings.api / queries instead: " + ", ".join(offenders)
