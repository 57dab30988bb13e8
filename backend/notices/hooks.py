"""How notices react to other domains' events."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from backend.accounts.models import Retiree
from backend.core import events
from backend.core.clock import Clock
from backend.notices import service


def on_retiree_deceased(*, db: Session, retiree: Retiree, clock: Clock, **_: object) -> None:
    """Notices stop for the retiree; family members who receive notices are told, once."""
    assert retiree.id is not None
    service.cancel_for_retiree(db, retiree_id=retiree.id)
    service.notify(
        db,
        clock=clock,
        retiree_id=retiree.id,
        title=f"关于{retiree.name}同志",
        body=(
            f"{retiree.name}同志的信息已登记为去世。我们深表哀悼。"
            "工作人员会与您联系，协助办理后续事宜。如需帮助，请拨打所在军休所的电话。"
        ),
        dedupe_key=f"retiree-deceased:{retiree.id}",
        to_retiree=False,
        include_family=True,
        urgent=True,
    )


def on_death_revoked(
    *, db: Session, retiree: Retiree, clock: Clock, marked_at: datetime, **_: object
) -> None:
    """Family who were told of the death hear, once, that it was a mistake."""
    assert retiree.id is not None
    service.notify(
        db,
        clock=clock,
        retiree_id=retiree.id,
        title=f"更正：{retiree.name}同志的信息",
        body=(
            f"之前发给您的{retiree.name}同志去世的消息是登记错了，非常抱歉。"
            f"{retiree.name}同志的信息已经改回在册。有疑问请打所里的电话。"
        ),
        dedupe_key=f"retiree-death-revoked:{retiree.id}:{int(marked_at.timestamp())}",
        to_retiree=False,
        include_family=True,
        urgent=True,
    )


def install() -> None:
    events.subscribe(events.RETIREE_DECEASED, on_retiree_deceased)
    events.subscribe(events.RETIREE_DEATH_REVOKED, on_death_revoked)
