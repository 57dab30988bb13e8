"""Turning an audience (everyone, units, care flags, categories, hand-picked retirees) into a
query, and the rules a staff member's audience must follow before anything is saved or sent.

The preview, the send and the fan-out all count and reach people through retiree_ids_query, so
the number staff see is the number who receive it."""

from __future__ import annotations

from sqlmodel import Session, func, select
from sqlmodel.sql.expression import SelectOfScalar

from backend.accounts import directory
from backend.accounts.models import Unit
from backend.accounts.scope import get_scoped
from backend.core.errors import BadRequest, Unprocessable
from backend.notices.schemas import Audience


def retiree_ids_query(
    db: Session, *, scope: Unit, audience: Audience
) -> SelectOfScalar[int | None]:
    """SELECT retiree.id for everyone the audience reaches inside the staff's scope.

    The deceased never receive notices."""
    if audience.retiree_ids:
        return directory.living_ids_in(scope, retiree_ids=audience.retiree_ids)
    units = [
        get_scoped(
            db, Unit, unit_id, scope, missing="选择的单位不对，请重新选择。", refuse=BadRequest
        )
        for unit_id in audience.unit_ids
    ]
    return directory.living_ids_in(
        scope,
        units=units,
        care_flags=[f.value for f in audience.care_flags],
        categories=[c.value for c in audience.categories],
    )


def _has_filters(audience: Audience) -> bool:
    return bool(audience.unit_ids or audience.care_flags or audience.categories)


def count(db: Session, *, scope: Unit, audience: Audience) -> int:
    ids_query = retiree_ids_query(db, scope=scope, audience=audience)
    return int(db.exec(select(func.count()).select_from(ids_query.subquery())).one())


def check(db: Session, *, scope: Unit, audience: Audience) -> None:
    """The audience says explicitly who is meant, and every hand-picked person is someone this
    staff member may write to. Picked ids outside the scope are refused, never dropped."""
    chosen = [audience.everyone, _has_filters(audience), bool(audience.retiree_ids)]
    if not any(chosen):
        raise Unprocessable(
            "请选择发给谁：本单位全部、按条件挑选，或指定的老同志。", code="audience_missing"
        )
    if sum(chosen) > 1:
        raise Unprocessable(
            "「本单位全部」「按条件」「指定的老同志」只能选一种，请重新选择。",
            code="audience_mixed",
        )
    if audience.retiree_ids:
        wanted = set(audience.retiree_ids)
        found = count(db, scope=scope, audience=audience)
        if found != len(wanted):
            missing = len(wanted) - found
            raise Unprocessable(
                f"选中的老同志里有 {missing} 位不在您管理的单位里，或已去世，请重新选择。",
                code="audience_out_of_scope",
            )
    else:
        retiree_ids_query(db, scope=scope, audience=audience)  # checks the chosen units


def check_reaches_someone(db: Session, *, scope: Unit, audience: Audience) -> int:
    """check(), and refuse an audience that reaches nobody. Returns how many it reaches."""
    check(db, scope=scope, audience=audience)
    reached = count(db, scope=scope, audience=audience)
    if reached == 0:
        raise Unprocessable(
            "按这样选，一个人也发不到。请换个条件，或改成指定的老同志。", code="audience_empty"
        )
    return reached
