"""leader lease and official-account callback dedupe, in the database (not only in Redis)

Revision ID: 0009
Revises: 0007
Create Date: 2026-11-27 14:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import backend.core.types

revision: str = "0009"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = backend.core.types.UTCDateTime


def _str(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "leader_lease",
        sa.Column("name", _str(40), nullable=False),
        sa.Column("holder", _str(64), nullable=False),
        sa.Column("expires_at", UTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "wechat_callback_message",
        sa.Column("key", _str(200), nullable=False),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index(
        "ix_wechat_callback_message_created_at", "wechat_callback_message", ["created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_wechat_callback_message_created_at", table_name="wechat_callback_message")
    op.drop_table("wechat_callback_message")
    op.drop_table("leader_lease")
