"""Policy bot speed and memory: index build, index load, per-question latency (p50/p99).

Targets (issue): p99 ≤ 5 ms per question in-process; build ≤ 5 s; start-up with a warm index ≤ 3 s.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.answer import answer_question  # noqa: E402
from bot.index import build_index, default_knowledge_dir, load_index, save_index  # noqa: E402
from bot.text import _char_syllables, fuzzy_key  # noqa: E402

QUESTIONS = [
    "体检多久一次",
    "出国要报备吗",
    "丧葬费怎么领",
    "退役金每月几号发",
    "老年大学在哪报名",
    "所里有值班的吗",
    "第二十条",
    "帮我约个车",
    "今天股票怎么样",
    "自付医疗费补助比例是多少",
    "流动党员怎么过组织生活",
    "每年的体简啥时候做",
    "独居老人有特殊照顾吗",
    "你好",
]


def main() -> None:
    knowledge = default_knowledge_dir()
    dev = REPO.parent / "shared" / "bot" / "dev_questions.jsonl"
    questions = list(QUESTIONS)
    if dev.exists():
        questions += [json.loads(line)["question"] for line in dev.read_text("utf-8").splitlines()]

    started = time.perf_counter()
    index = build_index(knowledge)
    build_s = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "index.pkl"
        save_index(index, path)
        size_mb = path.stat().st_size / 1e6
        started = time.perf_counter()
        loaded = load_index(path)
        load_s = time.perf_counter() - started
        tracemalloc.start()
        load_index(path)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

    for question in questions:  # warm-up
        answer_question(loaded, question)
    timings = []
    rounds = max(1, 2000 // len(questions))
    for _ in range(rounds):
        for question in questions:
            # Repeated questions must not hit the per-text pinyin cache: measure a cold ask.
            _char_syllables.cache_clear()
            fuzzy_key.cache_clear()
            t0 = time.perf_counter()
            answer_question(loaded, question)
            timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    p50 = statistics.median(timings)
    p99 = timings[int(len(timings) * 0.99) - 1]

    rows = [
        ("index build", f"{build_s:.2f} s", "≤ 5 s"),
        ("index load (warm start)", f"{load_s:.2f} s", "≤ 3 s"),
        ("index file", f"{size_mb:.1f} MB", ""),
        ("load peak memory (Python)", f"{peak / 1e6:.0f} MB", ""),
        (f"question latency p50 ({len(timings)} asks)", f"{p50:.2f} ms", ""),
        ("question latency p99", f"{p99:.2f} ms", "≤ 5 ms"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>10}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>10}  {target}")


if __name__ == "__main__":
    main()
