"""Text primitives: width/number folding, the jieba tokenizer built from knowledge/, pinyin keys,
the domain dictionary and its sound index (voice-input homophones)."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jieba

from bot import yamlfile
from bot.kb import chinese_number
from bot.sounds import pinyin
from bot.wordfreq import PackedFreq
from bot.wordfreq import tokenizer as packed_tokenizer

jieba.setLogLevel(logging.WARNING)

CJK = re.compile(r"[\u4e00-\u9fff]")
_ARTICLE_DIGITS = re.compile(r"第\s*(\d{1,3})\s*条")
PUNCT = re.compile(r"[\s,，。.!！?？;；:：、'\"“”‘’（）()\[\]【】<>《》~～…·\-—_/\\|*#]+")

# Words that carry no topic (after normalise.py has rewritten dialect and removed fillers).
STOPWORDS = frozenset(
    """
    的 了 吗 呢 吧 啊 呀 哦 嘛 么 啥 咋 怎 怎么 怎么样 怎样 什么 哪 哪里 哪儿 哪些 多少 几 谁
    为啥 为什么 是 不 没 没有 有 有没有 是不是 能 能不能 可以 可不可以 会 会不会 要 要不要 得 该
    应该 还 还能 也 都 就 我 我们 咱 咱们 你 您 他 她 它 他们 她们 人家 自己 家里 那 这
    那个 这个 这些 那些 个 一个 一下 一些 些 点 一点 下 上 里 中 给 跟 和 与 及 或 或者 在 到 从
    对 把 被 让 叫 请 问 想 平时 一般 一直 一样 这样 那样 还是 就是 只是 如果 要是 的话 怎么办
    办法 事 事儿 情况 啦 呗 嗯 哈 诶 喂 呐 一回 回 时候 到底 究竟 这边 那边 这里 那里 都有
    有啥 行不行 成不成 管不管 不管 知道 知不知道 吧 呀 咱家 我家 他家 家 现在 今年 去年 明年
    已经 刚 刚刚 马上 然后 所以 因为 但是 可是 不过 而且 还有 另外 比如 多 很 太 挺 特别 非常
    真 真的 老 好 行 对 嗯 么 哎 去 来 做 弄 搞 办 看 说 讲 问问 告诉 想问 请问 需要 需不需要
    用 用不用 怎么样 呢 吗 啥样 咋样 一年 每 每个 各 各个 其他 别的 这么 那么 多久 多长时间
    """.split()
)


def fold(text: str) -> str:
    """Full-width → half-width, lower case, 第20条 → 第二十条, folded white space."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _ARTICLE_DIGITS.sub(lambda m: f"第{chinese_number(int(m.group(1)))}条", text)
    return re.sub(r"\s+", " ", text).strip()


# The old name, kept for callers.
normalise = fold


def cjk_only(text: str) -> str:
    return "".join(ch for ch in text if CJK.match(ch))


def char_grams(text: str, sizes: tuple[int, ...] = (2, 3)) -> list[str]:
    """Character n-grams inside each run of Chinese characters (never across punctuation)."""
    out: list[str] = []
    for run in re.findall(r"[\u4e00-\u9fff]+", text):
        for n in sizes:
            out.extend(run[i : i + n] for i in range(len(run) - n + 1))
    return out


def bigrams(text: str) -> list[str]:
    return char_grams(fold(text), (2,))


@lru_cache(maxsize=16384)
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


@lru_cache(maxsize=16384)
def char_sound(ch: str) -> str:
    syl = pinyin(ch)
    return fuzzy_syllable(syl) if syl else ch


@lru_cache(maxsize=16384)
def fuzzy_key(text: str) -> str:
    return " ".join(char_sound(ch) for ch in text)


def one_slip(window: str, word: str) -> bool:
    """Voice input gets one character wrong, not all of them (亮剑 is not 年检): the window
    differs from the word in at most one character (two in a four-character word)."""
    slips = sum(1 for a, b in zip(window, word, strict=False) if a != b)
    return len(window) == len(word) and 0 < slips <= (2 if len(word) >= 4 else 1)


@dataclass
class TextProcessor:
    """The tokenizer and the domain dictionary. Built once from knowledge/, never jieba's global."""

    tokenizer: jieba.Tokenizer
    synonyms: dict[str, set[str]] = field(default_factory=dict)
    domain_terms: set[str] = field(default_factory=set)
    # fuzzy pinyin key → domain terms that sound like it (for voice-input homophones)
    sound_index: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def from_knowledge(
        cls,
        knowledge_dir: Path,
        extra_terms: Iterable[str] = (),
        dictionary: PackedFreq | None = None,
    ) -> TextProcessor:
        """dictionary: jieba's, packed (bot/wordfreq.py) as the index keeps it; without it,
        jieba's own (the same words: more memory, slower to load, faster to read)."""
        if dictionary is not None:
            tokenizer = packed_tokenizer(dictionary)
        else:
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
            for group in yamlfile.load(synfile.read_text(encoding="utf-8")) or []:
                words = {cjk_only(fold(str(w))) or fold(str(w)) for w in group}
                for word in words:
                    synonyms.setdefault(word, set()).update(words - {word})
                    if len(word) >= 2:
                        tokenizer.add_word(word, freq=3000)
        for term in extra_terms:
            if 2 <= len(term) <= 6:
                tokenizer.add_word(term, freq=2000)
                domain_terms.add(term)
        processor = cls(tokenizer=tokenizer, synonyms=synonyms, domain_terms=domain_terms)
        processor.tokenizer.lcut("军休干部体检")  # warm the tokenizer now
        return processor

    def add_domain_terms(self, terms: Iterable[str]) -> None:
        for term in terms:
            if 2 <= len(term) <= 4 and all(CJK.match(ch) for ch in term):
                self.domain_terms.add(term)
                self.sound_index.setdefault(fuzzy_key(term), set()).add(term)

    def cut(self, text: str) -> list[str]:
        words = []
        for word in self.tokenizer.lcut(text, HMM=False):
            word = word.strip()
            if word and not PUNCT.fullmatch(word):
                words.append(word)
        return words

    def terms(self, text: str) -> list[str]:
        """Content terms of already-normalised text: jieba words minus fillers and lone digits."""
        return [w for w in self.cut(fold(text)) if w not in STOPWORDS]

    def expand(self, terms: Iterable[str]) -> list[str]:
        """Synonyms are added; what the user typed is never dropped."""
        out = list(dict.fromkeys(terms))
        seen = set(out)
        for term in list(out):
            for syn in self.synonyms.get(term, ()):
                if syn not in seen:
                    out.append(syn)
                    seen.add(syn)
        return out

    def sound_alikes(self, text: str, known: set[str] | frozenset[str] = frozenset()) -> list[str]:
        return list(dict.fromkeys(word for _, word in self.sound_repairs(text, known)))

    def sound_repairs(
        self, text: str, known: set[str] | frozenset[str] = frozenset()
    ) -> list[tuple[str, str]]:
        """(window, domain word) for each 2–4 character window of the text that sounds like a
        domain word while not being a word we know (退修费 → 退休费, 以疗 → 医疗, 军修 → 军休)."""
        found: list[tuple[str, str]] = []
        for run in re.findall(r"[\u4e00-\u9fff]+", text):
            sounds = [char_sound(ch) for ch in run]
            for size in (4, 3, 2):
                for i in range(len(run) - size + 1):
                    window = run[i : i + size]
                    if window in self.domain_terms or window in known:
                        continue
                    for term in self.sound_index.get(" ".join(sounds[i : i + size]), ()):
                        if (
                            term not in run
                            and one_slip(window, term)
                            and (window, term) not in found
                        ):
                            found.append((window, term))
        return found
