from __future__ import annotations

import pytest

from bot.index import BotIndex, load_index
from tests.bot_index_cache import cached_index_path


@pytest.fixture(scope="session")
def bot_index() -> BotIndex:
    """The run's one index, loaded from its file as the product loads its saved index (the
    building and the save/load round trip are tested in test_index.py)."""
    return load_index(cached_index_path())
