from __future__ import annotations

import pytest

from bot.index import BotIndex, build_index, default_knowledge_dir


@pytest.fixture(scope="session")
def bot_index() -> BotIndex:
    return build_index(default_knowledge_dir())
