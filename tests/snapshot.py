"""A copy of every table's rows (and, on PostgreSQL, every sequence) taken once, put back in
one transaction: a test that needs the same many-row world again and again (the access matrix)
builds it through the services once per worker instead of once per call.

The rows go out and back through the same typed columns the app uses, so what the app reads
after a restore is what it read when the copy was taken; ids are the same, and the next id
handed out is the same as after building the world afresh.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.engine import Engine

from backend.models_registry import metadata


@dataclass
class Snapshot:
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    sequences: dict[str, tuple[int, bool]] = field(default_factory=dict)


def take(engine: Engine) -> Snapshot:
    snapshot = Snapshot()
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            rows = [dict(row._mapping) for row in conn.execute(select(table))]
            if rows:
                snapshot.rows[table.name] = rows
        if engine.dialect.name == "postgresql":
            names = conn.execute(
                text(
                    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE c.relkind = 'S' AND n.nspname = current_schema()"
                )
            ).scalars()
            for name in list(names):
                value, called = conn.execute(
                    text(f'SELECT last_value, is_called FROM "{name}"')
                ).one()
                snapshot.sequences[name] = (int(value), bool(called))
    return snapshot


def put_back(engine: Engine, snapshot: Snapshot) -> None:
    """Into empty tables (tests/conftest.py reset_state first): the rows, parents first, and
    every sequence where it stood."""
    with engine.begin() as conn:
        for table in metadata.sorted_tables:
            rows = snapshot.rows.get(table.name)
            if rows:
                conn.execute(table.insert(), rows)
        for name, (value, called) in snapshot.sequences.items():
            conn.execute(
                text("SELECT setval(:name, :value, :called)"),
                {"name": f'"{name}"', "value": value, "called": called},
            )
