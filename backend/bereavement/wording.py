"""What staff and the family read: short sentences, the next step."""

from __future__ import annotations

from backend.bereavement.schemas import yuan_text

SURVIVOR_PAGE = "pages/survivor/survivor"

# What the centre does after a death (jl 第四十条, mva 第十一条（六）, bj 6.3.3, 6.4.1 b)).
WHAT_WE_DO = [
    "所里的负责同志会上门慰问吊唁。",
    "帮家里发布讣告、写好生平，请家属核对。",
    "协助家属办好遗体告别仪式。",
    "按规定办理丧葬费和一次性抚恤金。",
    "家属（遗属）没有经济收入的，按规定办理生活补助，以后所里继续联系您。",
]


def page_link(retiree_id: int) -> str:
    return f"{SURVIVOR_PAGE}?retiree_id={retiree_id}"


def settled(kind: str, status: str) -> str:
    return f"{kind}已经是「{status}」，不能再改。如果确实需要更正，请联系管理员。"


def backwards(current: str, wanted: str) -> str:
    return f"这项待遇已经到了「{current}」，不能退回「{wanted}」。请刷新页面看看最新的状态。"


def paid(name: str, kind: str, amount_fen: int) -> str:
    return (
        f"{name}同志的{kind}已经发放，金额{yuan_text(amount_fen)}。"
        "请留意银行账户。有疑问请打所里的电话。"
    )


def family_note(name: str, body: str) -> str:
    return f"关于{name}同志的后事：{body}"


def next_step(open_tasks: int, open_benefits: int) -> str:
    if open_tasks or open_benefits:
        return "所里正在办理。有什么需要，请打下面的电话。"
    return "该办的事情都办完了。以后有什么困难，请打下面的电话。"
