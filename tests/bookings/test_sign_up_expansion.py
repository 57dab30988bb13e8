"""The sign-up's function in PostgreSQL writes a notice's rows with the statements notices/fanout.py
builds for every notice (migration 0036 wrote them into it, so they are planned once a
connection). Who gets a copy is decided in fanout.py: when that code changes, this fails until a
new migration writes the new statements into the function."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from backend.notices import fanout

# the function's own names for what expansion_sql leaves as $1, $2, $3
NAMES = {"$1": "v_notice", "$2": "p_now", "$3": "p_retiree"}


def _words(sql: str) -> str:
    return " ".join(sql.split())


def _function(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(
            conn.execute(
                text(
                    "SELECT pg_get_functiondef(p.oid) FROM pg_proc p "
                    "WHERE p.proname = 'booking_sign_up'"
                )
            ).scalar_one()
        )


@pytest.mark.parametrize("include_family", [True, False])
def test_the_function_runs_the_statements_fanout_builds(
    engine: Engine, include_family: bool
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("the sign-up's function is PostgreSQL's; SQLite runs fanout.py's statements")
    body = _words(_function(engine))
    with Session(engine) as db:
        statements = fanout.expansion_sql(db, include_self=True, include_family=include_family)
    assert len(statements) == 3
    for statement in statements:
        written = re.sub(r"\$[123]", lambda m: NAMES[m.group()], _words(statement))
        assert written + ";" in body, written


def test_the_function_no_longer_executes_text(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("the sign-up's function is PostgreSQL's")
    body = _function(engine)
    assert "EXECUTE v_sql" not in body
    assert "p_expand" not in body
