"""The normaliser: filler out, dialect rewritten, a parent becomes 军休干部, homophones repaired by
adding the dictionary word (never dropping what was typed)."""

from __future__ import annotations

import pytest

from bot.index import BotIndex


@pytest.mark.parametrize(
    ("typed", "heard"),
    [
        ("退修费什么时候发", "退休费"),
        ("以疗补助", "医疗"),
        ("军修干部", "军休"),
        ("体简多久一次", "体检"),
    ],
)
def test_homophone_repair_adds_the_word_and_keeps_what_was_typed(
    bot_index: BotIndex, typed: str, heard: str
) -> None:
    query = bot_index.norm().analyse(typed, bot_index.vocabulary)
    assert any(heard in r for r in query.repairs), query.repairs
    assert typed[:2] in query.text, "what was typed stays"


def test_a_common_word_is_not_repaired_into_another(bot_index: BotIndex) -> None:
    query = bot_index.norm().analyse("什么时候体检", bot_index.vocabulary)
    assert "事后" not in query.repairs


@pytest.mark.parametrize(
    ("typed", "standard"),
    [("咋办", "怎么办"), ("啥时候", "什么时候"), ("俺想问", "我"), ("侬晓得伐", "你知道")],
)
def test_dialect_is_rewritten(bot_index: BotIndex, typed: str, standard: str) -> None:
    assert standard in bot_index.norm().dialect_only(typed)


def test_filler_and_the_asking_child_are_removed(bot_index: BotIndex) -> None:
    text, about_parent = bot_index.norm().rewrite("您好，想问一下，我爸那个体检多久一次，谢谢")
    assert about_parent and "军休干部" in text
    for filler in ("您好", "想问一下", "谢谢", "那个", "我爸"):
        assert filler not in text


def test_question_particle_at_the_end_is_dropped(bot_index: BotIndex) -> None:
    text, _ = bot_index.norm().rewrite("证件没带能先救人不")
    assert text.endswith("救人")
    text, _ = bot_index.norm().rewrite("这是什么")
    assert text.endswith("什么"), "什么 keeps its 么"


def test_synonyms_add_the_formal_word(bot_index: BotIndex) -> None:
    query = bot_index.norm().analyse("工资每月几号发", bot_index.vocabulary)
    assert "离退休费" in query.expanded and "工资" in query.expanded


def test_a_known_word_inside_an_unknown_one_is_added(bot_index: BotIndex) -> None:
    # jieba reads 多大面积 as 多 + 大面积, a word no clause or question uses: 面积 is added.
    query = bot_index.norm().analyse("服务中心得有多大面积", bot_index.vocabulary)
    assert "大面积" in query.terms, "what was typed stays"
    assert "面积" in query.repairs
    assert query.alternatives("大面积") == {"面积"}


def test_a_word_heard_in_what_was_typed_is_a_known_word(bot_index: BotIndex) -> None:
    from bot.ranker import unknown_share

    query = bot_index.norm().analyse("退修费啥时候发", bot_index.vocabulary)
    assert "退休费" in query.repairs
    assert unknown_share(bot_index, query) < 1.0
