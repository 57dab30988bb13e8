"""wechatpy's real client, pointed at a configurable API base, with its access token stored in
our cache and fetched by one process at a time, so several workers never invalidate each other's
token. `WeChatGateway` is what the rest of the backend calls; it is synchronous (wechatpy is):
call it from a `def` route or a worker thread, never inside `async def`."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import requests
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session import SessionStorage

from backend.core.cache import Cache, LockNotAcquired, cache_lock
from backend.wechat.errors import TOKEN_INVALID, WeChatError

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


@dataclass(frozen=True)
class SessionInfo:
    openid: str
    session_key: str
    unionid: str | None


class WeChatGateway:
    def __init__(
        self, *, appid: str, secret: str, api_base: str, cache: Cache, timeout: float = 5
    ) -> None:
        self.client = JunxiuWeChatClient(
            appid, secret, api_base=api_base, cache=cache, timeout=timeout
        )

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except WeChatClientException as exc:
            errcode = exc.errcode if exc.errcode is not None else None
            raise WeChatError(errcode, str(exc.errmsg or "")) from None
        except requests.RequestException as exc:
            raise WeChatError(None, type(exc).__name__) from None

    def code_to_session(self, code: str) -> SessionInfo:
        result = self._call(self.client.wxa.code_to_session, code)
        return SessionInfo(
            openid=str(result["openid"]),
            session_key=str(result.get("session_key", "")),
            unionid=result.get("unionid"),
        )

    def send_subscribe_message(
        self, openid: str, template_id: str, data: dict[str, dict[str, str]], page: str | None
    ) -> None:
        self._call(self.client.wxa.send_subscribe_message, openid, template_id, data, page)

    def check_text(self, openid: str, content: str, scene: int = 2) -> bool:
        """msg_sec_check v2: True when the content may be stored and shown."""
        result = self._call(
            self.client.post,
            "wxa/msg_sec_check",
            data={"content": content, "version": 2, "scene": scene, "openid": openid},
            api_base_url=f"{self.client.api_base}/",
        )
        return bool(result.get("result", {}).get("suggest") == "pass")
