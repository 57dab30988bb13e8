"""Console pages for retirees: search, detail, create, edit, status, binding code, family."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field, ValidationError
from sqlmodel import Session

from backend.accounts import binding, retirees, units, views
from backend.accounts.enums import (
    CareFlag,
    Gender,
    Relation,
    RetireeCategory,
    RetireeLevel,
    RetireeStatus,
)
from backend.accounts.models import Retiree
from backend.accounts.schemas import (
    DeathRevoke,
    FamilyInviteCreate,
    RetireeCreate,
    RetireeStatusChange,
    RetireeUpdate,
)
from backend.accounts.scope import get_scoped, staff_actor
from backend.console.auth import ConsoleStaff, scope_of
from backend.console.forms import (
    FilterId,
    attempt,
    blank_to_none,
    form_errors,
    form_once,
    redirect,
)
from backend.console.page_router import page_router
from backend.console.render import page, page_count
from backend.core.clock import Clock
from backend.core.deps import CipherDep, ClockDep, SessionDep
from backend.core.security import PersonalDataCipher

router = page_router("/retirees")
PAGE_SIZE = 30

CHOICES = {
    "genders": [g.value for g in Gender],
    "categories": [c.value for c in RetireeCategory],
    "levels": [v.value for v in RetireeLevel],
    "flags": [f.value for f in CareFlag],
    "statuses": [s.value for s in RetireeStatus],
    "relations": [r.value for r in Relation],
}


@router.get("", response_class=HTMLResponse)
def list_retirees(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    cipher: CipherDep,
    _: ConsoleStaff,
    q: str = Query("", max_length=50),
    unit_id: FilterId = None,
    care_flag: str = "",
    status: str = "",
    page_no: int = Query(1, alias="page", ge=1),
) -> HTMLResponse:
    scope = scope_of(request)
    flag = CareFlag(care_flag) if care_flag in CHOICES["flags"] else None
    state = RetireeStatus(status) if status in CHOICES["statuses"] else None
    rows, count = retirees.search(
        db,
        cipher=cipher,
        scope=scope,
        q=q or None,
        unit_id=unit_id,
        care_flag=flag,
        status=state,
        limit=PAGE_SIZE,
        offset=(page_no - 1) * PAGE_SIZE,
    )
    return page(
        request,
        "retirees.html",
        {
            "nav": "retirees",
            "rows": views.retiree_public_many(db, rows, clock=clock, cipher=cipher),
            "count": count,
            "q": q,
            "unit_id": unit_id,
            "care_flag": care_flag,
            "status": status,
            "page_no": page_no,
            "pages": page_count(count, PAGE_SIZE),
            "units": units.subtree(db, scope),
            **CHOICES,
        },
    )


class RetireeForm(BaseModel):
    """The retiree form's fields, as posted (care flags are repeated checkboxes). Boxes stay text
    here, so what RetireeCreate / RetireeUpdate refuse is said on the re-rendered form."""

    name: str = ""
    gender: str = ""
    birth_date: str = ""
    category: str = ""
    level: str = ""
    unit_id: str = ""
    phone: str = ""
    address: str = ""
    care_flags: list[str] = []
    id_number: str = ""
    version: str = ""

    def values(self) -> dict[str, object]:
        """The record's fields as the schemas take them (blank is "not given")."""
        return {
            "name": self.name.strip(),
            "gender": self.gender or None,
            "birth_date": self.birth_date or None,
            "category": self.category or None,
            "level": self.level or None,
            "unit_id": self.unit_id or None,
            "phone": blank_to_none(self.phone),
            "address": blank_to_none(self.address),
            "care_flags": self.care_flags,
        }


class StatusForm(RetireeStatusChange):
    confirm: bool = Field(default=False, title="确认")  # 去世: asked once more before saving


@router.get("/new", response_class=HTMLResponse)
def new_form(request: Request, db: SessionDep, _: ConsoleStaff) -> HTMLResponse:
    return page(
        request,
        "retiree_form.html",
        {
            "nav": "retirees",
            "values": {},
            "errors": [],
            "units": units.subtree(db, scope_of(request)),
            **CHOICES,
        },
    )


@router.post("/new", response_class=HTMLResponse)
@form_once
def create(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    cipher: CipherDep,
    me: ConsoleStaff,
    form: Annotated[RetireeForm, Form()],
) -> Response:
    scope = scope_of(request)
    values = {**form.values(), "id_number": form.id_number}

    def again(errors: list[str], status_code: int) -> HTMLResponse:
        return page(
            request,
            "retiree_form.html",
            {
                "nav": "retirees",
                "values": values,
                "errors": errors,
                "units": units.subtree(db, scope),
                **CHOICES,
            },
            status_code=status_code,
        )

    try:
        body = RetireeCreate.model_validate(values)
    except ValidationError as exc:
        return again(form_errors(exc), 422)
    retiree, error = attempt(
        db,
        lambda: retirees.create(db, clock=clock, cipher=cipher, staff=me, scope=scope, data=body),
    )
    if error is not None or retiree is None:
        return again([error.message if error else "保存失败"], error.status_code if error else 400)
    return redirect(f"/console/retirees/{retiree.id}", "已新增。")


def _detail(
    request: Request,
    db: Session,
    clock: Clock,
    cipher: PersonalDataCipher,
    retiree_id: int,
    **extra: Any,
) -> HTMLResponse:
    scope = scope_of(request)
    retiree = get_scoped(db, Retiree, retiree_id, scope)
    public = views.retiree_public(db, retiree, clock=clock, cipher=cipher)
    context: dict[str, Any] = {
        "nav": "retirees",
        "r": public,
        "family": binding.active_bindings_of(db, retiree_id),
        "units": units.subtree(db, scope),
        "errors": [],
        "code": None,
        "invite": None,
        "confirm_deceased": False,
        "note": "",
        **CHOICES,
        **extra,
    }
    status_code = 422 if context["errors"] else 200
    return page(request, "retiree_detail.html", context, status_code=status_code)


@router.get("/{retiree_id}", response_class=HTMLResponse)
def detail(
    request: Request,
    retiree_id: int,
    db: SessionDep,
    clock: ClockDep,
    cipher: CipherDep,
    _: ConsoleStaff,
) -> HTMLResponse:
    return _detail(request, db, clock, cipher, retiree_id)


@router.post("/{retiree_id}/edit", response_class=HTMLResponse)
def edit(
    request: Request,
    retiree_id: int,
    db: SessionDep,
    clock: ClockDep,
    cipher: CipherDep,
    me: ConsoleStaff,
    form: Annotated[RetireeForm, Form()],
) -> Response:
    scope = scope_of(request)
    retiree = get_scoped(db, Retiree, retiree_id, scope)
    try:
        body = RetireeUpdate.model_validate({**form.values(), "version": form.version or None})
    except ValidationError as exc:
        return _detail(request, db, clock, cipher, retiree_id, errors=form_errors(exc))
    _, error = attempt(
        db,
        lambda: retirees.update(db, clock=clock, staff=me, scope=scope, retiree=retiree, data=body),
    )
    if error is not None:
        return _detail(request, db, clock, cipher, retiree_id, errors=[error.message])
    return redirect(f"/console/retirees/{retiree_id}", "已保存。")


@router.post("/{retiree_id}/status", response_class=HTMLResponse)
def change_status(
    request: Request,
    retiree_id: int,
    db: SessionDep,
    clock: ClockDep,
    cipher: CipherDep,
    me: ConsoleStaff,
    form: Annotated[StatusForm, Form()],
) -> Response:
    retiree = get_scoped(db, Retiree, retiree_id, scope_of(request))
    if form.status == RetireeStatus.deceased and not form.confirm:
        note = form.note or ""
        return _detail(request, db, clock, cipher, retiree_id, confirm_deceased=True, note=note)
    _, error = attempt(
        db,
        lambda: retirees.change_status(
            db,
            clock=clock,
            staff=me,
            retiree=retiree,
            status=form.status,
            note=form.note,
            died_on=form.died_on,
        ),
    )
    if error is not None:
        return _detail(request, db, clock, cipher, retiree_id, errors=[error.message])
    return redirect(f"/console/retirees/{retiree_id}", "状态已修改。")


@router.post("/{retiree_id}/revoke-death", response_class=HTMLResponse)
def revoke_death(
    request: Request,
    retiree_id: int,
    db: SessionDep,
    clock: ClockDep,
    cipher: CipherDep,
    me: ConsoleStaff,
    form: Annotated[DeathRevoke, Form()],
) -> Response:
    retiree = get_scoped(db, Retiree, retiree_id, scope_of(request))
    done, error = attempt(
        db,
        lambda: retirees.revoke_death(
            db, clock=clock, staff=me, retiree=retiree, reason=form.reason
        ),
    )
    if error is not None or done is None:
        message = error.message if error else "没有撤销。"
        return _detail(request, db, clock, cipher, retiree_id, errors=[message])
    restored, not_restored = done
    words = "已撤销去世标记，改回在册。"
    if restored:
        words += "已恢复：" + "；".join(restored) + "。"
    if not_restored:
        words += "不能恢复：" + "；".join(not_restored) + "。"
    return redirect(f"/console/retirees/{retiree_id}", words)


@router.post("/{retiree_id}/binding-code", response_class=HTMLResponse)
def binding_code(
    request: Request,
    retiree_id: int,
    db: SessionDep,
    clock: ClockDep,
    cipher: CipherDep,
    me: ConsoleStaff,
) -> Response:
    retiree = get_scoped(db, Retiree, retiree_id, scope_of(request))
    code, error = attempt(
        db, lambda: binding.issue_binding_code(db, clock=clock, staff=me, retiree=retiree)
    )
    if error is not None:
        return _detail(request, db, clock, cipher, retiree_id, errors=[error.message])
    return _detail(request, db, clock, cipher, retiree_id, code=code)


@router.post("/{retiree_id}/invite", response_class=HTMLResponse)
def invite(
    request: Request,
    retiree_id: int,
    db: SessionDep,
    clock: ClockDep,
    cipher: CipherDep,
    me: ConsoleStaff,
    form: Annotated[FamilyInviteCreate, Form()],
) -> Response:
    retiree = get_scoped(db, Retiree, retiree_id, scope_of(request))
    created, error = attempt(
        db,
        lambda: binding.staff_invite_family(db, clock=clock, staff=me, retiree=retiree, data=form),
    )
    if error is not None:
        return _detail(request, db, clock, cipher, retiree_id, errors=[error.message])
    return _detail(request, db, clock, cipher, retiree_id, invite=created)


@router.post("/{retiree_id}/family/{binding_id}/revoke")
def revoke_family(
    request: Request,
    retiree_id: int,
    binding_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
) -> Response:
    retiree = get_scoped(db, Retiree, retiree_id, scope_of(request))
    target = binding.get_active_binding(db, retiree_id, binding_id)
    binding.revoke_binding(
        db,
        clock=clock,
        binding=target,
        revoked_by=staff_actor(me).label,
        staff=me,
        unit_id=retiree.unit_id,
    )
    return redirect(f"/console/retirees/{retiree_id}", "已解除家人绑定。")


@router.post("/{retiree_id}/unbind-wechat", response_class=HTMLResponse)
def unbind_wechat(
    request: Request,
    retiree_id: int,
    db: SessionDep,
    clock: ClockDep,
    cipher: CipherDep,
    me: ConsoleStaff,
) -> Response:
    retiree = get_scoped(db, Retiree, retiree_id, scope_of(request))
    _, error = attempt(
        db, lambda: binding.unbind_wechat(db, clock=clock, staff=me, retiree=retiree)
    )
    if error is not None:
        return _detail(request, db, clock, cipher, retiree_id, errors=[error.message])
    return redirect(f"/console/retirees/{retiree_id}", "已解除微信绑定。")
