"""第二十条 in 分: nothing up to 5万, 70% of the part between 5万 and 10万, 50% of the part above
10万, at most 10万; each band rounded down to the 分."""

from __future__ import annotations

import pytest

from backend.medical.rules import CAP, subsidy, yuan

WAN = 1_000_000  # 1万元 in 分


@pytest.mark.parametrize(
    ("paid", "expected"),
    [
        (0, 0),
        (-5, 0),
        (5 * WAN - 1, 0),
        (5 * WAN, 0),
        (5 * WAN + 1, 0),  # 70% of 1分 rounds down to 0
        (5 * WAN + 10, 7),
        (6 * WAN, 700_000),
        (10 * WAN - 1, 3_499_999),  # 4999999 × 0.7 = 3499999.3 → 3499999
        (10 * WAN, 3_500_000),
        (10 * WAN + 1, 3_500_000),  # 50% of 1分 rounds down
        (10 * WAN + 2, 3_500_001),
        (12 * WAN, 4_500_000),
        (23 * WAN - 2, CAP - 1),
        (23 * WAN, CAP),  # the cap is reached at 23万 self-paid
        (23 * WAN + 1, CAP),
        (100 * WAN, CAP),
    ],
)
def test_subsidy_bands_and_cap(paid: int, expected: int) -> None:
    assert subsidy(paid) == expected


def test_yuan_reads_fen_as_yuan() -> None:
    assert (yuan(3_500_001), yuan(7), yuan(0)) == ("35000.01", "0.07", "0.00")
