"""Statistics that outlive erasure: one row per case of a person who asked to be erased.

Revision ID: 0008_case_stats
Revises: 0007_media_links
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_case_stats"
down_revision = "0007_media_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_stats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=32), nullable=True),
        sa.Column("city", sa.String(length=40), nullable=True),
        sa.Column("lang", sa.String(length=2), nullable=True),
        sa.Column("team", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=24), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_case_stats_closed", "case_stats", ["closed_at"])


def downgrade() -> None:
    op.drop_index("ix_case_stats_closed", table_name="case_stats")
    op.drop_table("case_stats")
