"""Inbound queue: webhook messages accepted at once and answered in order per person.

Revision ID: 0009_inbound_queue
Revises: 0008_case_stats
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_inbound_queue"
down_revision = "0008_case_stats"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbound_queue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("provider_message_id", sa.String(length=128), nullable=False),
        sa.Column("user_hash", sa.String(length=64), nullable=False),
        sa.Column("payload_enc", sa.LargeBinary(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lease_owner", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel", "provider_message_id", name="uq_inbound_queue_provider_id"),
    )
    op.create_index("ix_inbound_queue_person", "inbound_queue", ["channel", "user_hash", "id"])


def downgrade() -> None:
    op.drop_index("ix_inbound_queue_person", table_name="inbound_queue")
    op.drop_table("inbound_queue")
