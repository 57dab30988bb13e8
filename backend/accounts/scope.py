"""What a staff member may see: their unit's subtree.

One place answers "is this inside the scope": `contains` for a unit in hand, `unit_in` for a
query's unit column, and `get_scoped` for "this row of model M with id X, if it is inside the
scope, else NotFound with the model's own words". A model says once how its row maps to a unit
(`declare`), next to its table; callers never walk unit paths themselves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from sqlalchemy import ColumnElement, String, cast, literal
from sqlalchemy.orm import aliased
from sqlmodel import Session, SQLModel, col, select

from backend.accounts.models import Retiree, RosterImport, StaffAccount, Unit
from backend.core.actors import Actor, ActorKind, persisted_id
from backend.core.errors import AppError, NotFound

__all__ = [
    "Actor",
    "ActorKind",
    "WRONG_UNIT",
    "Scope",
    "UnitPlace",
    "above_or_below",
    "ancestor_ids",
    "at_or_above",
    "contains",
    "declare",
    "get_scoped",
    "persisted_id",
    "staff_actor",
    "subtree_of",
    "unit_in",
]

M = TypeVar("M", bound=SQLModel)

# The words for a unit id that came from a form's list but is not the staff member's to choose.
WRONG_UNIT = "所属单位不对，请从列表里选择。"


class UnitPlace(Protocol):
    """Where a unit sits: a loaded `Unit` has it, and so does a plain row of its id and path
    (a list statement reads the retiree's unit beside its own rows)."""

    @property
    def id(self) -> int | None: ...
    @property
    def path(self) -> str: ...


def ancestor_ids(unit: UnitPlace) -> list[int]:
    """The unit's own id and every unit above it, top first (read from its path "/1/4/9/")."""
    return ancestor_ids_of(unit.path)


def ancestor_ids_of(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p]


def contains(root: Unit, unit: Unit) -> bool:
    """Whether `unit` is `root` or below it."""
    return unit.path.startswith(root.path)


def subtree_of(root: Unit) -> ColumnElement[bool]:
    """SQL over the unit table: the unit is `root` or below it."""
    return col(Unit.path).startswith(root.path)


def unit_in(unit_id: Any, root: Unit) -> ColumnElement[bool]:
    """SQL: this unit-id column points at `root` or a unit below it."""
    return col(unit_id).in_(select(Unit.id).where(subtree_of(root)))


def above_or_below(unit_id: Any, unit: Unit) -> ColumnElement[bool]:
    """SQL: this unit-id column points at `unit`, a unit above it or a unit below it."""
    return col(unit_id).in_(ancestor_ids(unit)) | unit_in(unit_id, unit)


def unit_alias(name: str) -> Any:
    """The unit table under another name, for a statement that reads a person's unit beside its
    own rows (with at_or_above): other domains reach the table through this seam."""
    return aliased(Unit, name=name)


def at_or_above(unit_id: Any, unit: Any) -> ColumnElement[bool]:
    """SQL: this unit-id column points at `unit` (a unit table, or an alias of it, in the same
    query) or at a unit above it: its id is a step of the unit's path. What `ancestor_ids`
    answers, without reading the unit first."""
    step = literal("/") + cast(col(unit_id), String) + literal("/")
    return col(unit.path).contains(step)


def staff_actor(staff: StaffAccount) -> Actor:
    return Actor.staff(persisted_id(staff))


@dataclass(frozen=True)
class Scope:
    """A staff member's view: their unit's subtree, and who they are."""

    root: Unit
    actor: Actor

    @classmethod
    def of_staff(cls, root: Unit, staff: StaffAccount) -> Scope:
        return cls(root=root, actor=staff_actor(staff))

    def contains(self, unit: Unit) -> bool:
        return contains(self.root, unit)

    def get(self, db: Session, model: type[M], row_id: int, *, missing: str | None = None) -> M:
        return get_scoped(db, model, row_id, self.root, missing=missing)


@dataclass(frozen=True)
class _Owner:
    missing: str
    unit_of: Callable[[Session, Any], int | None]
    unowned_at_top: bool


_OWNERS: dict[type, _Owner] = {}


def _declared(model: type[SQLModel] | str) -> type[SQLModel]:
    if not isinstance(model, str):
        return model
    for declared in _OWNERS:
        if declared.__name__ == model:
            return declared
    raise LookupError(f"{model} was never declared to the scope seam")


def declare(
    model: type[SQLModel],
    *,
    missing: str,
    unit: str = "unit_id",
    via: tuple[str, type[SQLModel] | str] | None = None,
    unowned_at_top: bool = False,
) -> None:
    """Say how a row of `model` maps to a unit, and the words for "not found / not yours".

    `unit`: the row's unit-id column. `via=("menu_id", MealMenu)`: the row belongs wherever
    its parent row does; the parent may be named by its class name (`via=("bookable_id",
    "Bookable")`) so a domain need not import another domain's table at run time.
    `unowned_at_top`: a row without a unit is seen by top-unit staff."""
    if via is not None:
        attr, named = via

        def unit_of(db: Session, row: Any) -> int | None:
            parent = _declared(named)
            owner = db.get(parent, getattr(row, attr))
            return None if owner is None else _OWNERS[parent].unit_of(db, owner)

    else:

        def unit_of(db: Session, row: Any) -> int | None:  # noqa: ARG001 - one signature
            value = getattr(row, unit)
            return value if isinstance(value, int) else None

    _OWNERS[model] = _Owner(missing=missing, unit_of=unit_of, unowned_at_top=unowned_at_top)


def get_scoped(
    db: Session,
    model: type[M],
    row_id: int,
    scope: Unit,
    *,
    missing: str | None = None,
    refuse: type[AppError] = NotFound,
) -> M:
    """The row, if it lies inside the scope's subtree; NotFound otherwise (never 403, so an id
    reveals nothing). `missing` overrides the model's declared words for this caller; `refuse`
    the error, for an id a form offered from a list (BadRequest "请从列表里选择")."""
    owner = _OWNERS[model]
    words = missing or owner.missing
    row = db.get(model, row_id)
    if row is None:
        raise refuse(words)
    unit_id = owner.unit_of(db, row)
    if unit_id is None:
        if owner.unowned_at_top and scope.parent_id is None:
            return row
        raise refuse(words)
    unit = row if isinstance(row, Unit) else db.get(Unit, unit_id)
    if unit is None or not contains(scope, unit):
        raise refuse(words)
    return row


declare(Retiree, missing="没有找到这位老同志。")
declare(StaffAccount, missing="没有找到这个账号。")
declare(RosterImport, missing="没有找到这次导入。")
declare(Unit, unit="id", missing="没有找到这个单位。")
