"""Mini-program API of the people domain: login, identity, binding, family."""

from __future__ import annotations

from datetime import timedelta

from fastapi import Request, Response

from backend.accounts import binding, directory, identity, sessions, views, wechat_login
from backend.accounts.deps import CurrentViewer, CurrentWechatUser, bearer_token
from backend.accounts.identity import Permission
from backend.accounts.schemas import (
    BindFamilyIn,
    BindRetireeIn,
    FamilyBindingPublic,
    FamilyInviteCreate,
    FamilyInvitePublic,
    FamilyRightsIn,
    FollowedRetiree,
    MeOut,
    RetireePublic,
    SessionOut,
    WechatLoginIn,
)
from backend.core import ratelimit
from backend.core.actors import Actor
from backend.core.deps import CacheDep, CipherDep, ClientIP, ClockDep, CtxDep, SessionDep
from backend.core.errors import Forbidden, NotFound
from backend.core.inputs import Id
from backend.core.responses import json_reply
from backend.core.routing import APIRouter

router = APIRouter(prefix="/api/v1", tags=["小程序：登录与绑定"])


def _me(db: SessionDep, viewer: identity.Viewer, clock: ClockDep, cipher: CipherDep) -> MeOut:
    following = []
    people = directory.followed(db, [b.retiree_id for b in viewer.bindings])  # one query
    for b in viewer.bindings:
        assert b.id is not None
        name, deceased, died_on = people.get(b.retiree_id, ("", False, None))
        following.append(
            FollowedRetiree(
                retiree_id=b.retiree_id,
                name=name,
                deceased=deceased,
                died_on=died_on,
                relation=b.relation,
                binding_id=b.id,
                can_receive_notices=b.can_receive_notices,
                can_submit_checkin=b.can_submit_checkin,
                can_book=b.can_book,
                can_see_health=b.can_see_health,
            )
        )
    own = (
        views.retiree_public(
            db,
            viewer.retiree,
            clock=clock,
            cipher=cipher,
            # the unit's name as the identity cache holds it (kept current: any change to a
            # unit makes every cached copy stale), instead of a query
            unit_names=dict(viewer.home.line) if viewer.home else None,
        )
        if viewer.retiree
        else None
    )
    return MeOut(
        wechat_user_id=viewer.user_id,
        bound=bool(viewer.roles),
        roles=viewer.roles,
        retiree=own,
        following=following,
    )


@router.post("/auth/wechat", response_model=SessionOut, summary="微信登录（wx.login 的 code）")
def wechat_login_route(
    body: WechatLoginIn,
    db: SessionDep,
    ctx: CtxDep,
    clock: ClockDep,
    cipher: CipherDep,
    ip: ClientIP,
) -> SessionOut:
    ratelimit.hit(ctx.cache, clock, f"login:ip:{ip}", limit=120, window_seconds=60)
    info = wechat_login.exchange_code(ctx.wechat, body.code)
    token, expires_at, user = wechat_login.login(
        db,
        clock=clock,
        cipher=cipher,
        info=info,
        ttl=timedelta(days=ctx.settings.session_ttl_days),
    )
    viewer = identity.load_viewer(db, user)
    return SessionOut(token=token, expires_at=expires_at, identity=_me(db, viewer, clock, cipher))


@router.post("/auth/logout", status_code=204, summary="退出登录")
def logout(request: Request, db: SessionDep, cache: CacheDep, _: CurrentWechatUser) -> Response:
    token = bearer_token(request)
    if token:
        sessions.revoke(db, token=token, cache=cache)
    return Response(status_code=204)


@router.get("/me", response_model=MeOut, summary="我是谁：本人、家人或未绑定")
def me(db: SessionDep, viewer: CurrentViewer, clock: ClockDep, cipher: CipherDep) -> Response:
    return json_reply(_me(db, viewer, clock, cipher))


def _limit_binding(ctx: CtxDep, clock: ClockDep, viewer: identity.Viewer, ip: str) -> None:
    limit = ctx.settings.bind_attempts_per_hour
    then = "也可以请工作人员帮您绑定。"
    ratelimit.hit(
        ctx.cache, clock, f"bind:user:{viewer.user_id}", limit=limit, window_seconds=3600, then=then
    )
    ratelimit.hit(
        ctx.cache, clock, f"bind:ip:{ip}", limit=limit * 5, window_seconds=3600, then=then
    )


@router.post("/bind/retiree", response_model=MeOut, summary="老同志本人用绑定码绑定")
def bind_retiree(
    body: BindRetireeIn,
    db: SessionDep,
    ctx: CtxDep,
    clock: ClockDep,
    cipher: CipherDep,
    viewer: CurrentViewer,
    ip: ClientIP,
) -> MeOut:
    _limit_binding(ctx, clock, viewer, ip)
    binding.redeem_binding_code(
        db, clock=clock, cipher_tail_check=body.id_tail, user=viewer.user, code=body.code
    )
    return _me(db, identity.load_viewer(db, viewer.user), clock, cipher)


@router.post("/bind/family", response_model=MeOut, summary="家人用邀请码绑定")
def bind_family(
    body: BindFamilyIn,
    db: SessionDep,
    ctx: CtxDep,
    clock: ClockDep,
    cipher: CipherDep,
    viewer: CurrentViewer,
    ip: ClientIP,
) -> MeOut:
    _limit_binding(ctx, clock, viewer, ip)
    binding.redeem_family_invite(
        db, clock=clock, user=viewer.user, code=body.code, display_name=body.display_name
    )
    return _me(db, identity.load_viewer(db, viewer.user), clock, cipher)


@router.get("/retirees/{retiree_id}", response_model=RetireePublic, summary="老同志资料")
def get_retiree(
    retiree_id: Id, db: SessionDep, viewer: CurrentViewer, clock: ClockDep, cipher: CipherDep
) -> RetireePublic:
    acting = identity.act_for(db, viewer, retiree_id, Permission.view)
    return views.retiree_public(
        db,
        acting.retiree,
        clock=clock,
        cipher=cipher,
        health=viewer.may(retiree_id, Permission.see_health),
    )


@router.get(
    "/retirees/{retiree_id}/family",
    response_model=list[FamilyBindingPublic],
    summary="我的家人（老人本人可见）",
)
def list_family(retiree_id: Id, db: SessionDep, viewer: CurrentViewer) -> list[FamilyBindingPublic]:
    acting = identity.act_for(db, viewer, retiree_id, Permission.view)
    if acting.on_behalf:
        # A family member sees only their own binding, not the other relatives.
        own = viewer.binding_for(retiree_id)
        rows = [own] if own else []
    else:
        rows = binding.active_bindings_of(db, retiree_id)
    return [binding.to_public(b, acting.retiree.name) for b in rows]


@router.post(
    "/retirees/{retiree_id}/family-invites",
    response_model=FamilyInvitePublic,
    status_code=201,
    summary="老人本人邀请家人",
)
def invite_family(
    retiree_id: Id,
    body: FamilyInviteCreate,
    db: SessionDep,
    clock: ClockDep,
    viewer: CurrentViewer,
) -> FamilyInvitePublic:
    acting = identity.act_for(db, viewer, retiree_id, Permission.view)
    if acting.on_behalf:
        raise Forbidden("只有老人本人或工作人员可以邀请家人。", code="permission_denied")
    invite = binding.issue_family_invite(
        db,
        clock=clock,
        retiree=acting.retiree,
        issued_by=Actor.retiree(retiree_id).label,
        data=body,
    )
    return FamilyInvitePublic.model_validate(invite, from_attributes=True)


@router.put(
    "/retirees/{retiree_id}/family/{binding_id}/rights",
    response_model=FamilyBindingPublic,
    summary="老人本人改家人的权限",
)
def set_family_rights(
    retiree_id: Id, binding_id: Id, body: FamilyRightsIn, db: SessionDep, viewer: CurrentViewer
) -> FamilyBindingPublic:
    acting = identity.act_for(db, viewer, retiree_id, Permission.view)
    changed = binding.set_rights(db, acting=acting, binding_id=binding_id, data=body)
    return binding.to_public(changed, acting.retiree.name)


@router.delete(
    "/retirees/{retiree_id}/family/{binding_id}",
    status_code=204,
    summary="解除家人绑定（老人本人，或家人自己退出）",
)
def revoke_family(
    retiree_id: Id, binding_id: Id, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> Response:
    acting = identity.act_for(db, viewer, retiree_id, Permission.view)
    target = binding.get_active_binding(db, retiree_id, binding_id)
    if acting.on_behalf and target.wechat_user_id != viewer.user_id:
        raise NotFound("没有找到这个家人绑定。")
    # Stored as before: a family member leaving is recorded by their WeChat user id here, not by
    # the binding id `Acting.label` uses elsewhere.
    who = Actor.family(viewer.user_id) if acting.on_behalf else Actor.retiree(retiree_id)
    binding.revoke_binding(db, clock=clock, binding=target, revoked_by=who.label)
    return Response(status_code=204)
