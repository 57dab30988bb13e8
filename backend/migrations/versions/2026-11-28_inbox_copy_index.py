"""inbox: an index on the family copies (copy_binding_id, id)

A family member's inbox reads their copies by binding (copy_binding_id IN …) beside the
retiree's own rows; without an index leading with copy_binding_id PostgreSQL read the whole
table for it.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-28 01:40:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_inbox_copy", "inbox_item", ["copy_binding_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_inbox_copy", table_name="inbox_item")
