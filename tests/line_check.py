"""The waiting counts the database keeps (bookable_line, migration 0035's triggers) against a
count of the bookings themselves. tests/conftest.py runs it after every test that used the
database, so each test that moves a booking in or out of a line — by any path — checks it."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

_OUT_OF_STEP = text(
    """
    SELECT b.id, COALESCE(l.waiting, 0) AS kept, COALESCE(c.n, 0) AS counted
    FROM bookable b
    LEFT JOIN bookable_line l ON l.bookable_id = b.id
    LEFT JOIN (
        SELECT bookable_id, count(*) AS n FROM booking WHERE status = 'waitlisted'
        GROUP BY bookable_id
    ) c ON c.bookable_id = b.id
    WHERE COALESCE(l.waiting, 0) <> COALESCE(c.n, 0)
    """
)


def lines_out_of_step(engine_or_connection: Engine | Connection) -> list[tuple[int, int, int]]:
    """(bookable id, waiting as kept, waiting as counted) for every bookable where they differ;
    on a connection, as its own transaction sees them."""
    if isinstance(engine_or_connection, Connection):
        rows = engine_or_connection.execute(_OUT_OF_STEP)
        return [(int(r[0]), int(r[1]), int(r[2])) for r in rows]
    with engine_or_connection.connect() as conn:
        return lines_out_of_step(conn)
