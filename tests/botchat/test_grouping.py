"""Grouping unanswered questions: the same question groups, different topics never mix."""

from __future__ import annotations

import pytest

from backend.botchat import grouping
from bot.index import default_knowledge_dir
from bot.text import TextProcessor


@pytest.fixture(scope="module")
def terms() -> grouping.Terms:
    return TextProcessor.from_knowledge(default_knowledge_dir()).terms


def _groups(questions: list[str], terms: grouping.Terms) -> list[list[str]]:
    return grouping.group(questions, text=lambda q: q, terms=terms)


@pytest.mark.parametrize(
    "first, second",
    [
        ("老爷子的护理补贴每个月怎么领取呢", "老爷子的交通补贴每个月怎么领取呢"),
        ("您好，请问我爸出国要报备吗", "您好，请问我爸住院报销"),
        ("我想问一下老爷子体检的事", "我想问一下老爷子遗属补助的事"),
        ("补贴怎么领取", "护理补贴怎么领取"),
    ],
)
def test_different_topics_sharing_filler_are_two_groups(
    first: str, second: str, terms: grouping.Terms
) -> None:
    assert _groups([first, second], terms) == [[first], [second]]


@pytest.mark.parametrize(
    "wordings",
    [
        ["体检多长时间一次", "多久体检一次呀", "您好，请问体检多久一次？"],
        ["我父亲想了解一下出国报备", "出国需要报备吗", "请问我爸出国要报备吗"],
        ["退休费什么时候发", "退修费什么时候发"],  # voice input: one character sounds the same
        ["所里棋牌室几点开门", "棋牌室几点开门啊"],
        ["今天股票行情怎么样", "股票今天涨了吗"],
    ],
)
def test_near_identical_wordings_group_together(wordings: list[str], terms: grouping.Terms) -> None:
    assert _groups(wordings, terms) == [wordings]


def test_a_group_does_not_drift_through_a_chain_of_near_matches(terms: grouping.Terms) -> None:
    """B is like A and C is like B, but C is not like A: C starts its own group."""
    questions = ["股票行情", "股票", "股票代码"]
    assert grouping.same_question(
        grouping.Key.of("股票", terms), grouping.Key.of("股票代码", terms)
    )
    assert not grouping.same_question(
        grouping.Key.of("股票行情", terms), grouping.Key.of("股票代码", terms)
    )
    assert _groups(questions, terms) == [["股票行情", "股票"], ["股票代码"]]


def test_buckets_keep_answers_to_different_clauses_apart(terms: grouping.Terms) -> None:
    rows = [
        ("体检多久一次", "第二十条"),
        ("多久体检一次", "第十一条"),
        ("体检多长时间一次", "第二十条"),
    ]
    groups = grouping.group(rows, text=lambda r: r[0], terms=terms, bucket=lambda r: r[1])
    assert groups == [[rows[0], rows[2]], [rows[1]]]
