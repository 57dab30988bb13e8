"""Staff API for announcements: compose, preview, send or schedule, edit, withdraw, report."""

from __future__ import annotations

from typing import Annotated

from fastapi import BackgroundTasks, Header, Query
from fastapi.responses import Response

from backend.accounts.deps import CurrentStaff, StaffScope
from backend.accounts.scope import get_scoped
from backend.core.deps import ClockDep, CtxDep, SessionDep
from backend.core.inputs import Count, Id, Line
from backend.core.openapi import XLSX_DOWNLOAD
from backend.core.routing import APIRouter
from backend.core.xlsx import xlsx_response
from backend.notices import fanout, report, service, views
from backend.notices.models import Notice
from backend.notices.schemas import (
    Audience,
    AudiencePreview,
    DeliveryReport,
    NoticeIn,
    NoticePublic,
    NoticesPublic,
)

router = APIRouter(prefix="/api/v1/staff/notices", tags=["工作人员：通知"])


@router.post("/preview", response_model=AudiencePreview, summary="发送前看看会发给谁")
def preview(
    body: Audience,
    db: SessionDep,
    scope: StaffScope,
    include_family: bool = Query(default=True, title="家属副本", description="家属是否也收到副本"),
) -> AudiencePreview:
    return service.preview(db, scope=scope, audience=body, include_family=include_family)


@router.get("", response_model=NoticesPublic, summary="通知列表")
def list_notices(
    db: SessionDep,
    scope: StaffScope,
    status: Annotated[Line | None, Query(max_length=20)] = None,
    limit: int = Query(default=50, ge=1, le=200),
    offset: Count = 0,
) -> NoticesPublic:
    rows, count = service.list_in_scope(db, scope=scope, status=status, limit=limit, offset=offset)
    return NoticesPublic(data=[views.to_public(n) for n in rows], count=count)


@router.post("", response_model=NoticePublic, status_code=201, summary="写一条通知（草稿）")
def create(
    body: NoticeIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
    idempotency_key: Annotated[
        str | None,
        Header(
            max_length=64,
            title="防重复提交编号",
            description="同一个值重复提交时，返回第一次写的那条，不会再写一条",
        ),
    ] = None,
) -> NoticePublic:
    notice = service.create(
        db, clock=clock, staff=me, scope=scope, data=body, idempotency_key=idempotency_key
    )
    return views.to_public(notice)


@router.get("/{notice_id}", response_model=NoticePublic)
def get_notice(notice_id: Id, db: SessionDep, scope: StaffScope) -> NoticePublic:
    return views.to_public(get_scoped(db, Notice, notice_id, scope))


@router.put("/{notice_id}", response_model=NoticePublic, summary="修改（发出前）")
def update(
    notice_id: Id,
    body: NoticeIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> NoticePublic:
    notice = get_scoped(db, Notice, notice_id, scope)
    return views.to_public(
        service.update(db, clock=clock, staff=me, scope=scope, notice=notice, data=body)
    )


@router.post("/{notice_id}/send", response_model=NoticePublic, summary="立即发送，或按定时发送")
def send(
    notice_id: Id,
    background: BackgroundTasks,
    db: SessionDep,
    ctx: CtxDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
    version: Count | None = None,
) -> NoticePublic:
    notice = get_scoped(db, Notice, notice_id, scope)
    service.send(db, clock=clock, staff=me, notice=notice, version=version)
    if notice.status == "sending":
        # A large audience: the rest is delivered in committed chunks after this response.
        background.add_task(fanout.run_fan_out, ctx.engine, clock=clock, notice_id=notice_id)
    return views.to_public(notice)


@router.post("/{notice_id}/withdraw", response_model=NoticePublic, summary="撤回")
def withdraw(
    notice_id: Id,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
    version: Count | None = None,
) -> NoticePublic:
    notice = get_scoped(db, Notice, notice_id, scope)
    return views.to_public(
        service.withdraw(db, clock=clock, staff=me, notice=notice, version=version)
    )


@router.get("/{notice_id}/report", response_model=DeliveryReport, summary="送达和阅读情况")
def delivery_report(
    notice_id: Id,
    db: SessionDep,
    clock: ClockDep,
    scope: StaffScope,
    unread_after_days: int | None = Query(default=None, ge=1, le=90),
) -> DeliveryReport:
    notice = get_scoped(db, Notice, notice_id, scope)
    return report.build(db, clock=clock, notice=notice, unread_after_days=unread_after_days)


@router.get(
    "/{notice_id}/report.xlsx",
    summary="导出送达情况",
    responses=XLSX_DOWNLOAD,
    response_class=Response,
)
def delivery_report_xlsx(
    notice_id: Id,
    db: SessionDep,
    clock: ClockDep,
    scope: StaffScope,
    unread_after_days: int | None = Query(default=None, ge=1, le=90),
) -> Response:
    notice = get_scoped(db, Notice, notice_id, scope)
    data = report.to_xlsx(
        report.build(db, clock=clock, notice=notice, unread_after_days=unread_after_days)
    )
    return xlsx_response(data, f"notice-{notice_id}.xlsx")
