"""Policy bot speed: index build, index load, per-question latency (p50/p99) in-process over the
tune half, the dev set and our own questions.

Targets (issue #11): p99 ≤ 5 ms per question in-process; index build ≤ 10 s.
Run: PYTHONPATH=. .venv/bin/python bench/bench_bot.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.answer import answer_question  # noqa: E402
from bot.cli import TUNE_HALF, dev_set  # noqa: E402
from bot.evaluate import read_rows  # noqa: E402
from bot.index import build_index, default_knowledge_dir, load_index, save_index  # noqa: E402

OWN = REPO / "tests" / "bot" / "own_questions.jsonl"


def _latencies(index, questions: list[str], rounds: int = 3) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    """Wall-clock and CPU milliseconds per question (CPU time is what the bot itself costs when
    the machine is shared and the wall clock includes waiting for a core)."""
    for q in questions:  # warm caches once, as a running server would be
        answer_question(index, q)
    wall, cpu = [], []
    for _ in range(rounds):
        for q in questions:
            started, started_cpu = time.perf_counter(), time.thread_time()
            answer_question(index, q)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - started_cpu) * 1000)
    return wall, cpu


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    knowledge = default_knowledge_dir()
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
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'measure':28}{'value':>12}{'target':>12}")
    print(f"{'index build':28}{build_s:>11.2f}s{'≤ 10 s':>12}")
    print(f"{'index load (warm jieba)':28}{load_s:>11.2f}s{'':>12}")
    print(f"{'index file':28}{size_mb:>10.1f}MB{'':>12}")
    for name, path in (("tune half", TUNE_HALF), ("dev set", dev_set()), ("own questions", OWN)):
        if not path.exists():
            print(f"({name}: not found, skipped)")
            continue
        questions = [r["question"] for r in read_rows(path)]
        wall, cpu = _latencies(loaded, questions)
        label = f"{name} ({len(questions)})"
        for kind, lat in (("wall", wall), ("cpu", cpu)):
            print(
                f"{label + f' {kind} p50 / p99':34}{statistics.median(lat):>7.2f} ms"
                f"{_pct(lat, 99):>8.2f} ms  (p99 target ≤ 5 ms, max {max(lat):.2f} ms)"
            )


if __name__ == "__main__":
    main()
