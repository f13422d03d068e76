"""caseworker console: teams, accounts, sessions, audit log, notes; case columns on handoffs

Revision ID: 0003_console
Revises: 0001
Create Date: 2026-11-24 18:00:00

Written by hand. The audit log is append-only: triggers refuse UPDATE and DELETE on both
PostgreSQL and SQLite. Before the "one active case per contact" index is created, older
duplicate open cases of a contact are closed (outcome ``merged``).
"""
from alembic import op
import sqlalchemy as sa


revision = "0003_console"
down_revision = "0001"
branch_labels = None
depends_on = None

ACTIVE_CASE = "status IN ('open', 'claimed')"

PG_AUDIT_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql
"""
PG_AUDIT_TRIGGER = """
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
"""
SQLITE_AUDIT_TRIGGERS = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
)


def upgrade() -> None:
    _create_account_tables()
    _create_case_tables()
    _extend_handoffs()
    _protect_audit_log()


def _create_account_tables() -> None:
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("require_totp", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "caseworkers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("totp_secret_enc", sa.LargeBinary(), nullable=True),
        sa.Column("totp_enabled", sa.Boolean(), nullable=False),
        sa.Column("totp_last_step", sa.Integer(), nullable=True),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "caseworker_teams",
        sa.Column("caseworker_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["caseworker_id"], ["caseworkers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("caseworker_id", "team_id"),
    )
    op.create_table(
        "console_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("caseworker_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=8), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["caseworker_id"], ["caseworkers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_console_sessions_caseworker_id", "console_sessions", ["caseworker_id"])


def _create_case_tables() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("handoff_id", sa.Integer(), nullable=True),
        sa.Column("team", sa.String(length=40), nullable=True),
        sa.Column("detail", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_log_handoff", "audit_log", ["handoff_id", "id"])
    op.create_table(
        "case_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handoff_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("text_enc", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["handoff_id"], ["handoffs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_id"], ["caseworkers.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_case_notes_handoff_id", "case_notes", ["handoff_id"])
    op.create_table(
        "case_replies",
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("handoff_id", sa.Integer(), nullable=False),
        sa.Column("caseworker_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["handoff_id"], ["handoffs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["caseworker_id"], ["caseworkers.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("message_id"),
    )
    op.create_index("ix_case_replies_handoff_id", "case_replies", ["handoff_id"])


def _extend_handoffs() -> None:
    with op.batch_alter_table("handoffs") as batch:
        batch.add_column(
            sa.Column("team", sa.String(length=40), server_default="general", nullable=False)
        )
        batch.add_column(sa.Column("claimed_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("first_claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("outcome", sa.String(length=24), nullable=True))
        batch.add_column(sa.Column("referral_service_id", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key(
            "fk_handoffs_claimed_by", "caseworkers", ["claimed_by"], ["id"], ondelete="SET NULL"
        )
        batch.create_index("ix_handoffs_team_status", ["team", "status", "priority", "created_at"])
    op.execute("UPDATE handoffs SET last_activity_at = created_at")
    op.execute(
        "UPDATE handoffs SET status = 'closed', outcome = 'merged', closed_at = created_at "
        f"WHERE {ACTIVE_CASE} AND id NOT IN "
        f"(SELECT MAX(id) FROM handoffs WHERE {ACTIVE_CASE} GROUP BY contact_id)"
    )
    op.create_index(
        "uq_handoffs_active_contact",
        "handoffs",
        ["contact_id"],
        unique=True,
        postgresql_where=sa.text(ACTIVE_CASE),
        sqlite_where=sa.text(ACTIVE_CASE),
    )


def _protect_audit_log() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_AUDIT_FUNCTION)
        op.execute(PG_AUDIT_TRIGGER)
    else:
        for statement in SQLITE_AUDIT_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    op.drop_index("uq_handoffs_active_contact", table_name="handoffs")
    with op.batch_alter_table("handoffs") as batch:
        batch.drop_index("ix_handoffs_team_status")
        batch.drop_constraint("fk_handoffs_claimed_by", type_="foreignkey")
        for column in (
            "last_activity_at", "referral_service_id", "outcome", "closed_at", "first_claimed_at",
            "claimed_at",
            "claimed_by", "team",
        ):
            batch.drop_column(column)
    op.drop_table("case_replies")
    op.drop_table("case_notes")
    op.drop_table("audit_log")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    op.drop_index("ix_console_sessions_caseworker_id", table_name="console_sessions")
    op.drop_table("console_sessions")
    op.drop_table("caseworker_teams")
    op.drop_table("caseworkers")
    op.drop_table("teams")
