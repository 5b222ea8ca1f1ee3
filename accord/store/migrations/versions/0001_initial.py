"""Initial schema: agencies, users, keys, datasets, statements, findings, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.String(32)

SQLITE_APPEND_ONLY = [
    """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
    """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
]

POSTGRES_APPEND_ONLY = [
    """CREATE FUNCTION accord_audit_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit log is append-only'; END;
       $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
       FOR EACH ROW EXECUTE FUNCTION accord_audit_append_only()""",
]


def upgrade() -> None:
    _accounts()
    _datasets()
    _findings()
    _audit()


def _accounts() -> None:
    op.create_table(
        "agency",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "app_user",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column(
            "agency", sa.String(64), sa.ForeignKey("agency.name"), nullable=False
        ),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "api_key",
        sa.Column("key_id", sa.String(16), primary_key=True),
        sa.Column(
            "user_name", sa.String(64), sa.ForeignKey("app_user.name"), nullable=False
        ),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("revoked_at", TS, nullable=True),
    )


def _datasets() -> None:
    op.create_table(
        "dataset",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column(
            "agency", sa.String(64), sa.ForeignKey("agency.name"), nullable=False
        ),
        sa.Column("tlp", sa.String(16), nullable=False),
        sa.Column("releasable_to", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("current_since", TS, nullable=False),
    )
    op.create_table(
        "ingest",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "dataset", sa.String(64), sa.ForeignKey("dataset.name"), nullable=False
        ),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("format", sa.String(64), nullable=False),
        sa.Column("entities", sa.Integer, nullable=False),
        sa.Column("statements", sa.Integer, nullable=False),
        sa.Column("ingested_at", TS, nullable=False),
        sa.UniqueConstraint("dataset", "sha256", name="uq_ingest_dataset_sha256"),
    )
    op.create_table(
        "statement",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column(
            "dataset", sa.String(64), sa.ForeignKey("dataset.name"), nullable=False
        ),
        sa.Column("entity_id", sa.String(255), nullable=False),
        sa.Column("canonical_id", sa.String(255), nullable=False),
        sa.Column("schema", sa.String(64), nullable=False),
        sa.Column("prop", sa.String(64), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("lang", sa.String(16), nullable=True),
        sa.Column("original_value", sa.Text, nullable=True),
        sa.Column("external", sa.Boolean, nullable=False),
        sa.Column("first_seen", TS, nullable=False),
        sa.Column("last_seen", TS, nullable=False),
    )
    op.create_index(
        "ix_statement_dataset_canonical", "statement", ["dataset", "canonical_id"]
    )
    op.create_index("ix_statement_canonical", "statement", ["canonical_id"])
    op.create_index("ix_statement_prop_value", "statement", ["prop", "value"])


def _findings() -> None:
    op.create_table(
        "finding",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("detector", sa.String(64), nullable=False),
        sa.Column("agency", sa.String(64), nullable=False),
        sa.Column("subjects", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("datasets", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("tlp", sa.String(16), nullable=False),
        sa.Column("releasable_to", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_index("ix_finding_detector", "finding", ["detector"])
    op.create_index("ix_finding_status", "finding", ["status"])


def _audit() -> None:
    op.create_table(
        "audit",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("ts", TS, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("agency", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    dialect = op.get_bind().dialect.name
    triggers = SQLITE_APPEND_ONLY if dialect == "sqlite" else POSTGRES_APPEND_ONLY
    for ddl in triggers:
        op.execute(ddl)


def downgrade() -> None:
    for table in ("audit_head", "audit", "finding", "statement", "ingest"):
        op.drop_table(table)
    for table in ("dataset", "api_key", "app_user", "agency"):
        op.drop_table(table)
