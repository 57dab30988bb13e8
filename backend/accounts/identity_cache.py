"""Who a signed-in person is (user, own retiree record, live family bindings; a staff account),
from Redis on most requests and from the database otherwise.

A copy is kept under two versions (core/versions.py): the person's own (`u<id>`, `s<id>`) and one
for every copy (`all`). Any ORM change to a WechatUser, Retiree, FamilyBinding or StaffAccount row
bumps the version of the person it concerns — before and after the change, so binding, unbinding,
rights, 去世, moving unit, deactivation all count, and nobody has to remember to call anything —
and a bulk statement on those tables, or any change to a unit, bumps `all`. The bump happens at
commit, before the response, so the next request (on any worker sharing Redis) reads the database.

The database stays the truth: no Redis, Redis failing, a missing or mismatched version, an
unreadable copy — each reads the database, exactly as without the cache. Copies live
COPY_SECONDS at most, the same bound as a cached session (accounts/sessions.py), which is what
limits a stale copy in the one case versions cannot cover: Redis unreachable from the writer at
its commit but reachable from readers.

Columns the requests never need (the WeChat session key, the password hash) are not copied: they
load from the database if something asks for them.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import asdict
from datetime import date, datetime
from itertools import chain
from typing import Any, TypeVar

from sqlalchemy import event, inspect
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, SQLModel, select

from backend.accounts import identity
from backend.accounts.models import FamilyBinding, Retiree, StaffAccount, Unit, WechatUser
from backend.accounts.scope import ancestor_ids_of
from backend.core import versions
from backend.core.cache import Cache, RedisCache

log = logging.getLogger(__name__)

COPY_SECONDS = 30
ALL = "ident:all"
# A bulk statement that keeps its rows' ORM objects up to date (so the flush sees the change)
# says so with this execution option and does not bump every copy.
TRACKED_BY_FLUSH = "junxiu_identity_tracked"

_NOT_COPIED: dict[type[SQLModel], frozenset[str]] = {
    WechatUser: frozenset({"session_key_enc"}),
    Retiree: frozenset(),  # its ID number is ciphertext (the key is not in Redis); /me masks it
    StaffAccount: frozenset({"password_hash"}),
    FamilyBinding: frozenset(),
}
_TRACKED = (WechatUser, Retiree, FamilyBinding, StaffAccount, Unit)

M = TypeVar("M", bound=SQLModel)


def user_version(user_id: int) -> str:
    return f"ident:u{user_id}"


def staff_version(staff_id: int) -> str:
    return f"ident:s{staff_id}"


def _copy_key(version: str) -> str:
    return f"ident:copy:{version.removeprefix('ident:')}"


# --- rows to and from JSON -------------------------------------------------------------------


def _dump(row: SQLModel) -> dict[str, Any]:
    skip = _NOT_COPIED[type(row)]
    loaded = row.__dict__
    out: dict[str, Any] = {}
    for attr in inspect(type(row)).column_attrs:
        name = attr.key
        if name in skip or name not in loaded:
            continue
        value = loaded[name]
        if isinstance(value, datetime):
            value = {"dt": value.isoformat()}
        elif isinstance(value, date):
            value = {"d": value.isoformat()}
        out[name] = value
    return out


def _load(model: type[M], data: dict[str, Any]) -> M:
    """A row as if just read from the database (no history), not yet in any session."""
    row = inspect(model).class_manager.new_instance()
    for name, value in data.items():
        if isinstance(value, dict):
            dt = value.get("dt")
            value = datetime.fromisoformat(dt) if dt else date.fromisoformat(value["d"])
        set_committed_value(row, name, value)
    make_transient_to_detached(row)
    return row


def _attach(db: Session, row: M) -> M:
    """Into the request's session, as a row it had loaded: routes may change it and flush, and
    db.get finds it without a query."""
    identity_key = inspect(row).key
    existing = db.identity_map.get(identity_key) if identity_key is not None else None
    if existing is not None:
        return existing
    db.add(row)
    return row


# --- reading through the cache ---------------------------------------------------------------


def _lookup(cache: RedisCache, version: str) -> tuple[dict[str, Any] | None, list[str] | None]:
    """(the copy if current, the versions a new copy is made under); (None, None) when Redis
    cannot answer — then nothing is cached."""
    versions.replay(cache)
    got = cache.get_many_shared([_copy_key(version), versions.key(version), versions.key(ALL)])
    if got is None:
        return None, None
    raw, mine, every = got
    if raw is not None and mine is not None and every is not None:
        try:
            data = json.loads(raw)
            if data["v"] == [mine, every]:
                return data, None
        except (ValueError, KeyError, TypeError):
            log.warning("identity copy unreadable; using the database")
    if mine is None or every is None:  # first sight (or lost): make them, in one round trip
        made = cache.add_many_shared(
            {versions.key(version): versions.new_value(), versions.key(ALL): versions.new_value()},
            ttl=versions.VERSION_TTL,
        )
        mine, every = made if made is not None else (None, None)
        if mine is None or every is None:
            return None, None
    return None, [mine, every]


def _store(cache: RedisCache, version: str, tag: list[str], data: dict[str, Any]) -> None:
    cache.set_shared(_copy_key(version), json.dumps({**data, "v": tag}), ttl=COPY_SECONDS)


class _UnitTable:
    """Every unit's name and path, read once per value of the `all` version (which any change to
    a unit bumps): a copy of a retiree's home unit then costs no statement. Process-local, and
    safe so, because it is keyed by the shared version."""

    def __init__(self) -> None:
        self._version: str | None = None
        self._units: dict[int, tuple[str, str]] = {}
        self._lock = threading.Lock()

    def home(self, db: Session, every: str, unit_id: int) -> identity.HomeUnit | None:
        with self._lock:
            if self._version != every:
                rows = db.exec(select(Unit.id, Unit.name, Unit.path)).all()
                self._units = {int(uid or 0): (name, path) for uid, name, path in rows}
                self._version = every
            units = self._units
        own = units.get(unit_id)
        if own is None:
            return None
        line = [(uid, units.get(uid, ("", ""))[0]) for uid in ancestor_ids_of(own[1])]
        return identity.HomeUnit(id=unit_id, path=own[1], line=line)


_unit_table = _UnitTable()


def viewer(db: Session, cache: Cache | None, user_id: int) -> identity.Viewer | None:
    """The signed-in WeChat user's Viewer: from the copy when it is current, else the database
    (one statement; a new copy written when Redis answers)."""
    shared = versions.shared(cache)
    if shared is None:
        return identity.load_viewer_by_id(db, user_id)
    version = user_version(user_id)
    data, tag = _lookup(shared, version)
    if data is not None:
        return _viewer_from(db, data)
    found = identity.load_viewer_by_id(db, user_id)
    if found is None or tag is None:
        return found
    if found.retiree is not None:
        found.home = _unit_table.home(db, tag[1], found.retiree.unit_id)
    _store(
        shared,
        version,
        tag,
        {
            "user": _dump(found.user),
            "retiree": _dump(found.retiree) if found.retiree is not None else None,
            "bindings": [_dump(b) for b in found.bindings],
            "home": asdict(found.home) if found.home is not None else None,
        },
    )
    return found


def cached_viewer(db: Session, cache: Cache | None, user_id: int) -> identity.Viewer | None:
    """viewer's answer from Redis's copy alone, when the copy is current (no statement); None:
    ask viewer."""
    shared = versions.shared(cache)
    if shared is None:
        return None
    data, _tag = _lookup(shared, user_version(user_id))
    return _viewer_from(db, data) if data is not None else None


def _viewer_from(db: Session, data: dict[str, Any]) -> identity.Viewer:
    home = data.get("home")
    return identity.Viewer(
        user=_attach(db, _load(WechatUser, data["user"])),
        retiree=_attach(db, _load(Retiree, data["retiree"])) if data["retiree"] else None,
        bindings=[_attach(db, _load(FamilyBinding, b)) for b in data["bindings"]],
        home=identity.HomeUnit(
            id=home["id"], path=home["path"], line=[(int(i), str(n)) for i, n in home["line"]]
        )
        if home
        else None,
    )


def cached_staff(db: Session, cache: Cache | None, staff_id: int) -> StaffAccount | None:
    """staff's answer from Redis's copy alone, when the copy is current; None: ask staff."""
    shared = versions.shared(cache)
    if shared is None:
        return None
    data, _tag = _lookup(shared, staff_version(staff_id))
    return _attach(db, _load(StaffAccount, data["staff"])) if data is not None else None


def staff(db: Session, cache: Cache | None, staff_id: int) -> StaffAccount | None:
    """The staff account (active or not: the caller decides), from the copy when current."""
    shared = versions.shared(cache)
    if shared is None:
        return db.get(StaffAccount, staff_id)
    version = staff_version(staff_id)
    data, tag = _lookup(shared, version)
    if data is not None:
        return _attach(db, _load(StaffAccount, data["staff"]))
    found = db.get(StaffAccount, staff_id)
    if found is not None and tag is not None:
        _store(shared, version, tag, {"staff": _dump(found)})
    return found


# --- what a flush changes --------------------------------------------------------------------


def _user_ids(row: Retiree | FamilyBinding) -> set[int] | None:
    """Every user the row pointed at before or points at now; None when that is unknown."""
    history = inspect(row).attrs.wechat_user_id.history
    ids = {v for v in chain(history.added, history.unchanged, history.deleted) if v is not None}
    if not ids and not history and "wechat_user_id" not in row.__dict__:
        return None
    return ids


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _flush_context: Any) -> None:
    names: set[str] = set()
    for row in chain(session.new, session.dirty, session.deleted):
        if isinstance(row, WechatUser) and row.id is not None:
            names.add(user_version(row.id))
        elif isinstance(row, Retiree | FamilyBinding):
            ids = _user_ids(row)
            if ids is None:
                names.add(ALL)
            else:
                names.update(user_version(i) for i in ids)
        elif isinstance(row, StaffAccount) and row.id is not None:
            names.add(staff_version(row.id))
        elif isinstance(row, Unit):
            names.add(ALL)
    if names:
        versions.touch(session, *names)


@event.listens_for(Session, "do_orm_execute")
def _on_bulk(state: Any) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    mapper = state.bind_mapper
    if mapper is None or not issubclass(mapper.class_, _TRACKED):
        return
    if state.execution_options.get(TRACKED_BY_FLUSH):
        return
    versions.touch(state.session, ALL)
