"""The inbox page as SQL, built once per shape of request.

A page and its unread count are one statement: the count is a scalar subquery beside each row
(evaluated once). The statement depends only on which filters a request uses (its own rows, its
family copies, a category, a cursor), so each shape is built once and kept: a statement reused is
neither rebuilt nor re-keyed for SQLAlchemy's compiled cache on each request. The values travel
as bind parameters: own_id, binding_ids, category, before_id, limit."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, bindparam, func, or_
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import col

from backend.accounts import directory
from backend.notices.models import InboxItem, Notice


def _owner(item: type[InboxItem], *, own: bool, copies: bool) -> ColumnElement[bool]:
    """The reader's rows: their own (copy 0) and the copies their bindings receive."""
    conditions: list[ColumnElement[bool]] = []
    if own:
        conditions.append(
            (col(item.retiree_id) == bindparam("own_id")) & (col(item.copy_binding_id) == 0)
        )
    if copies:
        conditions.append(col(item.copy_binding_id).in_(bindparam("binding_ids", expanding=True)))
    return or_(*conditions)


def _visible(notice: type[Notice]) -> ColumnElement[bool]:
    return (col(notice.status) != "draft") & (col(notice.status) != "scheduled")


@cache
def unread_count(*, own: bool, copies: bool) -> Select[*tuple[Any, ...]]:
    """How many of the reader's visible, not withdrawn messages are unread."""
    item, notice = aliased(InboxItem, name="unread_item"), aliased(Notice, name="unread_notice")
    return (
        sa_select(func.count())
        .select_from(item)
        .join(notice, col(notice.id) == col(item.notice_id))
        .where(
            _owner(item, own=own, copies=copies),
            _visible(notice),
            col(notice.status) != "withdrawn",
            col(item.read_at).is_(None),
        )
    )


@cache
def page(*, own: bool, copies: bool, category: bool, before: bool) -> Select[*tuple[Any, ...]]:
    """A page of the reader's messages, unread urgent ones first, then newest first; each row
    with the notice's columns, the retiree's name and the unread count (`unread`)."""
    names = directory.name_rows()
    conditions = [_owner(InboxItem, own=own, copies=copies), _visible(Notice)]
    if category:
        conditions.append(col(Notice.category) == bindparam("category"))
    if before:
        conditions.append(col(InboxItem.id) < bindparam("before_id"))
    unread_urgent_first = (
        (col(Notice.urgent).is_(True))
        & (col(InboxItem.read_at).is_(None))
        & (col(Notice.status) != "withdrawn")
    )
    return (
        sa_select(
            col(InboxItem.id).label("item_id"),
            col(InboxItem.notice_id),
            col(InboxItem.retiree_id),
            col(InboxItem.copy_binding_id),
            col(InboxItem.created_at),
            col(InboxItem.read_at),
            col(Notice.status),
            col(Notice.title),
            col(Notice.body),
            col(Notice.category),
            col(Notice.urgent),
            col(Notice.link_page),
            names.c.name,
            unread_count(own=own, copies=copies).scalar_subquery().label("unread"),
        )
        .join(Notice, col(Notice.id) == InboxItem.notice_id)
        .join(names, names.c.id == InboxItem.retiree_id)
        .where(*conditions)
        .order_by(unread_urgent_first.desc(), col(InboxItem.id).desc())
        .limit(bindparam("limit", type_=Integer))
    )
