"""The console reads what staff send only through declared, typed parameters: FastAPI form
models (the domains' input schemas or a form's own model) and typed query parameters. No route
reads `request.form()` or `request.query_params` itself or checks `.isdigit()` by hand (issue 14:
"console form fields parsed by hand: 0").

Every module in backend/console/ is parsed with `ast`. The few places below may do it, each for
a reason that is not a form field; the list only shrinks (an entry no longer used fails too)."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

CONSOLE = Path(__file__).resolve().parents[2] / "backend" / "console"

# (file, function, what) → how many times it may happen there.
ALLOWED: dict[tuple[str, str, str], int] = {
    # The one CSRF dependency reads the token from the posted form (Starlette keeps the parsed
    # form on the request, so the route's form model reads the same body).
    ("auth.py", "require_csrf", "request.form()"): 1,
    # Every page shows the outcome line of the last action (?msg= / ?err=, forms.redirect).
    ("render.py", "page", "request.query_params"): 2,
    # A path's id before any route parses it (a page that cannot exist is "not found").
    ("page_router.py", "ids_in_range", ".isdigit()"): 1,
    # Stored audit rows name a retiree by id as text; not staff input.
    ("audit_view.py", "_names", ".isdigit()"): 1,
    ("audit_view.py", "rows", ".isdigit()"): 1,
}


def _uses(path: Path) -> Counter[tuple[str, str, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: Counter[tuple[str, str, str]] = Counter()

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = function
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                inner = child.name
            what = _what(child)
            if what is not None:
                found[(path.name, inner, what)] += 1
            visit(child, inner)

    visit(tree, "<module>")
    return found


def _what(node: ast.AST) -> str | None:
    """`request.form()`, `request.query_params`, `x.getlist(…)` or `x.isdigit()`."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        name = node.func.attr
        if name == "form" and _is_request(node.func.value):
            return "request.form()"
        if name in ("getlist", "isdigit"):
            return f".{name}()"
    if isinstance(node, ast.Attribute) and node.attr == "query_params" and _is_request(node.value):
        return "request.query_params"
    return None


def _is_request(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "request"


def test_no_console_route_parses_form_or_query_fields_by_hand() -> None:
    found: Counter[tuple[str, str, str]] = Counter()
    for path in sorted(CONSOLE.glob("*.py")):
        found.update(_uses(path))
    unexpected = {k: n for k, n in found.items() if n > ALLOWED.get(k, 0)}
    assert not unexpected, (
        "Read form and query fields through a FastAPI form model (Annotated[SomeForm, Form()]) "
        f"or typed query parameters (forms.FilterId, FilterDay, SeenVersion): {unexpected}"
    )
    stale = {k: n for k, n in ALLOWED.items() if found.get(k, 0) < n}
    assert not stale, f"No longer used — shrink ALLOWED: {stale}"


def test_the_guard_sees_what_it_looks_for(tmp_path: Path) -> None:
    sample = tmp_path / "pages_sample.py"
    sample.write_text(
        "async def create(request):\n"
        "    form = await request.form()\n"
        "    day = request.query_params.get('day')\n"
        "    ids = form.getlist('unit_ids')\n"
        "    return form.get('n', '').isdigit()\n",
        encoding="utf-8",
    )
    assert _uses(sample) == Counter(
        {
            ("pages_sample.py", "create", "request.form()"): 1,
            ("pages_sample.py", "create", "request.query_params"): 1,
            ("pages_sample.py", "create", ".getlist()"): 1,
            ("pages_sample.py", "create", ".isdigit()"): 1,
        }
    )
