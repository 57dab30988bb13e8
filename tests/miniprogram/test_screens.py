"""Every mini-program page, rendered from the demo server's real answers at WeChat's standard and
largest font, fits the phone: no clipped or spilling text, tap targets big enough and not
covered, nothing off screen, no English leaking through. And each of those checks can fail."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.miniprogram import screens
from tests.miniprogram.node import require_node

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser(playwright_driver: object) -> Iterator[object]:
    if not Path(screens.CHROMIUM).exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("chromium is not installed (make browser-deps)")
        pytest.skip("chromium is not installed: run `make browser-deps`")
    b = screens.launch(playwright_driver)
    yield b
    b.close()


def _problems(browser, body: str, allowed: list[str] | None = None) -> list[str]:  # noqa: ANN001
    page = browser.new_page(viewport={"width": screens.WIDTH, "height": 600})
    try:
        page.set_content(
            '<html style="font-size:18px"><body style="margin:0;width:375px">'
            f'<div id="screen">{body}</div></body></html>'
        )
        return screens.check_page(page, allowed or [])
    finally:
        page.close()


BUTTON = "display:block;box-sizing:border-box;width:300px;height:{h}px;border:1px solid #000"

BAD = {
    "clipped": '<div style="width:100px;height:30px;overflow:hidden;border:1px solid #000">'
    "这是一句很长很长很长很长很长的话，放不下</div>",
    "text overflows": '<div style="width:100px;height:24px;border:1px solid #000">'
    "这是一句很长很长很长很长很长的话，放不下</div>",
    "small tap target": f'<div data-tap style="{BUTTON.format(h=30)}">报名</div>',
    "covered tap target": f'<div data-tap style="{BUTTON.format(h=60)}">报名</div>'
    '<div style="position:absolute;top:0;left:0;width:375px;height:80px;background:#fff">'
    "盖住了</div>",
    "off screen": '<div style="width:420px;height:20px">宽</div>',
    "latin text": "<div>报名失败：undefined</div>",
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_each_check_fails_on_a_bad_page(browser, kind: str) -> None:  # noqa: ANN001
    found = _problems(browser, BAD[kind])
    assert any(p.startswith(kind) for p in found), found


def test_a_good_page_passes_and_data_may_hold_latin_letters(browser) -> None:  # noqa: ANN001
    good = (
        '<div style="width:300px;border:1px solid #000">车：京A12345 已派车</div>'
        f'<div data-tap style="{BUTTON.format(h=48)}">看看活动</div>'
    )
    assert _problems(browser, good, allowed=["A12345"]) == []
    assert _problems(browser, good) != []  # the plate is allowed only as data


def test_every_page_fits_at_both_font_sizes(browser, tmp_path: Path) -> None:  # noqa: ANN001
    require_node()
    if not (screens.STUB / "node_modules" / ".bin" / "jest").exists():
        message = "miniprogram_stub/node_modules missing: run `make test-miniprogram` first"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    recording = tmp_path / "demo-responses.json"
    screens.record(recording)
    shots = screens.render(recording, tmp_path / "html")
    pages = {s.page for s in shots}
    assert len(pages) == len(list((screens.STUB / "pages").iterdir())), pages
    assert {s.font for s in shots} == {"standard", "large"}
    assert screens.capture(browser, shots, png_root=None) == {}
