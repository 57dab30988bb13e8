"""bot: answers the bot gave (for 有用 / 没用), and the 没用 question's link to its answer

Revision ID: 0013
Revises: 0010
Create Date: 2026-11-27 10:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import backend.core.types

revision: str = "0013"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = backend.core.types.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "bot_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTC(timezone=True), nullable=False),
        sa.Column("wechat_user_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("retiree_id", sa.Integer(), nullable=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("sources", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=True),
        sa.Column("voted_at", UTC(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["retiree_id"], ["retiree.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.ForeignKeyConstraint(["wechat_user_id"], ["wechat_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("bot_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bot_answer_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_bot_answer_wechat_user_id"), ["wechat_user_id"], unique=False
        )
    with op.batch_alter_table("bot_question", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answer_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_bot_question_answer_id"), ["answer_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_bot_question_answer_id_bot_answer", "bot_answer", ["answer_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("bot_question", schema=None) as batch_op:
        batch_op.drop_constraint("fk_bot_question_answer_id_bot_answer", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_bot_question_answer_id"))
        batch_op.drop_column("answer_id")
    with op.batch_alter_table("bot_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bot_answer_wechat_user_id"))
        batch_op.drop_index(batch_op.f("ix_bot_answer_at"))
    op.drop_table("bot_answer")
