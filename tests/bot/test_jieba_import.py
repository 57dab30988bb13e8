"""jieba is imported without pkg_resources (bot/__init__.py) and still finds its own files."""

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
