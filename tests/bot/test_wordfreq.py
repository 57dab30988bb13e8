"""jieba's dictionary packed (bot/wordfreq.py) answers exactly what jieba's own dict answers, so
the loaded index cuts every text as jieba does."""

from __future__ import annotations

import pickle
from pathlib import Path

import jieba
import pytest

from bot.index import BotIndex, default_knowledge_dir, load_index, save_index
from bot.kb import load_clauses
from bot.wordfreq import SEP, PackedFreq, tokenizer


@pytest.fixture(scope="module")
def plain() -> jieba.Tokenizer:
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


@pytest.fixture(scope="module")
def packed(plain: jieba.Tokenizer) -> PackedFreq:
    return pickle.loads(pickle.dumps(PackedFreq.pack(plain.FREQ, plain.total)))


def test_every_key_and_its_frequency(plain: jieba.Tokenizer, packed: PackedFreq) -> None:
    assert packed.total == plain.total
    assert all(packed.lookup(key) == value for key, value in plain.FREQ.items())


def test_no_key_that_jieba_does_not_hold(plain: jieba.Tokenizer, packed: PackedFreq) -> None:
    for key in list(plain.FREQ)[::7]:
        for probe in (key + "的", "的" + key, key[:-1] + "ぁ", key + SEP, key[:1] + SEP + "x"):
            assert packed.lookup(probe) == plain.FREQ.get(probe), probe
    assert packed.lookup("") is None


def test_cuts_and_added_words_are_jiebas(plain: jieba.Tokenizer, packed: PackedFreq) -> None:
    ours, theirs = tokenizer(packed), jieba.Tokenizer()
    theirs.initialize()
    for tok in (ours, theirs):
        tok.add_word("军休干部", freq=3000)
        tok.add_word("退休费", freq=2000)
    texts = [c.text for c in load_clauses(default_knowledge_dir())]
    texts += ["我父亲是军休干部，退休费每月几号发？", "中中中一一不不", "x\x00y", ""]
    for text in texts:
        assert ours.lcut(text, HMM=False) == theirs.lcut(text, HMM=False)
    assert ours.FREQ.get("军休") == theirs.FREQ.get("军休") == 0
    assert ours.total == theirs.total


def test_an_index_packed_from_another_jieba_dictionary_is_not_loaded(
    bot_index: BotIndex, tmp_path: Path
) -> None:
    path = tmp_path / "index.pkl"
    assert bot_index.words is not None
    digest = bot_index.words.digest
    try:
        bot_index.words.digest = "another"
        save_index(bot_index, path)
    finally:
        bot_index.words.digest = digest
    with pytest.raises(ValueError):
        load_index(path)


def test_a_prefix_that_is_no_word_is_not_stored_but_still_found() -> None:
    freq = {"军": 9, "军休": 0, "军休干": 0, "军休干部": 5, "军人": 0, "退": 0, "退休": 4, "零": 0}
    packed = PackedFreq.pack(freq, total=18)
    # kept: the words, and 零 and 军人 (frequency 0 but a prefix of no other key)
    assert len(packed.freqs) == 5
    assert {key: packed.lookup(key) for key in freq} == freq
    for probe in ("军休干部们", "军干", "退休费", "零一", "人", "休"):
        assert packed.lookup(probe) is None, probe


def test_jiebas_prefixes_that_are_no_word_take_no_room(
    plain: jieba.Tokenizer, packed: PackedFreq
) -> None:
    words = [key for key, value in plain.FREQ.items() if value]
    assert len(packed.freqs) < len(words) + len(plain.FREQ) // 100


def test_first_characters_found_by_code_point_and_beyond_the_table() -> None:
    freq = {"军": 9, "军休": 4, "𠀀": 0, "𠀀字": 2, "a": 1}
    packed = PackedFreq.pack(freq, total=16)
    assert len(packed.run_of) == ord("军") + 1  # up to the last first character in the table
    assert set(packed.other_runs) == {"𠀀"}  # past the table: U+20000
    assert {key: packed.lookup(key) for key in freq} == freq
    for probe in ("b", "休", "龥", "𠀁", "𠀀文", "军人"):
        assert packed.lookup(probe) is None, probe


def test_the_first_characters_take_no_strings(packed: PackedFreq) -> None:
    assert not packed.other_runs  # every first character of jieba's dictionary is in the table
    assert packed.run_of.itemsize * len(packed.run_of) < 200_000
