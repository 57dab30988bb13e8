"""The subsidy of personal medical costs (吉林省军休服务管理办法 第二十条), in 分.

"个人自付医疗费超过 5 万元的，按照超出部分的 70%给予补助；个人自付医疗费超过 10 万元的，按照超出
部分的 50%给予补助；补助最高限额为 10 万元。"

Read as marginal bands: the part of the year's self-paid costs between 5万 and 10万 at 70%, the
part above 10万 at 50%, the total capped at 10万 (reached at 23万 self-paid). Each band is
rounded down to the 分 on its own (integer division), so the subsidy never exceeds the rule."""

from __future__ import annotations

FLOOR = 5_000_000  # 5万元 in 分
UPPER = 10_000_000  # 10万元 in 分
CAP = 10_000_000  # 补助最高限额 10万元 in 分


def subsidy(self_paid: int) -> int:
    """The year's subsidy for `self_paid` 分 of accepted personal costs."""
    paid = max(self_paid, 0)
    middle = max(0, min(paid, UPPER) - FLOOR) * 70 // 100
    top = max(0, paid - UPPER) * 50 // 100
    return min(CAP, middle + top)


def yuan(fen: int) -> str:
    """分 as 元 for people to read: 12345 → "123.45"."""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"
