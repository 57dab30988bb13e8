"""Start-up without the cyclic collector, then everything frozen out of its way (core/memory.py);
the served app imports no library that only a few routes use (wechatpy, apscheduler, qrcode),
and builds the staff API and the console after start-up, in the background (core/lazy_part.py)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from backend.core.memory import collector_paused, settle_after_startup

REPO = Path(__file__).resolve().parents[2]


def test_collector_paused_restores_the_collector_even_when_the_block_fails() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


def test_settle_freezes_only_when_asked() -> None:
    gc.unfreeze()
    settle_after_startup(freeze=False)
    assert gc.get_freeze_count() == 0
    settle_after_startup(freeze=True)
    try:
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


SERVED = """
import asyncio, gc, sys
from backend.main import app
assert not any(m in sys.modules for m in ("wechatpy", "requests", "apscheduler", "qrcode")), [
    m for m in ("wechatpy", "requests", "apscheduler", "qrcode") if m in sys.modules]
assert gc.isenabled()
# The console's page modules and the staff routers are built after start-up
# (core/lazy_part.py), not imported; the staff API is the app's first route, not built.
assert not [m for m in sys.modules if m.startswith("backend.console.pages_")]
staff_routers = [m for m in sys.modules if m.rsplit(".", 1)[-1].endswith("staff_router")]
assert not staff_routers, staff_routers
from backend.core.staff_api import StaffApi
assert isinstance(app.router.routes[0], StaffApi) and not app.router.routes[0].built
async def main():
    async with app.router.lifespan_context(app):
        assert gc.isenabled() and gc.get_freeze_count() > 100_000, gc.get_freeze_count()
        import threading
        for t in threading.enumerate():
            if t.name == "lazy-parts-build":
                t.join(timeout=60)
        assert "backend.console.pages_medical" in sys.modules  # built in the background
        assert "backend.meals.staff_router" in sys.modules and app.router.routes[0].built
asyncio.run(main())
print("ok")
"""


def test_the_served_app_starts_lean_and_leaves_the_collector_on(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "REDIS_URL": "",
        "RUN_SCHEDULER": "false",
        "MOUNT_FAKE_WECHAT": "false",
        "BOT_INDEX_PATH": str(tmp_path / "bot_index.pkl"),
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "LOG_LEVEL": "WARNING",
    }
    result = subprocess.run(
        [sys.executable, "-c", SERVED], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")
