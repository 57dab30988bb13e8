"""bookings: the sign-up function writes its notice's rows with statements of its own (PostgreSQL)

Revision ID: 0036
Revises: 0035
Create Date: 2026-11-29 12:00:00+00:00

`booking_sign_up` (migration 0033) received the statements that write a notice's inbox rows,
WeChat outbox rows and "sent" mark as text, and ran each with EXECUTE. PL/pgSQL plans such text
again on every call: 0.2–0.3 ms of the database's time in every sign-up, about a quarter of the
function's, measured one call at a time against the same function with the statements written
into it. Now they are written into it, so each database connection plans them once.

They are the statements notices/fanout.py builds for every notice (who gets a copy is decided
there): `fanout.expansion_sql` still compiles them, and tests/bookings/test_sign_up_expansion.py
fails when the function and that code no longer say the same — a change to who is told is then a
new migration like this one. The function no longer takes them as an argument (`p_expand`).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0036"
down_revision: str | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_ARGS = (
    "integer, integer, integer, integer, text, text, text, text, timestamptz, text, "
    "timestamptz, timestamptz, integer, text, text, boolean, text, text, text, text, text, "
    "text, text"
)

_EXECUTED = """        FOREACH v_sql IN ARRAY p_expand LOOP
            EXECUTE v_sql USING notice_id, p_now, p_retiree;
        END LOOP;"""

# fanout.expansion_sql(include_self=True, include_family=…) on 2026-11-29, with $1 → v_notice,
# $2 → p_now, $3 → p_retiree (the notice's id, the time, the retiree); the line breaks are
# SQLAlchemy's
_WRITTEN = """        v_notice := notice_id;
        IF p_include_family THEN
            INSERT INTO inbox_item (retiree_id, wechat_user_id, copy_binding_id, notice_id, created_at) SELECT retiree.id, retiree.wechat_user_id, 0 AS anon_1, v_notice, p_now
FROM retiree
WHERE retiree.id IN (SELECT p_retiree) UNION ALL SELECT family_binding.retiree_id, family_binding.wechat_user_id, family_binding.id, v_notice, p_now
FROM family_binding
WHERE family_binding.retiree_id IN (SELECT p_retiree) AND family_binding.revoked_at IS NULL AND family_binding.can_receive_notices IS true ON CONFLICT DO NOTHING;
        ELSE
            INSERT INTO inbox_item (retiree_id, wechat_user_id, copy_binding_id, notice_id, created_at) SELECT retiree.id, retiree.wechat_user_id, 0 AS anon_1, v_notice, p_now
FROM retiree
WHERE retiree.id IN (SELECT p_retiree) ON CONFLICT DO NOTHING;
        END IF;
        INSERT INTO wechat_send (inbox_item_id, notice_id, wechat_user_id, template_key, status, attempts, not_before, created_at, consent_spent) SELECT inbox_item.id, inbox_item.notice_id, inbox_item.wechat_user_id, 'notice' AS anon_1, 'pending' AS anon_2, 0 AS anon_3, p_now, p_now, false AS anon_4
FROM inbox_item
WHERE inbox_item.notice_id = v_notice AND inbox_item.retiree_id IN (SELECT p_retiree) AND inbox_item.wechat_user_id IS NOT NULL ON CONFLICT DO NOTHING;
        UPDATE notice SET status='sent', sent_at=coalesce(notice.sent_at, p_now), recipients_total=(SELECT count(*) AS count_1
FROM inbox_item
WHERE inbox_item.notice_id = v_notice), fanout_cursor=p_retiree WHERE notice.id = v_notice AND notice.status = 'sending';"""  # noqa: E501

_OLD_PARAMETER = ", p_expand text[])"
_OLD_VARIABLE = "    v_sql text;"
_NEW_VARIABLE = "    v_notice integer;"


def _definition() -> str:
    return str(
        op.get_bind()
        .exec_driver_sql(
            "SELECT pg_get_functiondef(p.oid) FROM pg_proc p WHERE p.proname = 'booking_sign_up'"
        )
        .scalar_one()
    )


def _replace(definition: str, old: str, new: str) -> str:
    if definition.count(old) != 1:
        raise RuntimeError("booking_sign_up is not the function this migration expects")
    return definition.replace(old, new)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    definition = _definition()
    definition = _replace(definition, _EXECUTED, _WRITTEN)
    definition = _replace(definition, _OLD_PARAMETER, ")")
    definition = _replace(definition, _OLD_VARIABLE, _NEW_VARIABLE)
    op.execute(f"DROP FUNCTION booking_sign_up({_OLD_ARGS}, text[])")
    op.get_bind().exec_driver_sql(definition)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    definition = _definition()
    definition = _replace(definition, _WRITTEN, _EXECUTED)
    definition = _replace(definition, ")\n RETURNS TABLE", _OLD_PARAMETER + "\n RETURNS TABLE")
    definition = _replace(definition, _NEW_VARIABLE, _OLD_VARIABLE)
    op.execute(f"DROP FUNCTION booking_sign_up({_OLD_ARGS})")
    op.get_bind().exec_driver_sql(definition)
