"""A copy of every table's rows (and, on PostgreSQL, every sequence) taken once, put back in
one transaction: a test that needs the same many-row world again and again (the access matrix)
builds it through the services once per worker instead of once per call.

The copy stays inside the database engine: on PostgreSQL in a schema of its own, on SQLite in a
file attached beside the test database. Putting it back is one `INSERT … SELECT` per table in a
single round trip, so the rows never travel to Python and back (it was the access matrix's
largest cost on PostgreSQL). Values are copied as stored, so what the app reads after a restore
is what it read when the copy was taken; ids are the same, and the next id handed out is the same
as after building the world afresh.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Table, func, select, text
from sqlalchemy.engine import Connection, Engine

from backend.models_registry import metadata

SCHEMA = "junxiu_snapshot"  # PostgreSQL: where the copy lives
ALIAS = "snapshot"  # SQLite: the attached copy's name


@dataclass
class Snapshot:
    restore: list[str] = field(default_factory=list)  # the statements that put the rows back
    file: Path | None = None  # SQLite: the attached copy


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns(table: Table) -> str:
    return ", ".join(_quote(c.name) for c in table.columns)


def foreign_key_checks_off(conn: Connection) -> list[str]:
    """PostgreSQL: the statement that skips the foreign-key triggers for the rest of the
    transaction, for emptying every table (children first) and putting back a copy of a
    consistent world, where no check can fail; they were half the time of both. Only a superuser
    may set it (as CI and the local default connect); anyone else keeps the checks."""
    if conn.exec_driver_sql("SHOW is_superuser").scalar() != "on":
        return []
    return ["SET LOCAL session_replication_role = replica"]


# Reference data that tests/conftest.py reset_state puts back itself (the migration's seed).
RESEEDED = frozenset({"work_calendar_day"})
# Tables written only by the database's own triggers (migration 0035).
TRIGGER_KEPT = frozenset({"bookable_line"})


def _tables_with_rows(conn: Connection) -> list[Table]:
    return [
        t
        for t in metadata.sorted_tables
        if t.name not in RESEEDED and conn.execute(select(func.count()).select_from(t)).scalar_one()
    ]


def take(engine: Engine) -> Snapshot:
    if engine.dialect.name == "postgresql":
        return _take_postgres(engine)
    return _take_sqlite(engine)


def put_back(engine: Engine, snapshot: Snapshot) -> None:
    """Into empty tables (tests/conftest.py reset_state first): the rows, parents first, and
    every sequence where it stood."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("; ".join(snapshot.restore))
        return
    assert snapshot.file is not None
    raw = engine.raw_connection()  # ATTACH is refused inside a transaction: the driver's own
    try:
        cur = raw.cursor()
        cur.execute(f"ATTACH DATABASE ? AS {ALIAS}", (str(snapshot.file),))
        try:
            cur.execute("BEGIN IMMEDIATE")
            try:
                for statement in snapshot.restore:
                    cur.execute(statement)
            except Exception:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")
        finally:
            cur.execute(f"DETACH DATABASE {ALIAS}")
            cur.close()
    finally:
        raw.close()


def _restore_sql(tables: list[Table], source: str, target: str = "") -> list[str]:
    return [
        f"INSERT INTO {target}{_quote(t.name)} ({_columns(t)}) "
        f"SELECT {_columns(t)} FROM {source}.{_quote(t.name)}"
        for t in tables
    ]


def drop(engine: Engine, snapshot: Snapshot) -> None:
    """The copy is not needed any more."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    elif snapshot.file is not None:
        snapshot.file.unlink(missing_ok=True)


def _take_postgres(engine: Engine) -> Snapshot:
    snapshot = Snapshot()
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}")
        tables = _tables_with_rows(conn)
        conn.exec_driver_sql(
            "; ".join(
                f"CREATE TABLE {SCHEMA}.{_quote(t.name)} AS SELECT {_columns(t)} "
                f"FROM {_quote(t.name)}"
                for t in tables
            )
        )
        triggers_off = foreign_key_checks_off(conn)
        # with the triggers on, they rebuild the tables they keep as the bookings go back
        restored = tables if triggers_off else [t for t in tables if t.name not in TRIGGER_KEPT]
        snapshot.restore = [*triggers_off, *_restore_sql(restored, SCHEMA)]
        names = conn.execute(
            text(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE c.relkind = 'S' AND n.nspname = current_schema()"
            )
        ).scalars()
        for name in list(names):
            value, called = conn.execute(
                text(f"SELECT last_value, is_called FROM {_quote(name)}")
            ).one()
            flag = "true" if called else "false"
            snapshot.restore.append(f"SELECT setval('{_quote(name)}', {int(value)}, {flag})")
    return snapshot


def _take_sqlite(engine: Engine) -> Snapshot:
    database = engine.url.database
    assert database and database != ":memory:", "the snapshot needs a database file"
    snapshot = Snapshot(file=Path(f"{database}.snapshot-{uuid.uuid4().hex[:8]}"))
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute(f"ATTACH DATABASE ? AS {ALIAS}", (str(snapshot.file),))
        try:
            with engine.connect() as conn:
                tables = _tables_with_rows(conn)
            # the triggers rebuild them as the bookings go back (PostgreSQL's replica role
            # turns its triggers off, so there they are copied)
            restored = [t for t in tables if t.name not in TRIGGER_KEPT]
            snapshot.restore = _restore_sql(restored, ALIAS, target="main.")
            cur.execute("BEGIN IMMEDIATE")
            for t in tables:
                cur.execute(
                    f"CREATE TABLE {ALIAS}.{_quote(t.name)} AS "
                    f"SELECT {_columns(t)} FROM main.{_quote(t.name)}"
                )
            cur.execute("COMMIT")
        finally:
            cur.execute(f"DETACH DATABASE {ALIAS}")
            cur.close()
    finally:
        raw.close()
    return snapshot
