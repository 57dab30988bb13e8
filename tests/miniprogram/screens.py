"""The mini-program's pages as a retiree sees them: record the demo server's answers, render
every page and state through miniprogram-simulate (miniprogram_stub/tools/render.jest.js), load
each rendering into Debian's Chromium, take a PNG and check the layout.

    python -m tests.miniprogram.screens        # `make screenshots`

PNGs: var/screens/<font>/<page>-<state>.png; contact sheets: var/screens/sheet-<font>.png.
The layout checks (LAYOUT_JS) fail on: text clipped or spilling out of its box, a tap target
smaller than tests/miniprogram/a11y.py's rule or covered by another element, anything off
screen horizontally, Latin letters in text that is not people's data.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.bot_index_cache import copy_index_to
from tests.miniprogram.a11y import MIN_PRIMARY_RPX, MIN_TAP_RPX

REPO = Path(__file__).resolve().parents[2]
STUB = REPO / "miniprogram_stub"
SCREENS = REPO / "var" / "screens"
RECORDING = SCREENS / "demo-responses.json"
RENDERED = SCREENS / "html"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--font-render-hinting=none"]
WIDTH = 375  # points; 1rpx = 0.5px
FOLD = 667 - 64 - 50  # the first screen of an iPhone 8-sized phone, under the bar, above tabs
MIN_TAP_PX = MIN_TAP_RPX / 2
MIN_PRIMARY_PX = MIN_PRIMARY_RPX / 2

# Runs in the page; returns a list of problems (strings).
LAYOUT_JS = "\n".join(
    line
    for line in (Path(__file__).parent / "layout_check.js").read_text(encoding="utf-8").splitlines()
    if not line.startswith(("//", "/*"))
)


@dataclass
class Shot:
    font: str
    page: str
    state: str
    html: Path
    data_words: list[str]

    @property
    def name(self) -> str:
        return f"{self.page}-{self.state}"


def record(out: Path = RECORDING) -> None:
    """The demo server's answers (tools/record_demo.py), in a process of its own. Its bot loads
    the index this run already built (tests/bot_index_cache.py) from where it looks for it."""
    copy_index_to(SCREENS / "bot_index.pkl")  # record_demo.BOT_INDEX
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    script = STUB / "tools" / "record_demo.py"
    subprocess.run([sys.executable, str(script), str(out)], cwd=REPO, env=env, check=True)


def render(recording: Path = RECORDING, out: Path = RENDERED) -> list[Shot]:
    """Every page and state as HTML, through the simulator (jest + miniprogram-simulate)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    jest = STUB / "node_modules" / ".bin" / "jest"
    env = {**os.environ, "SCREENS_RECORDING": str(recording), "SCREENS_OUT": str(out)}
    cmd = [shutil.which("node") or "node", str(jest), "--ci", "--testMatch"]
    cmd.append("<rootDir>/tools/render.jest.js")
    result = subprocess.run(cmd, cwd=STUB, env=env, capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        raise RuntimeError(f"rendering failed:\n{result.stdout}\n{result.stderr}")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return [
        Shot(s["font"], s["page"], s["state"], out / s["html"], s["dataWords"])
        for s in manifest["shots"]
    ]


def check_page(page, allowed: list[str]) -> list[str]:  # noqa: ANN001 (a Playwright Page)
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": WIDTH, "height": max(int(height), 200)})
    return list(page.evaluate(LAYOUT_JS, [MIN_TAP_PX, MIN_PRIMARY_PX, allowed]))


def capture(browser, shots: list[Shot], png_root: Path | None = SCREENS) -> dict[str, list[str]]:  # noqa: ANN001
    """PNG of each shot (when png_root) and its layout problems, by 'font/page-state'."""
    problems: dict[str, list[str]] = {}
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 800}, device_scale_factor=2, locale="zh-CN"
    )
    page = context.new_page()
    try:
        for shot in shots:
            page.set_viewport_size({"width": WIDTH, "height": 600})  # no height left over
            page.goto(shot.html.as_uri())
            found = check_page(page, shot.data_words)
            if png_root is not None:
                png = png_root / shot.font / f"{shot.name}.png"
                png.parent.mkdir(parents=True, exist_ok=True)
                page.evaluate(
                    f"""() => {{ const f = document.createElement('div'); f.className='shot-fold';
                    f.style.top='{FOLD + 64}px'; document.body.appendChild(f); }}"""
                )
                page.screenshot(path=str(png), full_page=True)
            if found:
                problems[f"{shot.font}/{shot.name}"] = found
    finally:
        context.close()
    return problems


def contact_sheet(browser, font: str, shots: list[Shot], root: Path = SCREENS) -> Path:  # noqa: ANN001
    cells = "".join(
        f"<figure><figcaption>{html.escape(s.name)}</figcaption>"
        f'<img src="{(root / font / (s.name + ".png")).as_uri()}"></figure>'
        for s in shots
        if s.font == font
    )
    doc = f"""<!doctype html><html><head><meta charset="utf-8"><style>
body {{ margin: 8px; font-family: sans-serif; background: #ccc; }}
.grid {{ display: grid; grid-template-columns: repeat(6, 250px); gap: 10px; align-items: start; }}
figure {{ margin: 0; background: #fff; }} figcaption {{ font-size: 14px; padding: 2px 4px; }}
img {{ width: 250px; display: block; }}</style></head>
<body><h2>{html.escape(font)}</h2><div class="grid">{cells}</div></body></html>"""
    sheet_html = root / f"sheet-{font}.html"
    sheet_html.write_text(doc, encoding="utf-8")
    context = browser.new_context(viewport={"width": 6 * 260 + 16, "height": 800})
    page = context.new_page()
    page.goto(sheet_html.as_uri())
    out = root / f"sheet-{font}.png"
    page.screenshot(path=str(out), full_page=True)
    context.close()
    return out


def launch(playwright):  # noqa: ANN001, ANN201
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)


def main() -> int:
    from playwright.sync_api import sync_playwright

    if "--no-record" not in sys.argv or not RECORDING.exists():
        record()
    shots = render()
    with sync_playwright() as p:
        browser = launch(p)
        problems = capture(browser, shots)
        sheets = [contact_sheet(browser, font, shots) for font in ("standard", "large")]
        browser.close()
    for key, found in sorted(problems.items()):
        for line in found:
            sys.stdout.write(f"{key}: {line}\n")
    sys.stdout.write(f"{len(shots)} screenshots; sheets: {', '.join(map(str, sheets))}\n")
    sys.stdout.write(f"{sum(map(len, problems.values()))} layout problems\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
