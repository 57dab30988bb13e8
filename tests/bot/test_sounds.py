"""The character reading table the bot uses instead of pypinyin says what pypinyin says."""

from pypinyin import Style, lazy_pinyin

from bot import sounds


def test_table_matches_pypinyin_for_every_character() -> None:
    for code in range(sounds.FIRST, sounds.LAST + 1):
        ch = chr(code)
        syl = lazy_pinyin(ch, style=Style.NORMAL, errors="ignore")
        assert sounds.pinyin(ch) == (syl[0] if syl else ""), ch


def test_outside_the_table_pypinyin_is_asked() -> None:
    expected = lazy_pinyin("㐀", style=Style.NORMAL, errors="ignore") or [""]
    assert sounds.pinyin("㐀") == expected[0]
    assert sounds.pinyin("a") == ""


def test_the_server_does_not_import_pypinyin_for_the_bot() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from bot.text import char_sound; char_sound('军'); "
        "print('pypinyin' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_each_reading_is_held_once() -> None:
    table = sounds._table()
    assert len({id(s) for s in table}) == len(set(table)) < 1000
