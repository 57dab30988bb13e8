"""Finding Node for the mini-program checks: skipped without it, a failure under CI=true."""

from __future__ import annotations

import os
import shutil

import pytest


def require_node() -> str:
    node = shutil.which("node")
    if node:
        return node
    message = "node is not installed: the mini-program contract cannot be read"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)
