"""Everything a request or a job needs, built once in the app's lifespan (never at import)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine

from backend.core.cache import Cache
from backend.core.clock import Clock
from backend.core.security import PersonalDataCipher
from backend.core.settings import Settings

if TYPE_CHECKING:  # the domains import core, never the other way round at run time
    from backend.botchat.runtime import BotRuntime
    from backend.wechat.client import WeChatGateway


class ContextPartMissing(RuntimeError):
    """A part of the context asked for before the app's lifespan put it there."""


@dataclass
class AppContext:
    settings: Settings
    engine: Engine
    cache: Cache
    clock: Clock
    cipher: PersonalDataCipher
    # Filled by the app as it starts (backend/app.py): read them through `wechat` and `bot`.
    wechat_gateway: WeChatGateway | None = None
    bot_runtime: BotRuntime | None = None

    @property
    def wechat(self) -> WeChatGateway:
        """The WeChat API gateway (login, subscribe messages, content checks)."""
        if self.wechat_gateway is None:
            raise ContextPartMissing("AppContext.wechat_gateway is not set (see build_context)")
        return self.wechat_gateway

    @property
    def bot(self) -> BotRuntime:
        """The policy bot's index holder, set once the lifespan has warmed it."""
        if self.bot_runtime is None:
            raise ContextPartMissing("AppContext.bot_runtime is not set: the app has not started")
        return self.bot_runtime
