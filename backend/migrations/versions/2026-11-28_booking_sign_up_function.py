"""bookings: the locked part of a retiree's sign-up as one function in the database (PostgreSQL)

Revision ID: 0033
Revises: 0032
Create Date: 2026-11-28 20:00:00+00:00

On PostgreSQL `booking_sign_up` locks the bookable's row, takes a seat or a place in the waiting
line, writes the booking and the person's notice with its inbox rows, all in one call; the caller
sends the call and its COMMIT together (backend/bookings/one_trip.py), so the lock is held for
one round trip instead of four, and the notice needs no transaction of its own after it. SQLite
has no such functions and keeps the Python path.

Each statement in a volatile PL/pgSQL function takes its own snapshot under READ COMMITTED, so
the reads after the locking UPDATE see the bookings of the sign-ups it waited behind.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CREATE = """
CREATE OR REPLACE FUNCTION booking_sign_up(
    p_bookable integer, p_retiree integer, p_unit integer, p_quantity integer, p_notes text,
    p_booked_by text, p_channel text, p_key text, p_now timestamptz,
    p_title text, p_starts_at timestamptz, p_cancel_deadline timestamptz,
    p_notice_unit integer, p_category text, p_audience text, p_include_family boolean,
    p_confirmed_title text, p_confirmed_body text, p_confirmed_link text,
    p_waiting_title text, p_waiting_body text, p_waiting_link text, p_position_mark text,
    p_expand text[])
RETURNS TABLE (outcome text, booking_id integer, waiting_position integer, notice_id integer)
LANGUAGE plpgsql VOLATILE AS $fn$
#variable_conflict use_column
DECLARE
    v_status text;
    v_title text;
    v_starts_at timestamptz;
    v_cancel_deadline timestamptz;
    v_capacity integer;
    v_confirmed integer;
    v_ahead integer;
    v_event text;
    v_notice_title text;
    v_notice_body text;
    v_notice_link text;
    v_sql text;
BEGIN
    -- the lock the Python path takes with UPDATE … lock_version, without writing a new version
    -- of the row: under a queue of sign-ups every new version lengthens the chain each waiter
    -- walks (and waiting sign-ups write nothing else to this row)
    SELECT status, title, starts_at, cancel_deadline, capacity, confirmed_count
    INTO v_status, v_title, v_starts_at, v_cancel_deadline, v_capacity, v_confirmed
    FROM bookable WHERE id = p_bookable
    FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        outcome := 'missing';
        RETURN NEXT;
        RETURN;
    END IF;
    IF v_status <> 'open' THEN
        outcome := 'closed';
        RETURN NEXT;
        RETURN;
    END IF;
    -- the notice was worded from a read before the lock: if staff changed what it says since,
    -- the caller words it again (nothing written here)
    IF v_title IS DISTINCT FROM p_title OR v_starts_at IS DISTINCT FROM p_starts_at
            OR v_cancel_deadline IS DISTINCT FROM p_cancel_deadline THEN
        outcome := 'changed';
        RETURN NEXT;
        RETURN;
    END IF;
    IF EXISTS (
        SELECT 1 FROM booking b
        WHERE b.bookable_id = p_bookable
          AND ((b.retiree_id = p_retiree AND b.status IN ('confirmed', 'waitlisted'))
               OR b.idempotency_key = p_key)
    ) THEN
        outcome := 'earlier';
        RETURN NEXT;
        RETURN;
    END IF;
    IF v_confirmed + p_quantity <= v_capacity THEN
        UPDATE bookable SET confirmed_count = confirmed_count + p_quantity WHERE id = p_bookable;
        INSERT INTO booking (bookable_id, retiree_id, unit_id, quantity, notes, status,
                             booked_by, channel, idempotency_key, created_at, confirmed_at)
        VALUES (p_bookable, p_retiree, p_unit, p_quantity, p_notes, 'confirmed',
                p_booked_by, p_channel, p_key, p_now, p_now)
        RETURNING id INTO booking_id;
        outcome := 'confirmed';
        v_event := 'confirmed';
        v_notice_title := p_confirmed_title;
        v_notice_body := p_confirmed_body;
        v_notice_link := p_confirmed_link;
    ELSE
        -- under the lock nobody else joins or leaves this waiting line
        SELECT count(*) INTO v_ahead FROM booking b
        WHERE b.bookable_id = p_bookable AND b.status = 'waitlisted';
        INSERT INTO booking (bookable_id, retiree_id, unit_id, quantity, notes, status,
                             booked_by, channel, idempotency_key, created_at)
        VALUES (p_bookable, p_retiree, p_unit, p_quantity, p_notes, 'waitlisted',
                p_booked_by, p_channel, p_key, p_now)
        RETURNING id INTO booking_id;
        waiting_position := v_ahead + 1;
        outcome := 'waiting';
        v_event := 'waiting';
        v_notice_title := p_waiting_title;
        v_notice_body := replace(p_waiting_body, p_position_mark, waiting_position::text);
        v_notice_link := p_waiting_link;
    END IF;
    IF v_notice_title IS NOT NULL THEN
        INSERT INTO notice (kind, unit_id, title, body, category, urgent, audience,
                            include_family, link_page, dedupe_key, status, created_at,
                            updated_at, sent_at, recipients_total, fanout_cursor, version)
        VALUES ('system', p_notice_unit, v_notice_title, v_notice_body, p_category, false,
                p_audience, p_include_family, v_notice_link,
                'booking:' || booking_id || ':' || v_event, 'sending', p_now, p_now, p_now,
                0, 0, 1)
        ON CONFLICT DO NOTHING
        RETURNING id INTO notice_id;
    END IF;
    -- the notice's inbox rows (and WeChat outbox rows), and the notice marked sent: the
    -- statements of notices/fanout.py, compiled by the caller ($1 notice, $2 now, $3 retiree)
    IF notice_id IS NOT NULL THEN
        FOREACH v_sql IN ARRAY p_expand LOOP
            EXECUTE v_sql USING notice_id, p_now, p_retiree;
        END LOOP;
    END IF;
    RETURN NEXT;
END
$fn$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_CREATE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "DROP FUNCTION IF EXISTS booking_sign_up(integer, integer, integer, integer, text, "
            "text, text, text, timestamptz, text, timestamptz, timestamptz, integer, text, text, "
            "boolean, text, text, text, text, text, text, text, text[])"
        )
