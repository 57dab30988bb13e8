"""bookings: how many wait on each bookable, kept in a row of its own by the database

Revision ID: 0035
Revises: 0034
Create Date: 2026-11-29 01:00:00+00:00

Every list of activities (and the meals' staff pages) shows how many wait for each thing. It was
a count of the waiting bookings, for every item of every list: with long lines that was most of
the list's cost in the database. Now `bookable_line.waiting` holds it, and the database keeps it
right: triggers on `booking` add one when a booking enters a waiting line and take one off when
it leaves (promoted, cancelled, deleted), whichever code path or tool changed the booking.

Its own table, not a column of `bookable`: a sign-up locks the bookable's row without writing it
(migration 0033), and a waiting sign-up must not write a new version of that row. Every change
to a bookable's bookings locks the bookable first (bookings/api.py), so this row is only ever
written under that lock: no new lock order, no lost update. A bookable nobody waited on has no
row; readers take a missing row as 0. On PostgreSQL the sign-up function (0033) reads a
newcomer's place from it too, instead of counting the line while it holds the lock.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# PostgreSQL: one function, three triggers; each trigger fires only for a change that moves the
# count (its WHEN), so a confirmed sign-up or a staff note on a booking runs nothing.
_POSTGRES = [
    """
    CREATE FUNCTION bookable_line_count() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'waitlisted' THEN
            UPDATE bookable_line SET waiting = waiting - 1 WHERE bookable_id = OLD.bookable_id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'waitlisted' THEN
            INSERT INTO bookable_line (bookable_id, waiting) VALUES (NEW.bookable_id, 1)
            ON CONFLICT (bookable_id) DO UPDATE SET waiting = bookable_line.waiting + 1;
        END IF;
        RETURN NULL;
    END
    $fn$
    """,
    """
    CREATE TRIGGER booking_line_insert AFTER INSERT ON booking FOR EACH ROW
    WHEN (NEW.status = 'waitlisted') EXECUTE FUNCTION bookable_line_count()
    """,
    """
    CREATE TRIGGER booking_line_update AFTER UPDATE OF status, bookable_id ON booking
    FOR EACH ROW
    WHEN ((OLD.status = 'waitlisted' OR NEW.status = 'waitlisted')
          AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.bookable_id <> NEW.bookable_id))
    EXECUTE FUNCTION bookable_line_count()
    """,
    """
    CREATE TRIGGER booking_line_delete AFTER DELETE ON booking FOR EACH ROW
    WHEN (OLD.status = 'waitlisted') EXECUTE FUNCTION bookable_line_count()
    """,
]

# SQLite: the same three triggers, each its statements written out.
_JOIN = """
    INSERT OR IGNORE INTO bookable_line (bookable_id, waiting) VALUES (NEW.bookable_id, 0);
    UPDATE bookable_line SET waiting = waiting + 1 WHERE bookable_id = NEW.bookable_id;
"""
_LEAVE = """
    UPDATE bookable_line SET waiting = waiting - 1 WHERE bookable_id = OLD.bookable_id;
"""
_SQLITE = [
    f"""
    CREATE TRIGGER booking_line_insert AFTER INSERT ON booking
    WHEN NEW.status = 'waitlisted'
    BEGIN {_JOIN} END
    """,
    f"""
    CREATE TRIGGER booking_line_leave AFTER UPDATE OF status, bookable_id ON booking
    WHEN OLD.status = 'waitlisted'
         AND (NEW.status IS NOT 'waitlisted' OR OLD.bookable_id <> NEW.bookable_id)
    BEGIN {_LEAVE} END
    """,
    f"""
    CREATE TRIGGER booking_line_join AFTER UPDATE OF status, bookable_id ON booking
    WHEN NEW.status = 'waitlisted'
         AND (OLD.status IS NOT 'waitlisted' OR OLD.bookable_id <> NEW.bookable_id)
    BEGIN {_JOIN} END
    """,
    f"""
    CREATE TRIGGER booking_line_delete AFTER DELETE ON booking
    WHEN OLD.status = 'waitlisted'
    BEGIN {_LEAVE} END
    """,
]

# The sign-up function (migration 0033) counted the line for the newcomer's place; it reads the
# line's row instead. Its text is taken from the database and only this statement swapped.
_COUNTED = """SELECT count(*) INTO v_ahead FROM booking b
        WHERE b.bookable_id = p_bookable AND b.status = 'waitlisted';"""
_READ = """SELECT COALESCE(max(waiting), 0) INTO v_ahead FROM bookable_line
        WHERE bookable_id = p_bookable;"""


def _swap_in_sign_up(old: str, new: str) -> None:
    bind = op.get_bind()
    definition = bind.exec_driver_sql(
        "SELECT pg_get_functiondef(p.oid) FROM pg_proc p WHERE p.proname = 'booking_sign_up'"
    ).scalar_one()
    if old not in definition:
        raise RuntimeError("booking_sign_up is not the function this migration expects")
    bind.exec_driver_sql(definition.replace(old, new))


_BACKFILL = """
    INSERT INTO bookable_line (bookable_id, waiting)
    SELECT bookable_id, count(*) FROM booking WHERE status = 'waitlisted' GROUP BY bookable_id
"""


def upgrade() -> None:
    op.create_table(
        "bookable_line",
        sa.Column(
            "bookable_id",
            sa.Integer(),
            sa.ForeignKey("bookable.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("waiting", sa.Integer(), nullable=False, server_default="0"),
        sa.CheckConstraint("waiting >= 0", name="ck_bookable_line_waiting"),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        # no booking may change between the count and the triggers
        op.execute("LOCK TABLE booking IN SHARE ROW EXCLUSIVE MODE")
    op.execute(_BACKFILL)
    for statement in _POSTGRES if postgres else _SQLITE:
        op.execute(statement)
    if postgres:
        _swap_in_sign_up(_COUNTED, _READ)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _swap_in_sign_up(_READ, _COUNTED)
        for name in ("booking_line_insert", "booking_line_update", "booking_line_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON booking")
        op.execute("DROP FUNCTION IF EXISTS bookable_line_count()")
    else:
        for name in ("insert", "leave", "join", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS booking_line_{name}")
    op.drop_table("bookable_line")
