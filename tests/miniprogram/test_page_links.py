"""Every mini-program page the backend links to exists in the client.

Notices carry a page (`link_page`, and the `page` of a WeChat subscribe message) that the
mini-program opens when the notice is tapped. A path that is not in miniprogram_stub/app.json
"pages" opens nothing, so every string literal in backend/ holding a path shaped
`pages/<dir>/<name>` (f-strings by their literal parts) must name a page of app.json.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BACKEND = REPO / "backend"
APP_JSON = REPO / "miniprogram_stub" / "app.json"

PAGE_PATH = re.compile(r"(?<![\w/.-])/?(pages/[\w-]+/[\w-]+)")


def page_paths(source: str, name: str) -> list[tuple[str, str]]:
    """(page path, "file:line") for every page path in the source's string literals."""
    found = []
    for node in ast.walk(ast.parse(source, filename=name)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            for m in PAGE_PATH.finditer(node.value):
                found.append((node.lineno, node.col_offset, m.group(1)))
    return [(page, f"{name}:{line}") for line, _, page in sorted(found)]


def backend_page_paths() -> list[tuple[str, str]]:
    found = []
    for py in sorted(BACKEND.rglob("*.py")):
        rel = py.relative_to(REPO).as_posix()
        found += page_paths(py.read_text("utf-8"), rel)
    return found


def app_pages() -> set[str]:
    return set(json.loads(APP_JSON.read_text("utf-8"))["pages"])


def missing(found: list[tuple[str, str]], pages: set[str]) -> list[str]:
    return [
        f"{where}: {page} is not a page of miniprogram_stub/app.json"
        for page, where in found
        if page not in pages
    ]


def test_every_page_the_backend_links_to_exists() -> None:
    assert missing(backend_page_paths(), app_pages()) == []


def test_the_scan_finds_the_links_it_must_check() -> None:
    # A scan that finds nothing passes trivially: the notices of these features link to pages.
    seen = {page for page, _ in backend_page_paths()}
    for page in ("pages/meals/meals", "pages/checkin/checkin", "pages/activities/activities"):
        assert page in seen, page


def test_the_check_catches_a_page_that_does_not_exist() -> None:
    source = (
        "def notify(retiree_id):\n"
        '    send(link_page=f"pages/nowhere/nowhere?retiree_id={retiree_id}")\n'
        '    send(page="/pages/meals/meals?x=1")\n'
        '    log("miniprogram_stub/pages/x/y is a file, not a link")\n'
    )
    found = page_paths(source, "made_up.py")
    assert found == [
        ("pages/nowhere/nowhere", "made_up.py:2"),
        ("pages/meals/meals", "made_up.py:3"),
    ]
    assert missing(found, app_pages()) == [
        "made_up.py:2: pages/nowhere/nowhere is not a page of miniprogram_stub/app.json"
    ]
