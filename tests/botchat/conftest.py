"""Botchat fixtures: running the content-check job the scheduler runs every few seconds."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from backend.botchat import scheduled
from backend.botchat.checks import CheckResult


@pytest.fixture
def run_checks(app_server) -> Callable[[], CheckResult]:
    """Run the job botchat.content_checks once, as the scheduler would after the reply."""
    return lambda: scheduled.check_questions(app_server.app.state.ctx)
