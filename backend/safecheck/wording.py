"""What 报平安 says to the retiree, the staff and the family: short sentences, the next step."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from backend.accounts import directory
from backend.contact import service as contact_service


def _name(db: Session, retiree_id: int) -> tuple[str, int | None]:
    person = directory.person(db, retiree_id)
    return (person.name, person.unit_id) if person else ("老同志", None)


def call_line(db: Session, unit_id: int | None, at: datetime) -> str:
    """The number that answers for the unit now (the duty roster, else the unit's phones)."""
    found = contact_service.on_duty(db, unit_id=unit_id, at=at) if unit_id else []
    return f"所里电话：{found[0].phone}。" if found else ""


def reminder(name: str) -> tuple[str, str]:
    return (
        "今天还没报平安",
        f"{name}同志：今天还没收到您的平安。请打开小程序，点首页的“我今天挺好”。"
        "如果身体不舒服，请马上打所里电话；情况紧急请打120。",
    )


def escalation_staff(
    name: str, unit_name: str, due: str, grace: int, contacts: list[tuple[str, str | None]]
) -> tuple[str, str]:
    """`contacts`: (who, phone) of the emergency contacts, to call when he does not answer."""
    listed = "、".join(f"{who}{phone}" for who, phone in contacts if phone)
    also = f"紧急联系人：{listed}。" if listed else ""
    return (
        f"{name}今天没有报平安",
        f"{unit_name}的{name}同志今天{due}前没有报平安，提醒后{grace}分钟还是没有回音。"
        f"请马上打电话问一问，打不通请上门看看。{also}联系上后，在“报平安”页面点“已联系上”。",
    )


def escalation_family(name: str, due: str, call: str) -> tuple[str, str]:
    return (
        f"{name}今天还没报平安",
        f"{name}今天{due}前没有在小程序报平安，提醒后也没有回音。请您打个电话问一问。"
        f"所里也知道了，会联系他。{call}",
    )


def all_clear(db: Session, *, retiree_id: int, who: str) -> tuple[str, str]:
    name, _ = _name(db, retiree_id)
    return (f"{name}平安", f"{name}{who}，请放心。")
