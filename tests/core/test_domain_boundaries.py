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
# Every folder under backend/ with Python in it is a domain (the console and core included), so a
# new domain is checked from its first commit; migrations are history, not a domain.
DOMAINS = {p.parent.name for p in BACKEND.glob("*/__init__.py") if p.parent.name != "migrations"}
# The seams: the only modules that may query another domain's tables.
SEAMS = {
    "accounts/scope.py",  # the scoped getter reads any declared model's row and its unit
    "bookings/api.py",  # the only writer of bookings' tables (issue 14, part 1)
    "bookings/queries.py",  # the batched read side of bookings
}
# Calls whose arguments name a model only as a key for the scope seam.
SCOPE_SEAM_CALLS = {"get_scoped", "declare"}


# Everything else that reaches into another domain's table today. Empty since 2026-11-27: other
# domains read people, units and family copies through accounts/directory.py (batched lookups,
# and SQL selectables for what must stay in the database, such as a notice's fan-out).
ALLOWED_TODAY: dict[tuple[str, str], int] = {}


def _domain_of(path: Path, root: Path = BACKEND) -> str | None:
    parts = path.relative_to(root).parts
    return parts[0] if len(parts) > 1 and parts[0] in DOMAINS else None


def _modules(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "migrations" not in p.parts)


def table_models(root: Path = BACKEND) -> dict[str, str]:
    """Every `class X(SQLModel, table=True)` under backend/, by name → owning domain."""
    owners: dict[str, str] = {}
    for path in _modules(root):
        domain = _domain_of(path, root)
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


def _type_args(node: ast.Call) -> list[ast.AST]:
    """The arguments of a call that name types, or hand a model to the scope seam."""
    name = node.func.attr if isinstance(node.func, ast.Attribute) else None
    if isinstance(node.func, ast.Name):
        name = node.func.id
    if name in SCOPE_SEAM_CALLS:
        return [*node.args, *(k.value for k in node.keywords)]
    # cast(Model, …), isinstance(x, Model) and TypeVar constraints are types too.
    if name == "cast":
        return node.args[:1]
    if name in {"isinstance", "TypeVar"}:
        return list(node.args[1:])
    return []


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
            for arg in _type_args(node):
                mark(arg)
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == "Annotated"
        ):
            first = node.slice.elts[0] if isinstance(node.slice, ast.Tuple) else node.slice
            mark(first)
    return exempt


def _foreign_imports(
    tree: ast.Module, guarded: set[int], owners: dict[str, str], domain: str
) -> tuple[dict[str, str], dict[str, str]]:
    """Local name → model name for every foreign table model imported at run time, and
    `from backend.x import models as xm` aliases → "x"."""
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
    return foreign, modules_alias


def violations(root: Path = BACKEND) -> Counter[tuple[str, str]]:
    """(module, model) → how many times the module uses another domain's table in code."""
    owners = table_models(root)
    found: Counter[tuple[str, str]] = Counter()
    for path in _modules(root):
        domain = _domain_of(path, root)
        rel = path.relative_to(root).as_posix()
        if domain is None or rel in SEAMS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        guarded = _type_checking_nodes(tree)
        exempt = _exempt_nodes(tree)
        foreign, modules_alias = _foreign_imports(tree, guarded, owners, domain)
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


def _check(found: Counter[tuple[str, str]], allowed: dict[tuple[str, str], int]) -> list[str]:
    problems = []
    for key, count in sorted(found.items()):
        limit = allowed.get(key, 0)
        if count > limit:
            problems.append(
                f"{key[0]} uses {key[1]} (another domain's table) {count} times, allowed {limit}: "
                "call the owning domain's service or the scope seam instead"
            )
    for key in sorted(allowed):
        if key not in found:
            problems.append(f"{key[0]} no longer uses {key[1]}: delete its allow-list line")
    return problems


def test_domains_use_each_others_tables_only_through_seams() -> None:
    assert _check(violations(), ALLOWED_TODAY) == []


def test_the_allow_lists_only_shrink() -> None:
    assert sum(ALLOWED_TODAY.values()) <= 0


def test_the_walk_finds_a_table_used_in_code(tmp_path: Path) -> None:
    """The check itself can fail: a query on another domain's table is found; a type hint, an
    import under TYPE_CHECKING, a scope-seam key and the seam module itself are not."""
    (tmp_path / "accounts").mkdir()
    (tmp_path / "notices").mkdir()
    (tmp_path / "accounts" / "models.py").write_text(
        "class Retiree(SQLModel, table=True):\n    id: int\n", encoding="utf-8"
    )
    (tmp_path / "accounts" / "scope.py").write_text(
        "from backend.notices.models import Notice\nx = select(Notice)\n", encoding="utf-8"
    )
    (tmp_path / "notices" / "models.py").write_text(
        "class Notice(SQLModel, table=True):\n    id: int\n", encoding="utf-8"
    )
    (tmp_path / "notices" / "service.py").write_text(
        "from backend.accounts.models import Retiree\n"
        "def f(db, r: Retiree) -> Retiree:\n"
        "    get_scoped(db, Retiree, 1, r)\n"
        "    return db.exec(select(Retiree).where(Retiree.id == 1))\n",
        encoding="utf-8",
    )
    (tmp_path / "notices" / "hints.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from backend.accounts.models import Retiree\n"
        "Retiree = None\n",
        encoding="utf-8",
    )
    found = violations(tmp_path)
    assert found == Counter({("notices/service.py", "Retiree"): 2})
    assert table_models()["Retiree"] == "accounts"
