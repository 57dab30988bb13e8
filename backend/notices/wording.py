"""How a family member's copy of a message reads: it says whose message it is.

Messages are written to the retiree (「您已订上“午餐”」). A daughter reading that would think she
had ordered lunch, so every copy is reworded with the retiree's name (「李淑珍已订上“午餐”」)
wherever a copy is shown: the inbox, the message detail and the WeChat reminder."""

from __future__ import annotations

import re

# 「您」 as the person the message is about; greetings (您好) stay addressed to the reader.
_YOU = re.compile(r"您(?!好)")


def for_copy(text: str, retiree_name: str) -> str:
    """A text written to the retiree, reworded for a family member's copy."""
    return _YOU.sub(retiree_name, text) if retiree_name else text


def shown(text: str, *, is_copy: bool, retiree_name: str) -> str:
    return for_copy(text, retiree_name) if is_copy else text
