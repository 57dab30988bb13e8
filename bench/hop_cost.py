"""What one hand-off to the thread pool costs: `anyio.to_thread.run_sync` of a function that does
nothing, one after another and 50 at once (what FastAPI does for each plain `def` endpoint and
dependency; backend/core/routing.py says why it matters).

Run: PYTHONPATH=. .venv/bin/python -m bench.hop_cost"""

from __future__ import annotations

import time

import anyio
import anyio.to_thread

N = 5000


def _nothing() -> int:
    return 1


async def _main() -> None:
    for _ in range(200):  # the pool's threads started
        await anyio.to_thread.run_sync(_nothing)
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(N):
        await anyio.to_thread.run_sync(_nothing)
    print(
        f"one at a time: {(time.perf_counter() - wall) / N * 1e6:.0f} µs wall, "
        f"{(time.process_time() - cpu) / N * 1e6:.0f} µs CPU a hop"
    )

    async def hundred() -> None:
        for _ in range(N // 50):
            await anyio.to_thread.run_sync(_nothing)

    wall, cpu = time.perf_counter(), time.process_time()
    async with anyio.create_task_group() as tasks:
        for _ in range(50):
            tasks.start_soon(hundred)
    print(
        f"50 at once:    {(time.perf_counter() - wall) / N * 1e6:.0f} µs wall, "
        f"{(time.process_time() - cpu) / N * 1e6:.0f} µs CPU a hop"
    )


if __name__ == "__main__":
    anyio.run(_main)
