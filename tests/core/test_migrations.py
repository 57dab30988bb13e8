"""The Alembic migrations build exactly the schema the models describe, and run both ways."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from backend.core.db import make_engine
from backend.core.migrate import alembic_config, downgrade_to_base, upgrade_to_head
from backend.models_registry import metadata


def test_models_match_migrations(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, metadata)
    assert diff == [], f"models and migrations differ; add a migration: {diff}"


def test_downgrade_and_upgrade_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'roundtrip.db'}"
    upgrade_to_head(url)
    downgrade_to_base(url)
    engine = make_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    upgrade_to_head(url)
    engine = make_engine(url)
    assert set(metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_the_waiting_counts_are_filled_from_the_bookings_already_there(tmp_path: Path) -> None:
    """Migration 0035 counts the lines that exist when it runs; its triggers take it from there."""
    url = f"sqlite:///{tmp_path / 'lines.db'}"
    command.upgrade(alembic_config(url), "0034")
    raw = sqlite3.connect(tmp_path / "lines.db")  # foreign keys not enforced: rows by hand
    at = "2026-12-01 01:00:00.000000"
    raw.execute(
        "INSERT INTO bookable (id, kind, unit_id, title, capacity, confirmed_count, starts_at,"
        " opens_at, closes_at, cancel_deadline, max_quantity, eligibility, status, lock_version,"
        " created_at, updated_at) VALUES"
        f" (7, 'activity', 1, '春游', 1, 1, '{at}', '{at}', '{at}', '{at}', 1, '{{}}', 'open', 0,"
        f" '{at}', '{at}')"
    )
    for retiree, status in enumerate(["confirmed", "waitlisted", "waitlisted", "cancelled"]):
        raw.execute(
            "INSERT INTO booking (bookable_id, retiree_id, unit_id, quantity, status, booked_by,"
            f" channel, created_at) VALUES (7, {retiree + 1}, 1, 1, '{status}', 'self', '小程序',"
            f" '{at}')"
        )
    raw.commit()
    raw.close()
    upgrade_to_head(url)
    engine = make_engine(url)
    with engine.begin() as conn:
        assert conn.execute(text("SELECT bookable_id, waiting FROM bookable_line")).all() == [
            (7, 2)
        ]
        conn.execute(text("UPDATE booking SET status = 'cancelled' WHERE retiree_id = 2"))
        assert conn.execute(text("SELECT waiting FROM bookable_line")).scalar_one() == 1
    engine.dispose()
