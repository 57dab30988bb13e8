"""Build, save, load and swap the index; staff FAQ entries change answers."""

from __future__ import annotations

from pathlib import Path

from bot.answer import answer_question
from bot.index import (
    BotIndex,
    FaqEntry,
    IndexHolder,
    build_index,
    default_knowledge_dir,
    load_index,
    save_index,
)


def test_save_and_load_give_the_same_answers(bot_index: BotIndex, tmp_path: Path) -> None:
    path = tmp_path / "index.pkl"
    save_index(bot_index, path)
    loaded = load_index(path)
    for question in ("体检多久一次", "出国要报备吗", "第二十条"):
        a, b = answer_question(bot_index, question), answer_question(loaded, question)
        assert (a.answered, [s.clause for s in a.sources]) == (
            b.answered,
            [s.clause for s in b.sources],
        )


def test_staff_faq_entry_is_answered_after_rebuild_and_swap(bot_index: BotIndex) -> None:
    question = "所里的棋牌室几点开门"
    holder = IndexHolder(bot_index)
    assert not answer_question(holder.get(), question).answered
    extra = FaqEntry(
        id="staff-1",
        questions=["棋牌室几点开门", "棋牌室开放时间"],
        answer="棋牌室每天上午8点开门，下午5点关门。",
        sources=[("mva-order-5-2021", "第二十六条")],
    )
    holder.swap(build_index(default_knowledge_dir(), extra_faq=[extra]))
    answer = answer_question(holder.get(), question)
    assert answer.answered and "上午8点" in answer.answer
    assert "staff-1" in holder.get().faq_ids


def test_an_index_built_from_other_knowledge_is_not_loaded(tmp_path: Path) -> None:
    import shutil

    import pytest

    knowledge = tmp_path / "knowledge"
    shutil.copytree(default_knowledge_dir(), knowledge)
    index = build_index(knowledge)
    path = tmp_path / "index.pkl"
    save_index(index, path)
    assert load_index(path, knowledge).fingerprint == index.fingerprint
    with (knowledge / "synonyms.yaml").open("a", encoding="utf-8") as fh:
        fh.write("- [棋牌室, 麻将室]\n")
    with pytest.raises(ValueError):
        load_index(path, knowledge)
