"""Greetings and app intents: what the user wants to *do*, so the mini-program opens that page."""

from __future__ import annotations

import re

from bot.text import normalise

_GREETING = re.compile(
    r"^(你好|您好|你们好|早上好|上午好|中午好|下午好|晚上好|在吗|在不在|hi|hello|喂)[呀啊吗！!。,，\s]*$"
)
_THANKS = re.compile(
    r"^(谢谢|多谢|感谢|谢了|辛苦了|好的谢谢|明白了|知道了|好的)[你您啦了呀啊！!。,，\s]*$"
)

# Someone asking for themselves or a relative to get something done, now.
_ACTION = (
    r"(我要|我想|想要|我得|给我|帮我|替我|帮忙|帮.{0,3}(约|订|报|做|办|弄|加)|现在就|马上|赶紧"
    r"|怎么弄|从哪办|在哪办|哪里办|去哪办|做下|做一下|办一下|办下|弄一下|加上|算我|要.{0,2}份"
    r"|订个|约个|还能报|能报名|报名|我报)"
)

_RULES: list[tuple[str, re.Pattern[str], bool]] = [
    # (intent, pattern, needs an action word)
    (
        "handoff",
        re.compile(
            r"(转人工|人工客服|人工服务|找人工|真人|找工作人员|跟所里的人|和所里的人|找所里的人|工作人员直接|直接说|打电话给所里|客服)"
        ),
        False,
    ),
    (
        "checkin",
        re.compile(r"(年审|年度登记|年度审核|年度等级|年度审查|年检|一年一度.{0,2}登记)"),
        True,
    ),
    (
        "ride",
        re.compile(r"(约.{0,2}车|叫.{0,2}车|派.{0,2}车|用车|要个车|接一下|接送|送我去|车接)"),
        True,
    ),
    (
        "meal",
        re.compile(
            r"(订餐|订饭|订个?餐|订.{0,2}(早|午|晚)(饭|餐|参)|早参|早餐|午饭|午餐|晚饭|晚餐|份饭|送餐|助餐)"
        ),
        True,
    ),
    ("activity", re.compile(r"(报名|活动|比赛|课|班|讲座|老年大学)"), True),
    ("notice", re.compile(r"(通知|公告|新消息|消息)"), False),
]
_NOTICE_ASK = re.compile(r"(有.{0,2}新|看看|给我看|有没有|最近)")
_POLICY_WORDS = re.compile(r"(规定|政策|标准|要求|条件|依据|哪条|按啥|按什么|多少钱|补助|待遇)")


def greeting_reply(question: str) -> str | None:
    text = normalise(question)
    if _GREETING.match(text):
        return (
            "您好！我是军休服务助手。您可以问我政策，比如“体检多久一次”“出国要报备吗”。"
            "想找工作人员，就说“转人工”。"
        )
    if _THANKS.match(text):
        return "不客气！还有什么想问的，随时问我。"
    return None


def detect_intent(question: str) -> str | None:
    text = normalise(question)
    for intent, pattern, needs_action in _RULES:
        if not pattern.search(text):
            continue
        if intent == "notice":
            if _NOTICE_ASK.search(text) and not _POLICY_WORDS.search(text):
                return intent
            continue
        if needs_action and not re.search(_ACTION, text):
            continue
        if intent != "handoff" and _POLICY_WORDS.search(text):
            continue
        return intent
    return None


INTENT_REPLIES = {
    "checkin": "好的，带您去做年度登记。请点下面的按钮，按提示一步一步填，填不完可以先保存。",
    "activity": "好的，带您去活动报名页面。找到想参加的活动，点“报名”就行。",
    "meal": "好的，带您去订餐页面。选好日期和饭菜，点“预订”就行。",
    "ride": "好的，带您去约车页面。填好去哪里、几点出发，工作人员会安排车辆。",
    "notice": "好的，带您去看通知。新的通知排在最前面。",
    "handoff": "好的，马上帮您转给工作人员。您也可以直接打所里的电话。",
}
