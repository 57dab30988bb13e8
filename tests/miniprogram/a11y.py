"""The 适老化 check of the mini-program: reads every WXSS, WXML and JS file and names each
violation with file, selector (or element) and value.

Rules (WeChat 《小程序适老化设计指南》, MIIT 《移动互联网应用(App)适老化通用设计规范》):
- text ≥ 36rpx (18pt); rem counts at its smallest, 1rem = 18px = 36rpx, px and pt count 2rpx;
- every page scales with WeChat's font size: it starts with <page-meta root-font-size=…>;
- line height ≥ 1.3 (and the page rule sets one);
- contrast ≥ 4.5:1 (3:1 for text above 18pt), text colour against the rule's own background,
  else against the page and every container background of the same stylesheet and app.wxss;
- tap targets ≥ 88rpx high, primary actions (class "primary") ≥ 120rpx, and as wide;
- colour is never the only signal: a class switched by a condition needs text switched by it too;
- no pop-ups but confirmations (wx.showModal with a cancel answer); no toasts, loading masks,
  action sheets; no timers in pages and components (no time limits on forms).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

MIN_TEXT_RPX = 36.0
MIN_TAP_RPX = 88.0
MIN_PRIMARY_RPX = 120.0
MIN_LINE_HEIGHT = 1.3
PAGE_BACKGROUND = "#ffffff"

TAP_TAGS = {"button", "navigator", "picker", "input", "textarea", "switch", "checkbox", "radio"}
TAP_EVENTS = ("bindtap", "bind:tap", "catchtap", "catch:tap")
NAMED_COLOURS = {"white": "#ffffff", "black": "#000000"}


@dataclass
class Rule:
    selector: str
    decls: dict[str, str]


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        parts = []
        for child in self.children:
            parts.append(child if isinstance(child, str) else child.text())
        return "".join(parts)

    def walk(self) -> list[Node]:
        out = [self]
        for child in self.children:
            if isinstance(child, Node):
                out.extend(child.walk())
        return out


# ---------------------------------------------------------------- WXSS


def parse_wxss(text: str) -> list[Rule]:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    rules = []
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        decls = {}
        for decl in body.split(";"):
            if ":" in decl:
                prop, value = decl.split(":", 1)
                decls[prop.strip().lower()] = value.replace("!important", "").strip()
        for selector in selectors.split(","):
            rules.append(Rule(" ".join(selector.split()), decls))
    return rules


def to_rpx(value: str) -> float | None:
    """A length in rpx at the smallest text size (1rem = 18px = 36rpx); None if not a length."""
    m = re.fullmatch(r"(-?\d*\.?\d+)(rpx|px|pt|rem|em|%)?", value.strip().split()[0])
    if not m:
        return None
    number, unit = float(m.group(1)), m.group(2) or "px"
    if unit == "%":
        return None
    factor = {"rpx": 1.0, "px": 2.0, "pt": 2.0, "rem": 36.0, "em": 36.0}[unit]
    return number * factor


def parse_colour(value: str) -> tuple[float, float, float] | None:
    for token in re.findall(r"#[0-9a-fA-F]{3,6}\b|rgba?\([^)]*\)|\b[a-z]+\b", value):
        token = NAMED_COLOURS.get(token, token)
        if token.startswith("#"):
            hexdigits = token[1:]
            if len(hexdigits) == 3:
                hexdigits = "".join(c * 2 for c in hexdigits)
            if len(hexdigits) == 6:
                return tuple(int(hexdigits[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]
        elif token.startswith("rgb"):
            nums = [float(n) for n in re.findall(r"\d*\.?\d+", token)[:3]]
            if len(nums) == 3:
                return tuple(n / 255 for n in nums)  # type: ignore[return-value]
    return None


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    def luminance(c: tuple[float, float, float]) -> float:
        lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def background_of(rule: Rule) -> str | None:
    for prop in ("background-color", "background"):
        if prop in rule.decls and parse_colour(rule.decls[prop]):
            return rule.decls[prop]
    return None


def _rule_problems(where: str, rule: Rule, containers: list[str | None]) -> list[str]:
    """Size, line height and contrast of one rule's text."""
    out: list[str] = []
    size_value = rule.decls.get("font-size")
    size = to_rpx(size_value) if size_value else MIN_TEXT_RPX
    if size_value and (size is None or size < MIN_TEXT_RPX):
        out.append(f"{where}: font-size {size_value} is below 36rpx (18pt)")
    line_value = rule.decls.get("line-height")
    if line_value and _line_ratio(line_value, size) < MIN_LINE_HEIGHT:
        out.append(f"{where}: line-height {line_value} is below {MIN_LINE_HEIGHT}")
    colour_value = rule.decls.get("color")
    fg = parse_colour(colour_value) if colour_value else None
    if colour_value and fg is None:
        out.append(f"{where}: color {colour_value} cannot be checked (use #rrggbb)")
    if fg is not None:
        own = background_of(rule)
        backs = [own] if own else containers
        need = 3.0 if size and size > MIN_TEXT_RPX else 4.5
        for back in backs:
            bg = parse_colour(back or "")
            if bg is None:
                continue
            ratio = contrast(fg, bg)
            if ratio < need:
                out.append(
                    f"{where}: color {colour_value} on {back} has contrast {ratio:.2f}:1 "
                    f"(need {need}:1)"
                )
    return out


def _line_ratio(line_value: str, size: float | None) -> float:
    try:
        return float(line_value)
    except ValueError:
        length = to_rpx(line_value)
        return length / (size or MIN_TEXT_RPX) if length else 0.0


def check_wxss(
    name: str, text: str, shared: list[Rule] | None = None, page_rule_required: bool = False
) -> list[str]:
    """Violations in one stylesheet; `shared` are the rules it sits on (app.wxss for a page)."""
    rules = parse_wxss(text)
    out = []
    everything = rules + (shared or [])
    page_bg = next(
        (background_of(r) for r in everything if r.selector == "page" and background_of(r)),
        PAGE_BACKGROUND,
    )
    containers = list(
        dict.fromkeys(
            [page_bg]
            + [bg for r in everything if "color" not in r.decls and (bg := background_of(r))]
        )
    )
    if page_rule_required:
        page = next((r for r in rules if r.selector == "page"), None)
        if page is None or "line-height" not in page.decls:
            out.append(f"{name}: page: no line-height on the page rule (need ≥ {MIN_LINE_HEIGHT})")
    for rule in rules:
        out += _rule_problems(f"{name}: {rule.selector}", rule, containers)
    return out


# ---------------------------------------------------------------- WXML

_TOKEN = re.compile(
    r"<!--.*?-->"
    r"|<(?P<close>/)?(?P<tag>[\w-]+)(?P<attrs>(?:\s+[^\s=>/]+(?:\s*=\s*\"[^\"]*\")?)*)\s*(?P<self>/)?>",
    re.S,
)
_ATTR = re.compile(r"([^\s=>/]+)(?:\s*=\s*\"([^\"]*)\")?")
_VOID = {"input", "image", "icon", "progress", "import", "include", "wxs"}


def parse_wxml(text: str) -> Node:
    root = Node("#root", {}, 1)
    stack = [root]
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() > pos:
            stack[-1].children.append(text[pos : m.start()])
        pos = m.end()
        if m.group(0).startswith("<!--"):
            continue
        tag = m.group("tag")
        if m.group("close"):
            while len(stack) > 1:
                node = stack.pop()
                if node.tag == tag:
                    break
            continue
        attrs = {k: v or "" for k, v in _ATTR.findall(m.group("attrs") or "")}
        node = Node(tag, attrs, text.count("\n", 0, m.start()) + 1)
        stack[-1].children.append(node)
        if not m.group("self") and tag not in _VOID:
            stack.append(node)
    if pos < len(text):
        stack[-1].children.append(text[pos:])
    return root


def static_classes(node: Node) -> set[str]:
    return set(re.sub(r"\{\{.*?\}\}", " ", node.attrs.get("class", "")).split())


def _last_compound_classes(selector: str) -> set[str] | None:
    compound = selector.split()[-1]
    if compound == "page" or "[" in compound or ":" in compound:
        return None
    classes = re.findall(r"\.([\w-]+)", compound)
    if not classes or re.sub(r"\.[\w-]+", "", compound):
        return None
    return set(classes)


def _dimension(rules: list[Rule], classes: set[str], props: tuple[str, ...]) -> float | None:
    best: float | None = None
    for rule in rules:
        wanted = _last_compound_classes(rule.selector)
        if not wanted or not wanted <= classes:
            continue
        for prop in props:
            value = rule.decls.get(prop, "")
            if value.endswith("%") or (prop == "display" and value in ("block", "flex")):
                return float("inf")
            length = to_rpx(value) if value and prop != "display" else None
            if length is not None and (best is None or length > best):
                best = length
    return best


def _is_tap_target(node: Node) -> bool:
    return node.tag in TAP_TAGS or any(e in node.attrs for e in TAP_EVENTS)


def _describe(name: str, node: Node) -> str:
    return f'{name}:{node.line} <{node.tag} class="{node.attrs.get("class", "")}">'


def _conditions(class_attr: str) -> list[str]:
    out = []
    for expr in re.findall(r"\{\{(.*?)\}\}", class_attr):
        cond = expr.split("?")[0].strip()
        if cond:
            out.append(cond)
    return out


def check_wxml(name: str, text: str, rules: list[Rule], is_page: bool = False) -> list[str]:
    out = []
    root = parse_wxml(text)
    if is_page:
        first = next((c for c in root.children if isinstance(c, Node)), None)
        if first is None or first.tag != "page-meta" or "root-font-size" not in first.attrs:
            out.append(
                f"{name}: page: does not start with <page-meta root-font-size=…> "
                "(text must follow WeChat's font size)"
            )
    for node in root.walk()[1:]:
        style = node.attrs.get("style", "")
        if re.search(r"(^|;)\s*(color|font-size|background|line-height)\s*:", style):
            out.append(f"{_describe(name, node)}: style {style!r} sets colour or text size inline")
        inner = " ".join(node.text().split())
        for cond in _conditions(node.attrs.get("class", "")):
            if cond not in inner and cond not in node.attrs.get("aria-label", ""):
                out.append(
                    f"{_describe(name, node)}: class switched by {{{{{cond}}}}} but its text "
                    "does not change with it (colour must not be the only signal)"
                )
        if not _is_tap_target(node):
            continue
        classes = static_classes(node)
        need = MIN_PRIMARY_RPX if "primary" in classes else MIN_TAP_RPX
        height = _dimension(rules, classes, ("min-height", "height"))
        if height is None or height < need:
            shown = "none" if height is None else f"{height:g}rpx"
            out.append(f"{_describe(name, node)}: tap target height {shown} < {need:g}rpx")
        width = _dimension(rules, classes, ("min-width", "width", "display"))
        if width is None or width < need:
            shown = "none" if width is None else f"{width:g}rpx"
            out.append(f"{_describe(name, node)}: tap target width {shown} < {need:g}rpx")
        if node.tag in ("button", "navigator") and not inner and not node.attrs.get("aria-label"):
            out.append(f"{_describe(name, node)}: a button without words")
    return out


# ---------------------------------------------------------------- JS

_POPUPS = ("wx.showToast", "wx.showLoading", "wx.showActionSheet")


def check_js(name: str, text: str, timers_allowed: bool = False) -> list[str]:
    out = []
    for popup in _POPUPS:
        if popup in text:
            out.append(f"{name}: {popup}: a pop-up that vanishes or blocks (write on the page)")
    for m in re.finditer(r"wx\.showModal\(", text):
        call = text[m.end() : m.end() + 400]
        if "cancelText" not in call or re.search(r"showCancel\s*:\s*false", call):
            out.append(f"{name}: wx.showModal: only confirmations (with a cancel answer) pop up")
    if not timers_allowed:
        for timer in ("setTimeout", "setInterval"):
            if re.search(rf"\b{timer}\s*\(", text):
                out.append(f"{name}: {timer}: no time limits or timed changes on pages")
    return out


# ---------------------------------------------------------------- the project


def check_project(root: Path) -> list[str]:
    out: list[str] = []
    app_wxss = (root / "app.wxss").read_text(encoding="utf-8")
    app_rules = parse_wxss(app_wxss)
    out += check_wxss("app.wxss", app_wxss, page_rule_required=True)
    pages = set(json.loads((root / "app.json").read_text(encoding="utf-8"))["pages"])
    for wxml in sorted(root.glob("**/*.wxml")):
        rel = wxml.relative_to(root)
        if rel.parts[0] in ("node_modules", "tests"):
            continue
        base = wxml.with_suffix("")
        is_page = str(rel.with_suffix("")) in pages
        is_component = json.loads(base.with_suffix(".json").read_text("utf-8")).get("component")
        wxss = base.with_suffix(".wxss")
        own_text = wxss.read_text("utf-8") if wxss.exists() else ""
        shared = [] if is_component else app_rules
        out += check_wxss(str(rel.with_suffix(".wxss")), own_text, shared)
        rules = parse_wxss(own_text) + shared
        out += check_wxml(str(rel), wxml.read_text("utf-8"), rules, is_page=is_page)
    for js in sorted(root.glob("**/*.js")):
        rel = js.relative_to(root)
        if rel.parts[0] in ("node_modules", "tests") or rel.name == "jest.config.js":
            continue
        timers_allowed = rel.parts[0] not in ("pages", "components")
        out += check_js(str(rel), js.read_text("utf-8"), timers_allowed=timers_allowed)
    return out
