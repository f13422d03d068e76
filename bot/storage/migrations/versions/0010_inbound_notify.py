"""Inbound queue notifies: a statement trigger sends ``NOTIFY puente_inbound`` on PostgreSQL.

Whatever queues messages (the webhook's group commit from a thread, or ``bot.channels.pgaccept``
from the event loop) then wakes the answerers in other processes (``bot.channels.wakeup``) in the
same round trip, with nothing to remember in the code. SQLite has no other process to wake.

Revision ID: 0010_inbound_notify
Revises: 0009_inbound_queue
"""

from __future__ import annotations

from alembic import op

revision = "0010_inbound_notify"
down_revision = "0009_inbound_queue"
branch_labels = None
depends_on = None

NOTIFY_FUNCTION = """
CREATE OR REPLACE FUNCTION inbound_queue_notify() RETURNS trigger AS $$
BEGIN
  NOTIFY puente_inbound;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""
NOTIFY_TRIGGER = """
CREATE TRIGGER inbound_queue_notify AFTER INSERT ON inbound_queue
FOR EACH STATEMENT EXECUTE FUNCTION inbound_queue_notify()
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(NOTIFY_FUNCTION)
        op.execute(NOTIFY_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER inbound_queue_notify ON inbound_queue")
        op.execute("DROP FUNCTION inbound_queue_notify()")
