"""Console pages for announcements: compose with a preview of who receives it, send now or at a
time, edit or withdraw, follow up with the delivery report and export."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import BackgroundTasks, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from backend.accounts import picker, units
from backend.accounts.enums import CareFlag, RetireeCategory
from backend.accounts.scope import get_scoped
from backend.console.auth import ConsoleStaff, scope_of
from backend.console.forms import SeenVersion, attempt, form_errors, redirect
from backend.console.page_router import page_router
from backend.console.render import page
from backend.core.clock import Clock, to_local
from backend.core.deps import ClockDep, CtxDep, SessionDep
from backend.core.xlsx import xlsx_response
from backend.notices import fanout, report, service, views
from backend.notices.models import Notice
from backend.notices.schemas import NoticeCategory, NoticeIn

router = page_router("/notices")


class NoticeForm(BaseModel):
    """The compose form as posted: the three audience modes' fields side by side (only the
    chosen mode's are read), checkboxes as repeated keys, `action` the button pressed. Boxes stay
    text here, so what NoticeIn refuses is said on the re-rendered form."""

    title: str = ""
    body: str = ""
    category: str = "通知"
    urgent: str = ""
    include_family: str = ""
    unit_ids: list[str] = []
    care_flags: list[str] = []
    categories: list[str] = []
    audience_mode: str = ""
    retiree_ids: list[str] = []
    send_at: str = ""
    version: SeenVersion = None
    action: str = "preview"
    form_token: str = ""

    def values(self) -> dict[str, Any]:
        """What the form shows again (a preview, a refusal)."""
        return {
            **self.model_dump(exclude={"version", "action", "form_token"}),
            "urgent": bool(self.urgent),
            "include_family": bool(self.include_family),
        }

    def _audience(self) -> dict[str, Any]:
        return audience_of(self)

    def parse(self) -> NoticeIn:
        return NoticeIn.model_validate(
            {
                "title": self.title,
                "body": self.body,
                "category": self.category,
                "urgent": bool(self.urgent),
                "include_family": bool(self.include_family),
                "audience": self._audience(),
                "send_at": self.send_at or None,
                "version": self.version,
            }
        )


class AudienceFields(BaseModel):
    """The audience part of a compose form (notices, surveys): templates/_audience.html."""

    unit_ids: list[str] = []
    care_flags: list[str] = []
    categories: list[str] = []
    audience_mode: str = ""
    retiree_ids: list[str] = []


def audience_of(form: AudienceFields | NoticeForm) -> dict[str, Any]:
    """Only the part of the form the chosen mode belongs to; no mode chosen is no audience
    (the service refuses it), never "everyone"."""
    mode = form.audience_mode
    if mode == "all":
        return {"everyone": True}
    if mode == "filter":
        return {
            "unit_ids": form.unit_ids,
            "care_flags": form.care_flags,
            "categories": form.categories,
        }
    if mode == "people":
        ids = picker.parse_ids(form.retiree_ids)
        if len(ids) != len(form.retiree_ids):
            raise ValueError("选中的老同志不对，请重新搜索、点选。")
        if not ids:
            raise ValueError("还没有选中老同志：请在搜索框里输入姓名，再点一下搜到的人。")
        return {"retiree_ids": ids}
    return {}


def audience_choices(db: Session, request: Request, values: dict[str, Any]) -> dict[str, Any]:
    """What templates/_audience.html lists: the units, flags and categories, the picked people."""
    return {
        "units": units.subtree(db, scope_of(request)),
        "chosen": picker.chosen(
            db, scope=scope_of(request), ids=picker.parse_ids(values.get("retiree_ids", []))
        ),
        "flags": [f.value for f in CareFlag],
        "retiree_categories": [c.value for c in RetireeCategory],
    }


def _form_values(notice: Notice | None) -> dict[str, Any]:
    if notice is None:
        return {
            "category": "通知",
            "include_family": True,
            "unit_ids": [],
            "care_flags": [],
            "categories": [],
            "audience_mode": "",
            "retiree_ids": [],
            "send_at": "",
        }
    public = views.to_public(notice)
    chosen = public.audience
    mode = (
        "people"
        if chosen.retiree_ids
        else "filter"
        if chosen.unit_ids or chosen.care_flags or chosen.categories
        else "all"
        if chosen.everyone
        else ""
    )
    return {
        "title": notice.title,
        "body": notice.body,
        "category": notice.category,
        "urgent": notice.urgent,
        "include_family": notice.include_family,
        "unit_ids": [str(u) for u in public.audience.unit_ids],
        "care_flags": [f.value for f in public.audience.care_flags],
        "categories": [c.value for c in public.audience.categories],
        "audience_mode": mode,
        "retiree_ids": [str(i) for i in public.audience.retiree_ids],
        "send_at": to_local(notice.send_at).strftime("%Y-%m-%dT%H:%M") if notice.send_at else "",
    }


def _compose(
    request: Request,
    db: Session,
    *,
    values: dict[str, Any],
    notice: Notice | None,
    errors: list[str],
    preview: Any = None,
    status_code: int = 200,
) -> HTMLResponse:
    return page(
        request,
        "notice_form.html",
        {
            "nav": "notices",
            "v": values,
            "notice": notice,
            "errors": errors,
            "preview": preview,
            **audience_choices(db, request, values),
            "notice_categories": [c.value for c in NoticeCategory],
        },
        status_code=status_code,
    )


@router.get("", response_class=HTMLResponse)
def list_notices(request: Request, db: SessionDep, _: ConsoleStaff) -> HTMLResponse:
    rows, count = service.list_in_scope(db, scope=scope_of(request), limit=100)
    return page(
        request,
        "notices.html",
        {"nav": "notices", "rows": rows, "count": count},
    )


@router.get("/new", response_class=HTMLResponse)
def new_form(request: Request, db: SessionDep, _: ConsoleStaff) -> HTMLResponse:
    return _compose(request, db, values=_form_values(None), notice=None, errors=[])


def _save(
    request: Request,
    db: Session,
    clock: Clock,
    me: Any,
    form: NoticeForm,
    notice: Notice | None,
    background: BackgroundTasks,
    ctx: Any,
) -> Response:
    scope = scope_of(request)
    try:
        data = form.parse()
    except (ValidationError, ValueError) as exc:
        errors = form_errors(exc) if isinstance(exc, ValidationError) else [str(exc)]
        return _compose(
            request, db, values=form.values(), notice=notice, errors=errors, status_code=422
        )
    if form.action == "preview":
        preview, error = attempt(
            db,
            lambda: service.preview(
                db, scope=scope, audience=data.audience, include_family=data.include_family
            ),
        )
        return _compose(
            request,
            db,
            values=form.values(),
            notice=notice,
            errors=[error.message] if error else [],
            preview=preview,
        )

    send_now = form.action == "send"

    def work() -> Notice:
        if notice is None:  # the form token makes a second post of this form return the first
            return service.create(
                db,
                clock=clock,
                staff=me,
                scope=scope,
                data=data,
                send_now=send_now,
                idempotency_key=form.form_token or None,
            )
        saved = service.update(db, clock=clock, staff=me, scope=scope, notice=notice, data=data)
        if send_now:
            service.send(db, clock=clock, staff=me, notice=saved)
        return saved

    saved, error = attempt(db, work)
    if error is not None or saved is None:
        return _compose(
            request,
            db,
            values=form.values(),
            notice=notice,
            errors=[error.message if error else "保存失败"],
            status_code=error.status_code if error else 400,
        )
    if saved.status == "sending":
        background.add_task(fanout.run_fan_out, ctx.engine, clock=clock, notice_id=saved.id or 0)
    message = {
        "sent": service.JUST_PASSED_MESSAGE if service.sent_late_on_purpose(saved) else "已发送。",
        "sending": "正在发送，人数较多，请稍后刷新。",
        "scheduled": "已定时，到时间会自动发送。",
    }.get(saved.status, "已保存草稿。")
    return redirect(f"/console/notices/{saved.id}", message)


@router.post("/new", response_class=HTMLResponse)
def create(
    request: Request,
    background: BackgroundTasks,
    db: SessionDep,
    ctx: CtxDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[NoticeForm, Form()],
) -> Response:
    return _save(request, db, clock, me, form, None, background, ctx)


@router.get("/{notice_id}", response_class=HTMLResponse)
def detail(
    request: Request,
    notice_id: int,
    db: SessionDep,
    clock: ClockDep,
    _: ConsoleStaff,
    unread_after_days: int | None = None,
) -> HTMLResponse:
    notice = get_scoped(db, Notice, notice_id, scope_of(request))
    if notice.status in service.EDITABLE:
        response = _compose(request, db, values=_form_values(notice), notice=notice, errors=[])
        return response
    delivery = report.build(db, clock=clock, notice=notice, unread_after_days=unread_after_days)
    return page(
        request,
        "notice_report.html",
        {
            "nav": "notices",
            "notice": notice,
            "r": delivery,
            "days": unread_after_days,
        },
    )


@router.post("/{notice_id}/edit", response_class=HTMLResponse)
def edit(
    request: Request,
    notice_id: int,
    background: BackgroundTasks,
    db: SessionDep,
    ctx: CtxDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[NoticeForm, Form()],
) -> Response:
    notice = get_scoped(db, Notice, notice_id, scope_of(request))
    return _save(request, db, clock, me, form, notice, background, ctx)


@router.post("/{notice_id}/withdraw")
def withdraw(
    request: Request,
    notice_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
) -> Response:
    notice = get_scoped(db, Notice, notice_id, scope_of(request))
    _, error = attempt(db, lambda: service.withdraw(db, clock=clock, staff=me, notice=notice))
    if error is not None:
        return redirect(f"/console/notices/{notice_id}", err=error.message)
    return redirect(f"/console/notices/{notice_id}", "已撤回，收件人那里只显示“已撤回”。")


@router.get("/{notice_id}/report.xlsx")
def export(
    request: Request,
    notice_id: int,
    db: SessionDep,
    clock: ClockDep,
    _: ConsoleStaff,
    unread_after_days: int | None = None,
) -> Response:
    notice = get_scoped(db, Notice, notice_id, scope_of(request))
    data = report.to_xlsx(
        report.build(db, clock=clock, notice=notice, unread_after_days=unread_after_days)
    )
    return xlsx_response(data, f"notice-{notice_id}.xlsx")
