"""How tune.jsonl and test.jsonl were made from questions.jsonl: once, with a fixed seed.

questions.jsonl was written by two people who never saw the bot's index or knowledge files
(every clause of the five documents asked at least once, out-of-scope questions and app requests,
long / voice-input homophone / dialect / family-member styles tagged in `styles`). It was split
per kind, half and half, before the bot was tuned; weights and thresholds are fit on the tune half
only (`python -m bot fit`), and the README quotes the test half.

Run `python tests/bot/eval/split.py` to check that the committed split is the one the seed gives.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SEED = 20261127
HERE = Path(__file__).parent


def split(rows: list[dict]) -> tuple[list[dict], list[dict]]:  # type: ignore[type-arg]
    rng = random.Random(SEED)
    tune: list[dict] = []  # type: ignore[type-arg]
    test: list[dict] = []  # type: ignore[type-arg]
    for kind in ("policy", "out_of_scope", "intent"):
        group = [r for r in rows if r["kind"] == kind]
        rng.shuffle(group)
        half = len(group) // 2
        tune += group[:half]
        test += group[half:]
    return tune, test


def _ids(path: Path) -> set[str]:
    return {json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()}


if __name__ == "__main__":
    # questions.jsonl holds the parts in the order they were written (part 1, then part 2).
    rows = [
        json.loads(line)
        for line in (HERE / "questions.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    tune, test = split(rows)
    assert {r["id"] for r in tune} == _ids(HERE / "tune.jsonl")
    assert {r["id"] for r in test} == _ids(HERE / "test.jsonl")
    print(f"split reproduced: tune {len(tune)}, test {len(test)}")  # noqa: T201
