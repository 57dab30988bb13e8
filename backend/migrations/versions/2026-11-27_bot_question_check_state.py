"""bot: WeChat's content check of a logged question runs in a job after the reply

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27 20:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import backend.core.types

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = backend.core.types.UTCDateTime


def upgrade() -> None:
    # Rows written before this change were checked on the request path: "passed" (their text
    # is the checked text or a placeholder already).
    with op.batch_alter_table("bot_question", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("check_state", sa.String(length=20), nullable=False, server_default="passed")
        )
        batch_op.add_column(
            sa.Column("check_attempts", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("check_after", UTC(timezone=True), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_bot_question_check_state"), ["check_state"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("bot_question", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bot_question_check_state"))
        batch_op.drop_column("check_after")
        batch_op.drop_column("check_attempts")
        batch_op.drop_column("check_state")
