"""Staff API of the people domain: login, units, retirees, binding codes, family, accounts,
audit. The console pages call the same services."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Query, Request, Response

from backend.accounts import audit, binding, retirees, sessions, staff, units, views
from backend.accounts.deps import CurrentAdmin, CurrentStaff, StaffScope, bearer_token
from backend.accounts.enums import CareFlag, RetireeStatus, SessionKind
from backend.accounts.models import Retiree
from backend.accounts.schemas import (
    AuditEntryPublic,
    AuditPage,
    BindingCodePublic,
    DeathRevoke,
    DeathRevoked,
    FamilyBindingPublic,
    FamilyInviteCreate,
    FamilyInvitePublic,
    MedicalStaffIn,
    RetireeCreate,
    RetireePublic,
    RetireesPublic,
    RetireeStatusChange,
    RetireeUpdate,
    StaffCreate,
    StaffLoginIn,
    StaffLoginOut,
    StaffPublic,
    UnitPublic,
)
from backend.accounts.scope import get_scoped, staff_actor
from backend.core import ratelimit
from backend.core.actors import persisted_id
from backend.core.deps import CacheDep, CipherDep, ClientIP, ClockDep, CtxDep, SessionDep
from backend.core.inputs import Code, Count, Id, Line
from backend.core.routing import APIRouter

router = APIRouter(prefix="/api/v1/staff", tags=["工作人员"])


@router.post("/login", response_model=StaffLoginOut, summary="工作人员登录")
def login(
    body: StaffLoginIn, db: SessionDep, ctx: CtxDep, clock: ClockDep, ip: ClientIP
) -> StaffLoginOut:
    ratelimit.hit(ctx.cache, clock, f"staff-login:ip:{ip}", limit=30, window_seconds=60)
    account = staff.authenticate(
        db, clock=clock, username=body.username, password=body.password, cache=ctx.cache
    )
    assert account.id is not None
    token, row = sessions.create(
        db,
        clock=clock,
        kind=SessionKind.staff,
        subject_id=account.id,
        ttl=timedelta(hours=ctx.settings.staff_session_hours),
    )
    return StaffLoginOut(
        token=token, expires_at=row.expires_at, staff=views.staff_public(db, account)
    )


@router.post("/logout", status_code=204, summary="工作人员退出")
def logout(request: Request, db: SessionDep, cache: CacheDep, _: CurrentStaff) -> Response:
    token = bearer_token(request)
    if token:
        sessions.revoke(db, token=token, cache=cache)
    return Response(status_code=204)


@router.get("/me", response_model=StaffPublic)
def me(db: SessionDep, me: CurrentStaff) -> StaffPublic:
    return views.staff_public(db, me)


@router.get("/units", response_model=list[UnitPublic], summary="我能管理的单位")
def list_units(db: SessionDep, scope: StaffScope) -> list[UnitPublic]:
    return [
        UnitPublic(
            id=persisted_id(u),
            name=u.name,
            kind=u.kind,
            parent_id=u.parent_id,
            depth=u.path.count("/") - scope.path.count("/"),
        )
        for u in units.subtree(db, scope)
    ]


@router.get("/retirees", response_model=RetireesPublic, summary="查找老同志")
def search_retirees(
    db: SessionDep,
    scope: StaffScope,
    clock: ClockDep,
    cipher: CipherDep,
    q: Annotated[Code | None, Query(max_length=50, description="姓名、电话或身份证后4位")] = None,
    unit_id: Id | None = None,
    care_flag: CareFlag | None = None,
    status: RetireeStatus | None = None,
    limit: int = Query(default=50, ge=1, le=200),
    offset: Count = 0,
) -> RetireesPublic:
    rows, count = retirees.search(
        db,
        cipher=cipher,
        scope=scope,
        q=q,
        unit_id=unit_id,
        care_flag=care_flag,
        status=status,
        limit=limit,
        offset=offset,
    )
    return RetireesPublic(
        data=views.retiree_public_many(db, rows, clock=clock, cipher=cipher), count=count
    )


@router.post("/retirees", response_model=RetireePublic, status_code=201, summary="新增老同志")
def create_retiree(
    body: RetireeCreate,
    db: SessionDep,
    me: CurrentStaff,
    scope: StaffScope,
    clock: ClockDep,
    cipher: CipherDep,
) -> RetireePublic:
    retiree = retirees.create(db, clock=clock, cipher=cipher, staff=me, scope=scope, data=body)
    return views.retiree_public(db, retiree, clock=clock, cipher=cipher)


@router.get("/retirees/{retiree_id}", response_model=RetireePublic)
def get_retiree(
    retiree_id: Id, db: SessionDep, scope: StaffScope, clock: ClockDep, cipher: CipherDep
) -> RetireePublic:
    retiree = get_scoped(db, Retiree, retiree_id, scope)
    return views.retiree_public(db, retiree, clock=clock, cipher=cipher)


@router.patch("/retirees/{retiree_id}", response_model=RetireePublic, summary="修改老同志资料")
def update_retiree(
    retiree_id: Id,
    body: RetireeUpdate,
    db: SessionDep,
    me: CurrentStaff,
    scope: StaffScope,
    clock: ClockDep,
    cipher: CipherDep,
) -> RetireePublic:
    retiree = get_scoped(db, Retiree, retiree_id, scope)
    retiree = retirees.update(db, clock=clock, staff=me, scope=scope, retiree=retiree, data=body)
    return views.retiree_public(db, retiree, clock=clock, cipher=cipher)


@router.post(
    "/retirees/{retiree_id}/status", response_model=RetireePublic, summary="改状态：在册/暂停/去世"
)
def change_status(
    retiree_id: Id,
    body: RetireeStatusChange,
    db: SessionDep,
    me: CurrentStaff,
    scope: StaffScope,
    clock: ClockDep,
    cipher: CipherDep,
) -> RetireePublic:
    retiree = get_scoped(db, Retiree, retiree_id, scope)
    retiree = retirees.change_status(
        db,
        clock=clock,
        staff=me,
        retiree=retiree,
        status=body.status,
        note=body.note,
        died_on=body.died_on,
    )
    return views.retiree_public(db, retiree, clock=clock, cipher=cipher)


@router.post(
    "/retirees/{retiree_id}/revoke-death",
    response_model=DeathRevoked,
    summary="撤销误标的去世（管理员，30天内）",
)
def revoke_death(
    retiree_id: Id,
    body: DeathRevoke,
    db: SessionDep,
    me: CurrentStaff,
    scope: StaffScope,
    clock: ClockDep,
) -> DeathRevoked:
    retiree = get_scoped(db, Retiree, retiree_id, scope)
    restored, not_restored = retirees.revoke_death(
        db, clock=clock, staff=me, retiree=retiree, reason=body.reason
    )
    return DeathRevoked(retiree_id=retiree_id, restored=restored, not_restored=not_restored)


@router.post(
    "/retirees/{retiree_id}/binding-code",
    response_model=BindingCodePublic,
    status_code=201,
    summary="给老同志发绑定码（6位，7天有效）",
)
def issue_binding_code(
    retiree_id: Id, db: SessionDep, me: CurrentStaff, scope: StaffScope, clock: ClockDep
) -> BindingCodePublic:
    retiree = get_scoped(db, Retiree, retiree_id, scope)
    row = binding.issue_binding_code(db, clock=clock, staff=me, retiree=retiree)
    return BindingCodePublic(code=row.code, expires_at=row.expires_at, retiree_id=row.retiree_id)


@router.delete("/retirees/{retiree_id}/wechat", status_code=204, summary="解除老同志的微信绑定")
def unbind_wechat(
    retiree_id: Id, db: SessionDep, me: CurrentStaff, scope: StaffScope, clock: ClockDep
) -> Response:
    retiree = get_scoped(db, Retiree, retiree_id, scope)
    binding.unbind_wechat(db, clock=clock, staff=me, retiree=retiree)
    return Response(status_code=204)


@router.get("/retirees/{retiree_id}/family", response_model=list[FamilyBindingPublic])
def list_family(retiree_id: Id, db: SessionDep, scope: StaffScope) -> list[FamilyBindingPublic]:
    retiree = get_scoped(db, Retiree, retiree_id, scope)
    assert retiree.id is not None
    return [binding.to_public(b, retiree.name) for b in binding.active_bindings_of(db, retiree.id)]


@router.post(
    "/retirees/{retiree_id}/family-invites",
    response_model=FamilyInvitePublic,
    status_code=201,
    summary="替老同志邀请家人",
)
def invite_family(
    retiree_id: Id,
    body: FamilyInviteCreate,
    db: SessionDep,
    me: CurrentStaff,
    scope: StaffScope,
    clock: ClockDep,
) -> FamilyInvitePublic:
    retiree = get_scoped(db, Retiree, retiree_id, scope)
    invite = binding.staff_invite_family(db, clock=clock, staff=me, retiree=retiree, data=body)
    return FamilyInvitePublic.model_validate(invite, from_attributes=True)


@router.delete("/retirees/{retiree_id}/family/{binding_id}", status_code=204)
def revoke_family(
    retiree_id: Id,
    binding_id: Id,
    db: SessionDep,
    me: CurrentStaff,
    scope: StaffScope,
    clock: ClockDep,
) -> Response:
    retiree = get_scoped(db, Retiree, retiree_id, scope)
    target = binding.get_active_binding(db, retiree_id, binding_id)
    binding.revoke_binding(
        db,
        clock=clock,
        binding=target,
        revoked_by=staff_actor(me).label,
        staff=me,
        unit_id=retiree.unit_id,
    )
    return Response(status_code=204)


@router.get("/accounts", response_model=list[StaffPublic], summary="工作人员账号（管理员）")
def list_accounts(db: SessionDep, _: CurrentAdmin, scope: StaffScope) -> list[StaffPublic]:
    return [views.staff_public(db, s) for s in staff.list_in_scope(db, scope)]


@router.post("/accounts", response_model=StaffPublic, status_code=201)
def create_account(
    body: StaffCreate, db: SessionDep, me: CurrentAdmin, scope: StaffScope, clock: ClockDep
) -> StaffPublic:
    return views.staff_public(db, staff.create(db, clock=clock, actor=me, scope=scope, data=body))


@router.put(
    "/accounts/{staff_id}/medical", response_model=StaffPublic, summary="设定是否医务人员（管理员）"
)
def set_medical(
    staff_id: Id,
    body: MedicalStaffIn,
    db: SessionDep,
    me: CurrentAdmin,
    scope: StaffScope,
    clock: ClockDep,
) -> StaffPublic:
    changed = staff.set_medical(
        db, clock=clock, actor=me, scope=scope, staff_id=staff_id, medical=body.is_medical
    )
    return views.staff_public(db, changed)


@router.get("/audit", response_model=AuditPage, summary="操作记录（管理员）")
def audit_log(
    db: SessionDep,
    _: CurrentAdmin,
    scope: StaffScope,
    entity: Annotated[Line | None, Query(max_length=40)] = None,
    limit: int = Query(default=50, ge=1, le=200),
    offset: Count = 0,
) -> AuditPage:
    rows, count = audit.list_entries(
        db, unit_ids=units.subtree_ids(db, scope), entity=entity, limit=limit, offset=offset
    )
    return AuditPage(
        data=[AuditEntryPublic.model_validate(r, from_attributes=True) for r in rows], count=count
    )
