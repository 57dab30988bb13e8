"""Normalisation, the jieba tokenizer built from knowledge/, synonyms and pinyin matching."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jieba
import yaml
from pypinyin import Style, lazy_pinyin

from bot.kb import chinese_number

jieba.setLogLevel(logging.WARNING)

_CJK = re.compile(r"[\u4e00-\u9fff]")
_ARTICLE_DIGITS = re.compile(r"第\s*(\d{1,3})\s*条")
_PUNCT = re.compile(r"[\s,，。.!！?？;；:：、'\"“”‘’（）()\[\]【】<>《》~～…·\-—_/\\|]+")

# Colloquial fillers that say nothing about the topic (kept small and generic on purpose).
STOPWORDS = set(
    """
    的 了 吗 呢 吧 啊 呀 哦 嘛 么 啥 咋 怎 怎么 怎么样 怎样 什么 哪 哪里 哪儿 哪些 多少 几 谁
    为啥 是 不 没 没有 有 有没有 是不是 能 能不能 可以 可不可以 会 会不会 要 要不要 得 该 应该
    还 还能 也 都 就 我 我们 咱 咱们 俺 你 您 他 她 它 他们 老人 老人家 人家 自己 家里 那 这
    那个 这个 这些 那些 个 一个 一下 一些 些 点 一点 下 上 里 中 给 跟 和 与 及 或 或者 在 到 从
    对 把 被 让 叫 请 问 问问 问下 想 想问 平时 现在 一般 一直 一样 这样 那样 还是 就是 只是
    如果 要是 的话 怎么办 咋整 咋办 办法 事 事儿 情况 啊 啦 呗 嗯 哈 诶 喂 吧 呐 么 没 不 会 么
    一回 回 多久 多长时间 时候 啥时候 什么时候 到底 究竟 所里 所 这边 那边 咱这 这里 那里 有啥
    都有 都有啥 有哪些 行不行 成不成 管不管 管 不管 帮 帮忙
    """.split()
)


def normalise(text: str) -> str:
    """Full-width → half-width, lower case, 第20条 → 第二十条, folded white space."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _ARTICLE_DIGITS.sub(lambda m: f"第{chinese_number(int(m.group(1)))}条", text)
    return re.sub(r"\s+", " ", text).strip()


def syllables(text: str) -> list[str]:
    return lazy_pinyin(text, style=Style.NORMAL, errors="ignore")


@lru_cache(maxsize=4096)
def fuzzy_syllable(syllable: str) -> str:
    """Fold the sounds people (and voice input) mix up: zh/z, ch/c, sh/s, n/l, -ng/-n, f/h."""
    s = syllable
    for a, b in (("zh", "z"), ("ch", "c"), ("sh", "s")):
        if s.startswith(a):
            s = b + s[len(a) :]
    if s.startswith("n"):
        s = "l" + s[1:]
    if s.startswith("f"):
        s = "h" + s[1:]
    if s.endswith("ng"):
        s = s[:-1]
    return s


@lru_cache(maxsize=8192)
def _char_syllables(text: str) -> tuple[str, ...]:
    return tuple(syllables(text))


@lru_cache(maxsize=8192)
def fuzzy_key(text: str) -> str:
    return " ".join(fuzzy_syllable(s) for s in syllables(text))


@dataclass
class TextProcessor:
    """Everything that turns text into terms. Built once from knowledge/, never global."""

    tokenizer: jieba.Tokenizer
    synonyms: dict[str, set[str]] = field(default_factory=dict)
    domain_terms: set[str] = field(default_factory=set)
    # fuzzy pinyin key → domain terms that sound like it (for voice-input homophones)
    sound_index: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def from_knowledge(cls, knowledge_dir: Path) -> TextProcessor:
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        domain_terms: set[str] = set()
        userdict = knowledge_dir / "userdict.txt"
        if userdict.exists():
            for line in userdict.read_text(encoding="utf-8").splitlines():
                parts = line.split()
                if not parts or parts[0].startswith("#"):
                    continue
                word = parts[0]
                freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 2000
                tokenizer.add_word(word, freq=freq)
                domain_terms.add(word)
        synonyms: dict[str, set[str]] = {}
        synfile = knowledge_dir / "synonyms.yaml"
        if synfile.exists():
            for group in yaml.safe_load(synfile.read_text(encoding="utf-8")) or []:
                words = {normalise(str(w)) for w in group}
                for word in words:
                    synonyms.setdefault(word, set()).update(words - {word})
                    if len(word) >= 2:
                        tokenizer.add_word(word, freq=3000)
                        domain_terms.add(word)
        processor = cls(tokenizer=tokenizer, synonyms=synonyms, domain_terms=domain_terms)
        processor.sound_index = processor._build_sound_index(domain_terms)
        return processor

    def _build_sound_index(self, terms: Iterable[str]) -> dict[str, set[str]]:
        index: dict[str, set[str]] = {}
        for term in terms:
            if 2 <= len(term) <= 4 and all(_CJK.match(ch) for ch in term):
                index.setdefault(fuzzy_key(term), set()).add(term)
        return index

    def add_domain_terms(self, terms: Iterable[str]) -> None:
        new = {t for t in terms if t not in self.domain_terms}
        self.domain_terms |= new
        for key, words in self._build_sound_index(new).items():
            self.sound_index.setdefault(key, set()).update(words)

    def cut(self, text: str) -> list[str]:
        text = normalise(text)
        words = []
        for word in self.tokenizer.lcut(text, HMM=True):
            word = word.strip()
            if not word or _PUNCT.fullmatch(word):
                continue
            words.append(word)
        return words

    def terms(self, text: str) -> list[str]:
        """Content terms: jieba words minus fillers."""
        return [w for w in self.cut(text) if w not in STOPWORDS and not w.isspace()]

    def expand(self, terms: Iterable[str]) -> list[str]:
        """Synonyms are added; what the user typed is never dropped."""
        out = list(terms)
        seen = set(out)
        for term in list(out):
            for syn in self.synonyms.get(term, ()):
                if syn not in seen:
                    out.append(syn)
                    seen.add(syn)
        return out

    def sound_alikes(self, text: str, known: set[str]) -> list[str]:
        """Domain terms that a 2–4 character window of the text sounds like, when the window
        itself is not a known word (体简 → 体检, 军修 → 军休, 灭火期 → 灭火器)."""
        found: list[str] = []
        joined = "".join(ch for ch in normalise(text) if _CJK.match(ch))
        if len(joined) < 2:
            return found
        sounds = [fuzzy_syllable(s) for s in _char_syllables(joined)]
        if len(sounds) != len(joined):  # a character without a reading: skip the fast path
            sounds = [fuzzy_key(ch) for ch in joined]
        for size in (4, 3, 2):
            for i in range(len(joined) - size + 1):
                window = joined[i : i + size]
                if window in known or window in self.domain_terms:
                    continue
                for term in self.sound_index.get(" ".join(sounds[i : i + size]), ()):
                    if term not in found and term not in joined:
                        found.append(term)
        return found


def bigrams(text: str) -> list[str]:
    chars = [ch for ch in normalise(text) if _CJK.match(ch)]
    return ["".join(chars[i : i + 2]) for i in range(len(chars) - 1)]
