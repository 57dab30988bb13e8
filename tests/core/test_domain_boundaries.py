"""Domains meet through seams, not through each other's tables.

Every module under backend/<domain>/ is parsed with `ast`. A domain may name another domain's
table model only as a type (annotations, or imports under TYPE_CHECKING) or as the key handed to
the scope seam (`get_scoped(db, Retiree, …)`, `declare(…)`). Using it in code — `select(Retiree)`,
`db.get(Unit, …)`, `Booking(…)`, `Retiree.unit_id == …` — is reaching into another domain's table.

The console is a door, not a domain: it calls services and views and names no table in code.

What breaks the rule today is listed below with its count. The lists only shrink: an entry that
no longer breaks the rule fails the test too, so whoever fixes it deletes the line."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[2] / "backend"
DOMAINS = {
    "accounts",
    "activities",
    "bookings",
    "botchat",
    "checkin",
    "console",
    "core",
    "health",
    "meals",
    "notices",
    "rides",
    "wechat",
}
# The seams: the only modules that may query another domain's tables.
SEAMS = {
    "accounts/scope.py",  # the scoped getter reads any declared model's row and its unit
    "bookings/api.py",  # the only writer of bookings' tables (issue 14, part 1)
    "bookings/queries.py",  # the batched read side of bookings
}
# Calls whose arguments name a model only as a key for the scope seam.
SCOPE_SEAM_CALLS = {"get_scoped", "declare"}


def _domain_of(path: Path) -> str | None:
    parts = path.relative_to(BACKEND).parts
    return parts[0] if len(parts) > 1 and parts[0] in DOMAINS else None


def _modules() -> list[Path]:
    return sorted(p for p in BACKEND.rglob("*.py") if "migrations" not in p.parts)


def table_models() -> dict[str, str]:
    """Every `class X(SQLModel, table=True)` under backend/, by name → owning domain."""
    owners: dict[str, str] = {}
    for path in _modules():
        domain = _domain_of(path)
        if domain is None:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                k.arg == "table" and isinstance(k.value, ast.Constant) and k.value.value is True
                for k in node.keywords
            ):
                owners[node.name] = domain
    return owners


def _type_checking_nodes(tree: ast.Module) -> set[int]:
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                inside.update(id(n) for n in ast.walk(child))
    return inside


def _exempt_nodes(tree: ast.Module) -> set[int]:
    """Nodes that only describe types, or hand a model to the scope seam."""
    exempt: set[int] = set()

    def mark(node: ast.AST | None) -> None:
        if node is not None:
            exempt.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, ast.arg):
            mark(node.annotation)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            mark(node.returns)
        elif isinstance(node, ast.AnnAssign):
            mark(node.annotation)
        elif isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else None
            if isinstance(node.func, ast.Name):
                name = node.func.id
            if name in SCOPE_SEAM_CALLS:
                for arg in [*node.args, *(k.value for k in node.keywords)]:
                    mark(arg)
            # cast(Model, …) and TypeVar bounds are types too.
            if name in {"cast", "TypeVar"}:
                for arg in node.args[:1] if name == "cast" else node.args[1:]:
                    mark(arg)
    return exempt


def violations() -> Counter[tuple[str, str]]:
    """(module, model) → how many times the module uses another domain's table in code."""
    owners = table_models()
    found: Counter[tuple[str, str]] = Counter()
    for path in _modules():
        domain = _domain_of(path)
        rel = path.relative_to(BACKEND).as_posix()
        if domain is None or rel in SEAMS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        guarded = _type_checking_nodes(tree)
        exempt = _exempt_nodes(tree)
        # local name → model name, for every foreign table model imported at run time
        foreign: dict[str, str] = {}
        modules_alias: dict[str, str] = {}  # `from backend.x import models as xm` → "x"
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or id(node) in guarded:
                continue
            source = (node.module or "").split(".")
            if len(source) < 2 or source[0] != "backend":
                continue
            for alias in node.names:
                local = alias.asname or alias.name
                owner = owners.get(alias.name)
                if owner is not None and owner != domain:
                    foreign[local] = alias.name
                if alias.name == "models" and source[1] != domain:
                    modules_alias[local] = source[1]
        for node in ast.walk(tree):
            if id(node) in exempt or not isinstance(node.__dict__.get("ctx"), ast.Load):
                continue
            if isinstance(node, ast.Name) and node.id in foreign:
                found[(rel, foreign[node.id])] += 1
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in modules_alias
                and owners.get(node.attr) == modules_alias[node.value.id]
            ):
                found[(rel, node.attr)] += 1
    return found
