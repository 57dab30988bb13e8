"""A place in the waiting line is counted from the booking index alone (migration 0034): the
activity list counts, for each activity a retiree waits on, the waiting bookings with a smaller
id; with the id read from the table, a line of 1,900 cost the list half a millisecond."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Engine

from backend.activities import service


def test_the_place_in_line_is_counted_from_the_index(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("an index-only scan is PostgreSQL's plan; SQLite has the same index")
    compiled = service._LISTING.statement.compile(dialect=postgresql.psycopg.dialect())
    values = {"after": datetime(2026, 1, 1, tzinfo=UTC), "retiree_id": 1, "home_unit_id": 1}
    params = compiled.construct_params({"kind": "activity", **values})
    with engine.connect() as conn:
        # as on a table of thousands: no reading the whole table instead
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        conn.execute(text("SET LOCAL enable_bitmapscan = off"))
        raw = conn.connection.dbapi_connection
        assert raw is not None
        plan = [row[0] for row in raw.execute("EXPLAIN " + str(compiled), params).fetchall()]
        conn.rollback()
    # the line counted up to one's own booking: "other.id <= mine.id"
    counted = next(i for i, line in enumerate(plan) if "<= mine.id" in line)
    scan = next(line for line in reversed(plan[: counted + 1]) if "Scan" in line)
    assert "Index Only Scan using ix_booking_bookable_status_id" in scan, "\n".join(plan)
