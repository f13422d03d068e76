"""Join the four schema branches (channels, console, flows, sealed state) into one head.

Revision ID: 0006_merge
Revises: 0002_channels, 0003_console, 0004_flows, 0005_protect_state
"""

revision = "0006_merge"
down_revision = ("0002_channels", "0003_console", "0004_flows", "0005_protect_state")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
