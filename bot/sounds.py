"""Each Chinese character's reading (pinyin without tones), from a table in this folder.

The table is pypinyin's single-character reading of U+4E00–U+9FFF, written once by
`python -m bot.sounds` (tests/bot/test_sounds.py checks it against pypinyin). The server reads
the table instead of importing pypinyin, whose phrase dictionary alone costs ~55 MB per worker;
a character outside the table's range is still asked of pypinyin."""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("char_pinyin.txt")
FIRST, LAST = 0x4E00, 0x9FFF


@lru_cache(maxsize=1)
def _table() -> tuple[str, ...]:
    # One line per code point from FIRST to LAST; an empty line: pypinyin has no reading.
    lines = TABLE.read_text(encoding="ascii").split("\n")
    if len(lines) != LAST - FIRST + 1:
        raise ValueError(f"{TABLE.name} is damaged; rebuild it with `python -m bot.sounds`")
    # ~21,000 lines but ~400 readings: one string for each reading (1.1 MB less per worker).
    return tuple(sys.intern(line) for line in lines)


def _pypinyin(ch: str) -> str:
    from pypinyin import Style, lazy_pinyin

    syl = lazy_pinyin(ch, style=Style.NORMAL, errors="ignore")
    return syl[0] if syl else ""


def pinyin(ch: str) -> str:
    """The character's reading, "" when it has none (what pypinyin's lazy_pinyin says)."""
    code = ord(ch) if len(ch) == 1 else -1
    if FIRST <= code <= LAST:
        return _table()[code - FIRST]
    return _pypinyin(ch)


def write_table(path: Path = TABLE) -> None:
    path.write_text("\n".join(_pypinyin(chr(c)) for c in range(FIRST, LAST + 1)), encoding="ascii")


if __name__ == "__main__":
    write_table()
