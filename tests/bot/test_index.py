"""Build, save, load and swap the index; staff FAQ entries change answers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.answer import answer_question
from bot.bm25 import Bm25
from bot.index import (
    BotIndex,
    FaqEntry,
    IndexHolder,
    build_index,
    default_knowledge_dir,
    load_index,
    save_index,
)
from bot.shared_strings import share_equal_strings

STAFF_QUESTION = "所里的棋牌室几点开门"
STAFF_FAQ = FaqEntry(
    id="staff-1",
    questions=["棋牌室几点开门", "棋牌室开放时间"],
    answer="棋牌室每天上午8点开门，下午5点关门。",
    sources=[("mva-order-5-2021", "第二十六条")],
)


@pytest.fixture(scope="module")
def built_with_staff_faq() -> BotIndex:
    """An index built here, in this process (the session's `bot_index` is loaded from a file):
    the round trip below starts from a built one."""
    return build_index(default_knowledge_dir(), extra_faq=[STAFF_FAQ])


def test_save_and_load_give_the_same_answers(
    built_with_staff_faq: BotIndex, tmp_path: Path
) -> None:
    path = tmp_path / "index.pkl"
    save_index(built_with_staff_faq, path)
    loaded = load_index(path)
    for question in ("体检多久一次", "出国要报备吗", "第二十条", STAFF_QUESTION):
        a = answer_question(built_with_staff_faq, question)
        b = answer_question(loaded, question)
        assert (a.answered, [s.clause for s in a.sources]) == (
            b.answered,
            [s.clause for s in b.sources],
        )


def test_staff_faq_entry_is_answered_after_rebuild_and_swap(
    bot_index: BotIndex, built_with_staff_faq: BotIndex
) -> None:
    holder = IndexHolder(bot_index)
    assert not answer_question(holder.get(), STAFF_QUESTION).answered
    holder.swap(built_with_staff_faq)
    answer = answer_question(holder.get(), STAFF_QUESTION)
    assert answer.answered and "上午8点" in answer.answer
    assert "staff-1" in holder.get().faq_ids


def test_an_index_built_from_other_knowledge_is_not_loaded(
    bot_index: BotIndex, tmp_path: Path
) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(default_knowledge_dir(), knowledge)
    path = tmp_path / "index.pkl"
    save_index(bot_index, path)  # built from knowledge/, which the copy holds byte for byte
    assert load_index(path, knowledge).fingerprint == bot_index.fingerprint
    with (knowledge / "synonyms.yaml").open("a", encoding="utf-8") as fh:
        fh.write("- [棋牌室, 麻将室]\n")
    with pytest.raises(ValueError):
        load_index(path, knowledge)


def test_a_save_that_fails_leaves_the_old_file_whole(
    built_with_staff_faq: BotIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers starting together build and save at once; one reading meanwhile must never find
    half a file (it would rebuild: seconds of start-up). The file is renamed into place."""
    path = tmp_path / "index.pkl"
    save_index(built_with_staff_faq, path)
    before = path.read_bytes()

    def broken_dump(*args: object, **kwargs: object) -> None:
        fh = args[1]
        fh.write(b"half a file")  # type: ignore[attr-defined]
        raise OSError("disk full")

    monkeypatch.setattr("bot.index.pickle.dump", broken_dump)
    with pytest.raises(OSError):
        save_index(built_with_staff_faq, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["index.pkl"]


def _strings(root: object) -> list[str]:
    """Every string object reachable from `root` (each object once)."""
    seen: set[int] = set()
    found: list[str] = []
    todo: list[object] = [root]
    while todo:
        obj = todo.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if type(obj) is str:
            found.append(obj)
        elif isinstance(obj, dict):
            todo.extend(obj.keys())
            todo.extend(obj.values())
        elif isinstance(obj, list | tuple | set | frozenset):
            todo.extend(obj)
        elif hasattr(obj, "__dataclass_fields__") and not isinstance(obj, type):
            todo.extend(getattr(obj, name) for name in obj.__dataclass_fields__)
    return found


def test_a_loaded_index_holds_each_word_once(bot_index: BotIndex) -> None:
    """The same word cut from thousands of texts is one object in the saved file, so a worker
    keeps one copy of it (~4 MB less of every worker's memory)."""
    data = {name: getattr(bot_index, name) for name in bot_index.__dataclass_fields__}
    data.pop("processor")  # rebuilt on load from knowledge/, not saved
    data.pop("normaliser")
    strings = _strings(list(data.values()))
    assert len(strings) > 50_000
    assert len({id(s) for s in strings}) == len(set(strings))


def test_a_loaded_index_holds_each_row_number_once(bot_index: BotIndex) -> None:
    """pickle reads every int back as an object of its own; the term tables of a loaded index
    share one object per row number (bot/bm25.py, row_numbers)."""
    tables = [value.postings for value in vars(bot_index).values() if isinstance(value, Bm25)] + [
        bot_index.intent_model.postings
    ]
    numbers = [row for table in tables for row in table.rows.values()]
    assert len(tables) >= 7 and len(numbers) > 50_000
    assert len({id(n) for n in numbers}) == len(set(numbers))


def test_share_equal_strings_keeps_every_value_and_shared_tuples_shared() -> None:
    word = "".join(["离", "休"])
    other = "".join(["离", "休"])
    assert word is not other
    targets = (1, "".join(["离", "休"]))
    box = {"a": [word, frozenset({other})], "b": (targets, targets), other: {word}}
    share_equal_strings(box)
    same = "离休"
    assert box == {"a": [same, frozenset({same})], "b": ((1, same), (1, same)), same: {same}}
    copies = [s for s in _strings(box) if s == same]
    assert len({id(s) for s in copies}) == 1
    first, second = box["b"]
    assert first is second  # a tuple held twice is rebuilt once
