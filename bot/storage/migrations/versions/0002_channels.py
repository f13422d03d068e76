"""channels: delivery columns on the outbox (lease, split progress, provider status, template)

Revision ID: 0002_channels
Revises: 0001
Create Date: 2026-11-24 18:30:00

Written by hand. ``lease_until``/``lease_owner`` let several sender processes share the outbox;
``parts_sent``/``provider_ids`` make a split reply resume where it stopped; ``provider_status``,
``error_code`` and ``template_sid`` show the caseworker what the provider did with a message.
"""
from alembic import op
import sqlalchemy as sa


revision = "0002_channels"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("lease_owner", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("parts_sent", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
        batch_op.add_column(
            sa.Column("provider_ids", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.add_column(sa.Column("provider_status", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("error_code", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("template_sid", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("template_sent_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            "ix_outbox_contact_status", ["contact_id", "status", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_contact_status")
        batch_op.drop_column("template_sent_at")
        batch_op.drop_column("template_sid")
        batch_op.drop_column("error_code")
        batch_op.drop_column("provider_status")
        batch_op.drop_column("provider_ids")
        batch_op.drop_column("parts_sent")
        batch_op.drop_column("lease_owner")
        batch_op.drop_column("lease_until")
