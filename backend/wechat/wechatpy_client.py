"""wechatpy's client pointed at a configurable API base, its access token in our cache and fetched
by one process at a time. Imported by `backend.wechat.client.WeChatGateway` on first use only:
wechatpy and requests under it cost ~0.1 s of every worker's start."""

from __future__ import annotations

import json
import time
from typing import Any

from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session import SessionStorage

from backend.core.cache import Cache, LockNotAcquired, cache_lock
from backend.wechat.errors import TOKEN_INVALID

TOKEN_SAFETY_MARGIN = 300  # stop using a token 5 minutes before WeChat says it expires
LOCK_WAIT_SECONDS = 5.0


class CacheSessionStorage(SessionStorage):
    """wechatpy's session storage over our cache (Redis shared by all workers)."""

    def __init__(self, cache: Cache, prefix: str = "wechat:") -> None:
        self.cache = cache
        self.prefix = prefix

    def get(self, key: str, default: Any = None) -> Any:
        value = self.cache.get(self.prefix + key)
        return default if value is None else json.loads(value)

    def set(self, key: str, value: Any, ttl: int | None = None) -> None:
        if value is None:
            return
        if ttl and key.endswith("_access_token"):
            ttl = max(int(ttl) - TOKEN_SAFETY_MARGIN, 60)
        self.cache.set(self.prefix + key, json.dumps(value), ttl=int(ttl) if ttl else None)

    def delete(self, key: str) -> None:
        self.cache.delete(self.prefix + key)


class JunxiuWeChatClient(WeChatClient):
    def __init__(
        self, appid: str, secret: str, *, api_base: str, cache: Cache, timeout: float = 5
    ) -> None:
        self.api_base = api_base.rstrip("/")
        self._cache = cache
        self._stale_token: str | None = None
        super().__init__(
            appid, secret, session=CacheSessionStorage(cache), timeout=timeout, auto_retry=True
        )
        self.API_BASE_URL = f"{self.api_base}/cgi-bin/"
        self.wxa.API_BASE_URL = f"{self.api_base}/"

    def _handle_result(
        self,
        res: Any,
        method: Any = None,
        url: Any = None,
        result_processor: Any = None,
        **kwargs: Any,
    ) -> Any:
        result = self._decode_result(res) if not isinstance(res, dict) else res
        if isinstance(result, dict) and int(result.get("errcode", 0) or 0) in TOKEN_INVALID:
            # Remember which token failed: only that one may be replaced (see fetch).
            self._stale_token = kwargs.get("params", {}).get("access_token")
        return super()._handle_result(res, method, url, result_processor, **kwargs)

    def _usable_shared_token(self) -> str | None:
        token = self.session.get(self.access_token_key)
        if token and token != self._stale_token:
            return str(token)
        return None

    def fetch_access_token(self) -> dict[str, Any]:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                with cache_lock(self._cache, f"wechat-token:{self.appid}", ttl=15):
                    shared = self._usable_shared_token()
                    if shared:
                        return {"access_token": shared}
                    result: dict[str, Any] = self._fetch_access_token(
                        url=f"{self.api_base}/cgi-bin/token",
                        params={
                            "grant_type": "client_credential",
                            "appid": self.appid,
                            "secret": self.secret,
                        },
                    )
                    self._stale_token = None
                    return result
            except LockNotAcquired:
                # Another worker is fetching: use its token as soon as it is stored.
                shared = self._usable_shared_token()
                if shared:
                    return {"access_token": shared}
                if time.monotonic() > deadline:
                    raise WeChatClientException(-1, "access token lock wait timed out") from None
                time.sleep(0.05)
