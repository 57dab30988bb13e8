"""适老化 by measurement: the client passes, and the check fails on each kind of violation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.miniprogram.a11y import (
    check_js,
    check_project,
    check_wxml,
    check_wxss,
    contrast,
    parse_colour,
    parse_wxss,
)

ROOT = Path(__file__).resolve().parents[2] / "miniprogram_stub"
APP_RULES = parse_wxss((ROOT / "app.wxss").read_text("utf-8"))
META = '<page-meta root-font-size="{{rootFontSize}}"></page-meta>'


def test_the_client_passes_every_rule() -> None:
    assert check_project(ROOT) == []


def test_every_page_and_component_is_checked() -> None:
    # A check that reads no files passes trivially: make sure it sees them all.
    wxml = [p for p in ROOT.glob("**/*.wxml") if "node_modules" not in p.parts]
    assert len(wxml) >= 16
    assert (ROOT / "components" / "retiree-switch" / "retiree-switch.wxml") in wxml


def test_wcag_contrast_numbers() -> None:
    black, white = parse_colour("#000"), parse_colour("white")
    assert black and white
    assert contrast(black, white) == pytest.approx(21.0)
    grey = parse_colour("#767676")
    assert grey and contrast(grey, white) == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize(
    ("wxss", "expected"),
    [
        (".note { font-size: 28rpx; }", "x.wxss: .note: font-size 28rpx is below 36rpx (18pt)"),
        (".note { font-size: 0.8rem; }", "x.wxss: .note: font-size 0.8rem is below 36rpx (18pt)"),
        (".note { font-size: 16px; }", "x.wxss: .note: font-size 16px is below 36rpx (18pt)"),
        (".note { font-size: small; }", "x.wxss: .note: font-size small is below 36rpx (18pt)"),
        (".note { line-height: 1.2; }", "x.wxss: .note: line-height 1.2 is below 1.3"),
        (
            ".note { font-size: 1rem; line-height: 40rpx; }",
            "x.wxss: .note: line-height 40rpx is below 1.3",
        ),
        (
            ".note { color: #999999; }",
            "x.wxss: .note: color #999999 on #ffffff has contrast 2.85:1 (need 4.5:1)",
        ),
        (
            ".tag { color: #ffffff; background-color: #f08c00; }",
            "x.wxss: .tag: color #ffffff on #f08c00 has contrast 2.48:1 (need 4.5:1)",
        ),
    ],
)
def test_wxss_violations_name_file_selector_and_value(wxss: str, expected: str) -> None:
    assert expected in check_wxss("x.wxss", wxss, APP_RULES)


def test_text_is_checked_on_the_container_backgrounds_too() -> None:
    # #737373 passes on the white page but not on the grey cards of app.wxss.
    found = check_wxss("x.wxss", ".note { color: #737373; }", APP_RULES)
    assert not any("on #ffffff" in v for v in found)
    assert any(v.startswith("x.wxss: .note: color #737373 on #f3f5f8 has contrast") for v in found)


def test_large_text_needs_only_3_to_1() -> None:
    assert check_wxss("x.wxss", ".big { font-size: 1.5rem; color: #808080; }") == []
    assert check_wxss("x.wxss", ".small { font-size: 1rem; color: #808080; }") != []


def test_the_page_rule_must_set_a_line_height() -> None:
    found = check_wxss("app.wxss", "page { font-size: 1rem; }", page_rule_required=True)
    assert found == ["app.wxss: page: no line-height on the page rule (need ≥ 1.3)"]


@pytest.mark.parametrize(
    ("wxml", "expected"),
    [
        (
            META + '<view class="hint" bindtap="go">去</view>',
            'x.wxml:1 <view class="hint">: tap target height none < 88rpx',
        ),
        (
            META + '<button class="chip primary" bindtap="go">报名</button>',
            'x.wxml:1 <button class="chip primary">: tap target height 88rpx < 120rpx',
        ),
        (
            META + '\n<input class="tiny" />',
            'x.wxml:2 <input class="tiny">: tap target height none < 88rpx',
        ),
        (
            META + "<button class=\"chip {{on ? 'on' : ''}}\">选</button>",
            "x.wxml:1 <button class=\"chip {{on ? 'on' : ''}}\">: class switched by {{on}} "
            "but its text does not change with it (colour must not be the only signal)",
        ),
        (
            META + '<view style="color: #aaa">x</view>',
            "x.wxml:1 <view class=\"\">: style 'color: #aaa' sets colour or text size inline",
        ),
        (
            '<view class="page">x</view>',
            "x.wxml: page: does not start with <page-meta root-font-size=…> "
            "(text must follow WeChat's font size)",
        ),
        (META + '<button class="btn" bindtap="go"></button>', "a button without words"),
    ],
)
def test_wxml_violations(wxml: str, expected: str) -> None:
    found = check_wxml("x.wxml", wxml, APP_RULES, is_page=True)
    assert any(expected in v for v in found), found


def test_wxml_a_switched_class_with_switched_words_passes() -> None:
    ok = META + "<button class=\"chip {{on ? 'on' : ''}}\" bindtap=\"t\">"
    ok += "{{on ? '✓ ' : ''}}选</button>"
    assert check_wxml("x.wxml", ok, APP_RULES, is_page=True) == []


@pytest.mark.parametrize(
    ("js", "expected"),
    [
        ("wx.showToast({ title: '好了' });", "x.js: wx.showToast: a pop-up"),
        ("wx.showLoading({ title: '稍等' });", "x.js: wx.showLoading: a pop-up"),
        ("wx.showModal({ title: '提示', content: '好了' });", "x.js: wx.showModal: only"),
        (
            "wx.showModal({ content: '?', cancelText: '不', showCancel: false });",
            "x.js: wx.showModal: only",
        ),
        ("setTimeout(() => this.back(), 30000);", "x.js: setTimeout: no time limits"),
        ("const t = setInterval(tick, 1000);", "x.js: setInterval: no time limits"),
    ],
)
def test_js_violations(js: str, expected: str) -> None:
    assert any(v.startswith(expected) for v in check_js("x.js", js))


def test_a_confirmation_is_allowed() -> None:
    js = "wx.showModal({ title: '请确认', content: '取消吗', confirmText: '是', cancelText: '不' })"
    assert check_js("x.js", js) == []


def test_the_project_check_fails_on_a_bad_page(tmp_path: Path) -> None:
    copy = tmp_path / "mp"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns("node_modules"))
    wxss = copy / "pages" / "meals" / "meals.wxss"
    wxss.write_text(".fine-print { font-size: 24rpx; color: #aaaaaa; }\n", "utf-8")
    (copy / "pages" / "bot" / "bot.js").write_text(
        (ROOT / "pages" / "bot" / "bot.js").read_text("utf-8")
        + "\nwx.showToast({ title: 'x' });\n",
        "utf-8",
    )
    found = check_project(copy)
    assert "pages/meals/meals.wxss: .fine-print: font-size 24rpx is below 36rpx (18pt)" in found
    assert any(v.startswith("pages/meals/meals.wxss: .fine-print: color #aaaaaa") for v in found)
    assert any(v.startswith("pages/bot/bot.js: wx.showToast") for v in found)
