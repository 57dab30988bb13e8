"""Everything a request or a job needs, built once in the app's lifespan (never at import)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine

from backend.core.cache import Cache
from backend.core.clock import Clock
from backend.core.security import PersonalDataCipher
from backend.core.settings import Settings


@dataclass
class AppContext:
    settings: Settings
    engine: Engine
    cache: Cache
    clock: Clock
    cipher: PersonalDataCipher
    # Filled by the domains that need them (WeChat gateway, bot index holder, scheduler …).
    extras: dict[str, Any] = field(default_factory=dict)
