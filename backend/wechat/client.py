"""wechatpy's real client, pointed at a configurable API base, with its access token stored in
our cache and fetched by one process at a time, so several workers never invalidate each other's
token (backend/wechat/wechatpy_client.py, imported on the first call). `WeChatGateway` is what the
rest of the backend calls; it is synchronous (wechatpy is): call it from a `def` route or a
worker thread, never inside `async def`."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from backend.core.cache import Cache
from backend.wechat.errors import WeChatError

if TYPE_CHECKING:
    from backend.wechat.wechatpy_client import JunxiuWeChatClient


@dataclass(frozen=True)
class SessionInfo:
    openid: str
    session_key: str
    unionid: str | None


class WeChatGateway:
    def __init__(
        self, *, appid: str, secret: str, api_base: str, cache: Cache, timeout: float = 5
    ) -> None:
        self._options: dict[str, Any] = {
            "appid": appid,
            "secret": secret,
            "api_base": api_base,
            "cache": cache,
            "timeout": timeout,
        }
        self._client: JunxiuWeChatClient | None = None
        self._client_lock = threading.Lock()

    @property
    def client(self) -> JunxiuWeChatClient:
        """Built on the first call (the import of wechatpy with it), once per gateway."""
        if self._client is None:
            with self._client_lock:
                if self._client is None:
                    from backend.wechat.wechatpy_client import JunxiuWeChatClient

                    options = dict(self._options)
                    self._client = JunxiuWeChatClient(
                        options.pop("appid"), options.pop("secret"), **options
                    )
        return self._client

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        import requests
        from wechatpy.exceptions import WeChatClientException

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
