"""Guided flows: a handoff keeps the flow's answers, encrypted.

Revision ID: 0004_flows
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_flows"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handoffs") as batch:
        batch.add_column(sa.Column("details_enc", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("handoffs") as batch:
        batch.drop_column("details_enc")
