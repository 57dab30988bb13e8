"""Run every benchmark script in bench/ (bench_*.py) and print each one's table.

Usage: python -m bench [name ...]   e.g. python -m bench bot
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    # bench_http measures the sign-up path (with its baseline); bench_bookings is the older
    # SQLite + PostgreSQL invariant run, by name only.
    names = argv or [s.stem.removeprefix("bench_") for s in scripts if s.stem != "bench_bookings"]
    scripts = [s for s in scripts if s.stem.removeprefix("bench_") in names]
    failed = 0
    for script in scripts:
        print(f"\n== {script.stem} ==", flush=True)
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent)
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
