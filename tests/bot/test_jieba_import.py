"""jieba is imported without pkg_resources and without its HMM table (bot/__init__.py), still
finds its own files, and cuts with the HMM as jieba alone does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import jieba

ROOT = Path(__file__).resolve().parents[2]


def test_the_bot_imports_jieba_without_pkg_resources() -> None:
    code = "import sys, bot.text; print('pkg_resources' in sys.modules, 'jieba' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "True"]


def test_jieba_reads_the_dictionary_next_to_its_code() -> None:
    with jieba.get_dict_file() as fh:
        assert Path(fh.name) == Path(jieba.__file__).parent / "dict.txt"
        assert fh.read(64)


def _run(code: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return out.stdout


def test_the_hmm_table_is_not_loaded_until_a_cut_reads_it() -> None:
    code = (
        "import sys, bot.text, bot.index, jieba.finalseg as f; "
        "print(len(f.emit_P), 'jieba.finalseg.prob_emit' in sys.modules)"
    )
    assert _run(code).split() == ["0", "False"]


TEXTS = "我父亲是军休干部，退休费每月几号发？|老伴走了抚恤金咋领|遗属生活困难补助找谁办"


def test_cuts_with_the_hmm_are_jiebas_own() -> None:
    code = (
        "import sys, json, {pre} jieba; "
        f"print(json.dumps([jieba.lcut(t, HMM=True) for t in {TEXTS!r}.split('|')], "
        "ensure_ascii=False))"
    )
    ours = _run(code.format(pre="bot.text,"))
    theirs = _run(code.format(pre=""))
    assert ours == theirs
    assert "军休" in ours  # a word not in jieba's dictionary: found by the HMM
    code = (
        "import bot, jieba, jieba.finalseg as f; jieba.lcut('军休', HMM=True); "
        "import jieba.finalseg.prob_emit as p; print(f.emit_P == p.P, len(p.P['B']) > 1000)"
    )
    assert _run(code).split() == ["True", "True"]
