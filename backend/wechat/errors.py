"""WeChat errors as exceptions carrying errcode/errmsg, with a Chinese message for users."""

from __future__ import annotations

# Transient: worth retrying with backoff. Everything else is permanent for that request.
RETRYABLE = {-1, 45009, 45011}
TOKEN_INVALID = {40001, 40014, 42001}

_MESSAGES = {
    40029: "登录凭证无效，请重新打开小程序。",
    40163: "登录凭证已经用过了，请重新打开小程序。",
    45011: "操作太频繁，请一分钟后再试。",
    40226: "您的微信账号暂时无法登录，请联系工作人员。",
    -1: "微信服务繁忙，请稍后再试。",
    43101: "您没有开启这类消息提醒，消息已放在小程序“消息”里。",
    47003: "消息内容不符合微信要求。",
}


class WeChatError(Exception):
    def __init__(self, errcode: int | None, errmsg: str = "") -> None:
        self.errcode = errcode
        self.errmsg = errmsg
        super().__init__(f"wechat error {errcode}: {errmsg}")

    @property
    def message(self) -> str:
        if self.errcode is None:
            return "暂时连不上微信，请稍后再试。"
        return _MESSAGES.get(self.errcode, "微信服务出了点问题，请稍后再试。")

    @property
    def retryable(self) -> bool:
        return self.errcode is None or self.errcode in RETRYABLE

    @property
    def permanent(self) -> bool:
        return not self.retryable
