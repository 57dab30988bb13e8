"""Which unanswered questions are the same question, so one staff answer reaches all who asked.

Strict on purpose: a wrong group sends one person's answer to another person's question. Two
questions are the same when, after the words that say nothing about the topic are taken out
(greetings, "我想问一下", who is asking for whom, question words, time and frequency words), they
read the same or sound the same (voice input: 退修费 for 退休费), or every topic word of each is
found in the other. Sharing "老爷子" and "每个月怎么领" is not enough: 护理补贴 and 交通补贴 stay
apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

Terms = Callable[[str], list[str]]

# Whole phrases that only say who asks, or how politely (taken out before comparing wordings).
FILLER_PHRASES = sorted(
    """
    我想问一下 我想问问 想问一下 麻烦问一下 麻烦问下 请问一下 我想咨询 想咨询 我想了解 想了解
    我想知道 想知道 我想问 请问 问一下 问问 您好 你好 谢谢您 谢谢 麻烦您 麻烦
    我家老爷子 老爷子 老太太 老头子 我家老人 家里老人 老人家 他老人家 我父亲 我母亲 我爸爸
    我妈妈 我爸 我妈 俺爹 俺娘 俺家 老同志 同志
    """.split(),
    key=len,
    reverse=True,
)
_PARTICLES = re.compile(r"[啊呀吗呢吧了的哦嘛呗啦哈]")
_PUNCT = re.compile(r"[\W_]+", re.UNICODE)

# Words that never tell one topic from another: who asks, how, when, how often.
FILLER_WORDS = frozenset(
    """
    您好 你好 请问 问问 问一下 想问 想问问 咨询 了解 知道 清楚 麻烦 谢谢 老爷子 老太太 老头子
    老头 老伴 老伴儿 我爸 我妈 爸爸 妈妈 爸 妈 父亲 母亲 老父亲 老母亲 爹 娘 俺爹 俺娘 俺家 我家
    家里 家人 老人 老人家 老同志 同志 军休干部 老干部 干部 子女 儿子 女儿 孩子 本人 自己 我们
    所里 站里 咱们 咱 俺 侬 我 你 您 他 她 怎么 怎么样 怎样 咋 啥 什么 多少 多久 哪里 哪儿
    哪个 吗 呢 吧
    啊 呀 的 了 是 不是 能 能不能 可以 可不可以 要 要不要 有 没有 有没有 会 会不会 该 应该 需要
    需不需要 今天 明天 昨天 现在 最近 每个 每个月 每月 每年 每次 一次 两次 几次 一年 时候
    什么时候 时间 多长时间 几点 情况 问题 事情 事 事儿 怎么办 咋办 咋弄 咋整 弄 办 搞 一下
    """.split()
)
# Of two topic words, one may be the other's start (股票 / 股票行情), never its end
# (补贴 / 护理补贴: 护理 is what the question is about).
MIN_PREFIX = 2
# Long questions may differ in one topic word in five (context a child adds around the question).
MANY_TERMS_SHARE = 0.8


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def wording_key(text: str) -> str:
    """The question with punctuation, particles and politeness taken out."""
    text = _PUNCT.sub("", _normal(text))
    for phrase in FILLER_PHRASES:
        text = text.replace(phrase, "")
    return _PARTICLES.sub("", text)


@lru_cache(maxsize=4096)
def _sound(text: str) -> str:
    # Imported here: pypinyin's phrase dictionary costs ~55 MB, and only the staff's question
    # queue compares sounds of whole phrases (the bot reads bot/char_pinyin.txt instead).
    from pypinyin import Style, lazy_pinyin

    return " ".join(lazy_pinyin(text, style=Style.NORMAL, errors="default"))


def topic_terms(text: str, terms: Terms | None) -> tuple[str, ...]:
    """The words that say what the question is about (single characters are too weak)."""
    if terms is None:
        return ()
    out: list[str] = []
    for term in terms(_normal(text)):
        term = term.strip()
        if len(term) >= 2 and term not in FILLER_WORDS and term not in out:
            out.append(term)
    return tuple(out)


def _same_term(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= MIN_PREFIX and long.startswith(short):
        return True
    return len(a) == len(b) and _sound(a) == _sound(b)


def _share(mine: Sequence[str], theirs: Sequence[str]) -> float:
    return sum(1 for t in mine if any(_same_term(t, u) for u in theirs)) / len(mine)


@dataclass(frozen=True)
class Key:
    wording: str
    topics: tuple[str, ...]

    @classmethod
    def of(cls, text: str, terms: Terms | None) -> Key:
        return cls(wording_key(text), topic_terms(text, terms))


def same_question(a: Key, b: Key) -> bool:
    if a.wording and (a.wording == b.wording or _sound(a.wording) == _sound(b.wording)):
        return True
    if not a.topics or not b.topics:
        return False
    need = 1.0 if max(len(a.topics), len(b.topics)) < 5 else MANY_TERMS_SHARE
    return _share(a.topics, b.topics) >= need and _share(b.topics, a.topics) >= need


T = TypeVar("T")


@dataclass
class Group(Generic[T]):
    members: list[T]
    keys: list[Key]


def group(
    items: Iterable[T],
    *,
    text: Callable[[T], str],
    terms: Terms | None,
    bucket: Callable[[T], object] = lambda _: None,
) -> list[list[T]]:
    """Greedy, in the order given: an item joins the first group of its bucket whose every
    member is the same question as it (so a chain of near matches never drifts to a new topic)."""
    groups: list[tuple[object, Group[T]]] = []
    for item in items:
        key = Key.of(text(item), terms)
        where = bucket(item)
        for their_bucket, existing in groups:
            if their_bucket == where and all(same_question(key, k) for k in existing.keys):
                existing.members.append(item)
                existing.keys.append(key)
                break
        else:
            groups.append((where, Group(members=[item], keys=[key])))
    return [g.members for _, g in groups]
