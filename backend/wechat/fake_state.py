"""State of the fake WeChat API: tokens, login codes, subscriptions, sent messages."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from backend.core.clock import Clock, SystemClock

TOKEN_TTL = timedelta(seconds=7200)
OLD_TOKEN_GRACE = timedelta(seconds=300)  # the real API keeps the previous token 5 more minutes
CODE_TTL = timedelta(minutes=5)


@dataclass
class IssuedCode:
    openid: str
    issued_at: datetime
    used: bool = False


@dataclass
class FakeWeChatState:
    appid: str = "wx-demo-appid"
    secret: str = "demo-secret"
    clock: Clock = field(default_factory=SystemClock)
    risky_words: list[str] = field(default_factory=lambda: ["赌博", "诈骗"])
    blocked_openids: set[str] = field(default_factory=set)
    # Errcodes returned by the next business calls (code2Session, send, sec check), in order.
    fail_next: list[int] = field(default_factory=list)
    tokens: dict[str, datetime] = field(default_factory=dict)
    tokens_issued: int = 0
    codes: dict[str, IssuedCode] = field(default_factory=dict)
    subscriptions: dict[tuple[str, str], int] = field(default_factory=dict)
    sent: list[dict[str, object]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            self.tokens.clear()
            self.tokens_issued = 0
            self.codes.clear()
            self.subscriptions.clear()
            self.sent.clear()
            self.fail_next.clear()
            self.blocked_openids.clear()

    def issue_token(self) -> str:
        now = self.clock.now()
        with self.lock:
            for token, expires in list(self.tokens.items()):
                self.tokens[token] = min(expires, now + OLD_TOKEN_GRACE)
            token = "tok-" + secrets.token_hex(12)
            self.tokens[token] = now + TOKEN_TTL
            self.tokens_issued += 1
            return token

    def token_error(self, token: str | None) -> int | None:
        """None if the token is valid, else WeChat's errcode (40001 invalid, 42001 expired)."""
        with self.lock:
            expires = self.tokens.get(token or "")
        if expires is None:
            return 40001
        if expires <= self.clock.now():
            return 42001
        return None

    def issue_code(self, openid: str) -> str:
        code = secrets.token_hex(16)
        with self.lock:
            self.codes[code] = IssuedCode(openid=openid, issued_at=self.clock.now())
        return code

    def grant_subscription(self, openid: str, template_id: str, count: int = 1) -> None:
        with self.lock:
            key = (openid, template_id)
            self.subscriptions[key] = self.subscriptions.get(key, 0) + count

    def take_failure(self) -> int | None:
        with self.lock:
            return self.fail_next.pop(0) if self.fail_next else None
