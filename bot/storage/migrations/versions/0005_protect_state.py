"""Conversation state sealed like message text (it holds flow answers).

Revision ID: 0005_protect_state
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_protect_state"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # State cannot be sealed without the key, so existing state is reset: people keep their
    # contact, language, city and consent columns; the engine starts them at the menu.
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("state_enc", sa.LargeBinary(), nullable=False, server_default=sa.text("''")))
        batch.drop_column("state")


def downgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("state", sa.JSON(), nullable=False, server_default="{}"))
        batch.drop_column("state_enc")
