"""Mini-program side of notices: inbox, mark read, WeChat consent, preferences."""

from __future__ import annotations

from fastapi import Query, Response

from backend.accounts.deps import CurrentViewer
from backend.core.deps import ClockDep, CtxDep, SessionDep
from backend.core.inputs import Id
from backend.core.responses import json_reply
from backend.core.routing import APIRouter
from backend.notices import ledger, service
from backend.notices.fanout import NOTICE_TEMPLATE
from backend.notices.models import NoticePreference
from backend.notices.schemas import (
    InboxEntry,
    InboxPage,
    NoticeCategory,
    PreferenceIn,
    PreferenceOut,
    SubscriptionGrant,
)

router = APIRouter(prefix="/api/v1", tags=["小程序：消息"])


@router.get("/inbox", response_model=InboxPage, summary="我的消息（新的在前，紧急未读置顶）")
def inbox(
    db: SessionDep,
    viewer: CurrentViewer,
    retiree_id: Id | None = None,
    category: NoticeCategory | None = None,
    before_id: Id | None = None,
    limit: int = Query(default=30, ge=1, le=100),
) -> Response:
    data, unread = service.inbox(
        db,
        viewer=viewer,
        retiree_id=retiree_id,
        category=category,
        limit=limit,
        before_id=before_id,
    )
    return json_reply(InboxPage(data=data, unread=unread))


@router.get("/inbox/{item_id}", response_model=InboxEntry, summary="一条消息")
def inbox_item(item_id: Id, db: SessionDep, viewer: CurrentViewer) -> InboxEntry:
    return service.inbox_entry(db, viewer=viewer, item_id=item_id)


@router.post("/inbox/{item_id}/read", response_model=InboxEntry, summary="标为已读")
def mark_read(item_id: Id, db: SessionDep, clock: ClockDep, viewer: CurrentViewer) -> InboxEntry:
    service.get_inbox_item(db, viewer=viewer, item_id=item_id)
    service.mark_read(db, clock=clock, viewer=viewer, item_ids=[item_id])
    return service.inbox_entry(db, viewer=viewer, item_id=item_id)


def _template_keys(ctx: CtxDep) -> dict[str, str]:
    """WeChat template id → our template key."""
    return {ctx.settings.wechat_notice_template_id: NOTICE_TEMPLATE}


@router.post(
    "/notices/subscriptions",
    response_model=PreferenceOut,
    summary="记录 wx.requestSubscribeMessage 的结果（每次“允许”可发一条）",
)
def grant(
    body: SubscriptionGrant, db: SessionDep, ctx: CtxDep, clock: ClockDep, viewer: CurrentViewer
) -> PreferenceOut:
    keys = _template_keys(ctx)
    for template_id, result in body.results.items():
        if result == "accept" and template_id in keys:
            ledger.add(db, clock=clock, user_id=viewer.user_id, template_key=keys[template_id])
    return _preferences(db, viewer.user_id)


def _preferences(db: SessionDep, user_id: Id) -> PreferenceOut:
    pref = db.get(NoticePreference, user_id)
    categories = pref.wechat_categories.split(",") if pref and pref.wechat_categories else []
    if pref is None:
        categories = [c.value for c in NoticeCategory]
    return PreferenceOut(
        wechat_categories=[NoticeCategory(c) for c in categories],
        quiet_start=pref.quiet_start if pref else "21:00",
        quiet_end=pref.quiet_end if pref else "07:30",
        balances=ledger.balances(db, user_id=user_id),
    )


@router.get("/notices/preferences", response_model=PreferenceOut, summary="消息提醒设置")
def get_preferences(db: SessionDep, viewer: CurrentViewer) -> PreferenceOut:
    return _preferences(db, viewer.user_id)


@router.put("/notices/preferences", response_model=PreferenceOut, summary="修改消息提醒设置")
def put_preferences(
    body: PreferenceIn, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> PreferenceOut:
    pref = db.get(NoticePreference, viewer.user_id) or NoticePreference(
        wechat_user_id=viewer.user_id, updated_at=clock.now()
    )
    pref.wechat_categories = ",".join(c.value for c in body.wechat_categories)
    pref.quiet_start = body.quiet_start
    pref.quiet_end = body.quiet_end
    pref.updated_at = clock.now()
    db.add(pref)
    db.flush()
    return _preferences(db, viewer.user_id)
