"""Attachment links kept sealed on inbound messages, for the caseworker's case view.

Revision ID: 0007_media_links
Revises: 0006_merge
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_media_links"
down_revision = "0006_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("media_enc", sa.LargeBinary(), nullable=False, server_default=sa.text("''")))


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("media_enc")
