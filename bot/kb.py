"""Loading the regulations as received, cleaning extraction artifacts, splitting into clauses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bot import yamlfile
from bot.docs import load_documents

_CN_DIGITS = "零一二三四五六七八九"


@dataclass
class Clause:
    doc_id: str
    label: str
    titles: list[str]
    text: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.doc_id, self.label)


@dataclass
class FaqItem:
    id: str
    questions: list[str]
    answer: str
    sources: list[tuple[str, str]] = field(default_factory=list)


_WATERMARK = "地方标准信息服务平台"
_TOC = re.compile(r"\.{4,}|…{2,}|·{4,}")
_ARTICLE = re.compile(r"^第([零一二三四五六七八九十百]+)条\s*(.*)$")
_CHAPTER = re.compile(r"^第[零一二三四五六七八九十百]+章\s*(.*)$")
_NUMBERED = re.compile(r"^(\d+(?:\.\d+){0,3})\s+(.*)$")
_BARE_LABEL = re.compile(r"(\d{1,2}(?:\.\d{1,2}){1,3})")
_REPEAT = re.compile(r"([\u4e00-\u9fff]{2,6})、\1(?=[、，。])")
_REFERENCE = re.compile(r"^\[\d+\]")
_CUT_REFERENCE = re.compile(r"[﹝〔]\d{4}[﹞〕]")
_SKIP_TITLES = {"规范性引用文件", "前言", "前 言"}


def clean_line(raw: str) -> str:
    line = raw.replace("\u3000", " ").strip()
    line = re.sub(r"^[-#*>\s]+", "", line)  # markdown bullets and headings from the converter
    line = line.replace("**", "")  # bold markers around defined terms
    line = re.sub(r"\s+", " ", line)
    return line


def _join(parts: list[str]) -> str:
    text = "".join(p.strip() for p in parts if p.strip())
    text = re.sub(r"(?<=[\u4e00-\u9fff，。；：、）])\s+(?=[\u4e00-\u9fff（])", "", text)
    return _REPEAT.sub(r"\1", text)


def parse_articles(doc_id: str, text: str) -> list[Clause]:
    clauses: list[Clause] = []
    chapter = ""
    current: list[str] | None = None
    label = ""

    def flush() -> None:
        if current is not None and label:
            body = _join(current)
            if body:
                clauses.append(Clause(doc_id, label, [chapter] if chapter else [], body))

    for raw in text.splitlines():
        line = clean_line(raw)
        if not line or line == _WATERMARK:
            continue
        compact = line.replace(" ", "")
        chapter_match = _CHAPTER.match(compact)
        if chapter_match:
            flush()
            current, label = None, ""
            chapter = chapter_match.group(1)
            continue
        article = _ARTICLE.match(compact)
        if article:
            flush()
            label = f"第{article.group(1)}条"
            current = [article.group(2)]
            continue
        if current is not None:
            current.append(line)
    flush()
    return clauses


class _StandardBody:
    """The clauses of a national standard as its lines are read, in order."""

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        self.clauses: dict[str, Clause] = {}
        self.order: list[str] = []
        self.titles: dict[int, str] = {}
        self.current: str | None = None

    def start(self, label: str, text: str) -> None:
        self.current = label
        if label not in self.clauses:
            self.order.append(label)
        self.clauses[label] = Clause(self.doc_id, label, _title_chain(self.titles), text)

    def numbered(self, label: str, rest: str) -> None:
        depth = label.count(".") + 1
        is_title = bool(rest) and len(rest) <= 24 and not re.search(r"[。；，：]", rest)
        if is_title and depth <= 2:
            self.titles = {d: t for d, t in self.titles.items() if d < depth}
            self.titles[depth] = rest
            self.current = label
            self.clauses[label] = Clause(self.doc_id, label, _title_chain(self.titles), "")
            self.order.append(label)
            return
        self.start(label, rest)

    def continues(self, line: str) -> bool:
        """Add a running line to the open clause; False where the body ends."""
        if self.current is None:
            return True
        clause = self.clauses[self.current]
        if clause.text.endswith("。") and _CUT_REFERENCE.search(line):
            return False  # the reference list, cut off by the extraction, follows the last clause
        clause.text += line
        return True

    def result(self) -> list[Clause]:
        out = []
        for label in self.order:
            clause = self.clauses[label]
            clause.text = _join([clause.text])
            if clause.text and not (set(clause.titles) & _SKIP_TITLES):
                out.append(clause)
        return out


def parse_standard(doc_id: str, text: str) -> list[Clause]:
    lines = [clean_line(raw) for raw in text.splitlines()]
    # The body starts at the heading "1 范围" that is not a table-of-contents line.
    start = next((i for i, line in enumerate(lines) if re.fullmatch(r"1\s*范围", line)), 0)
    body = _StandardBody(doc_id)
    for line in lines[start:]:
        if not line or line == _WATERMARK or _TOC.search(line):
            continue
        if line.replace(" ", "").startswith("参考文献") or _REFERENCE.match(line):
            break
        bare = _BARE_LABEL.fullmatch(line)
        if bare:
            # A definition's number on a line of its own ("3.1", then the term): its own clause.
            body.start(bare.group(1), "")
            continue
        numbered = _NUMBERED.match(line)
        if numbered and not re.match(r"^\d+\s*(年|月|日|%|个|次|人|万|元)", line):
            body.numbered(numbered.group(1), numbered.group(2).strip())
            continue
        if not body.continues(line):
            break
    return body.result()


def _title_chain(titles: dict[int, str]) -> list[str]:
    return [titles[d] for d in sorted(titles)]


def load_clauses(knowledge_dir: Path) -> list[Clause]:
    clauses: list[Clause] = []
    for doc_id, meta in load_documents(knowledge_dir).items():
        text = (knowledge_dir / "regulations" / f"{doc_id}.txt").read_text(encoding="utf-8")
        if meta.kind == "articles":
            clauses.extend(parse_articles(doc_id, text))
        else:
            clauses.extend(parse_standard(doc_id, text))
    return clauses


def load_faq(knowledge_dir: Path) -> list[FaqItem]:
    path = knowledge_dir / "faq.yaml"
    if not path.exists():
        return []
    data = yamlfile.load(path.read_text(encoding="utf-8")) or []
    items = []
    for entry in data:
        sources = [tuple(s.split(" ", 1)) for s in entry.get("sources", [])]
        items.append(
            FaqItem(
                id=str(entry["id"]),
                questions=[str(q) for q in entry["questions"]],
                answer=str(entry["answer"]).strip(),
                sources=[(d, c) for d, c in sources],
            )
        )
    return items


def chinese_number(n: int) -> str:
    """20 → 二十, 37 → 三十七, 105 → 一百零五 (article numbers)."""
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if rest == 0 else ("零" + chinese_number(rest) if rest < 10 else chinese_number(rest))
    if 10 <= rest < 20:
        tail = "一" + chinese_number(rest)
    return _CN_DIGITS[n // 100] + "百" + tail
