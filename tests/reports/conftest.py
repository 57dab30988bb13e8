from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import Session


@pytest.fixture
def db(engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session
