"""Sharing: partners, agreements, and the provenance of imported data.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.String(32)


def upgrade() -> None:
    op.create_table(
        "share_partner",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("public_key", sa.Text, nullable=False),
        sa.Column("endpoint", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "share_agreement",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column(
            "partner", sa.String(64), sa.ForeignKey("share_partner.id"), nullable=False
        ),
        sa.Column("datasets", sa.Text, nullable=False),
        sa.Column("categories", sa.Text, nullable=False),
        sa.Column("tlp_levels", sa.Text, nullable=False),
        sa.Column("reshare", sa.Boolean, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("revoked_at", TS, nullable=True),
    )
    op.create_index("ix_share_agreement_partner", "share_agreement", ["partner"])
    op.create_table(
        "share_import",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "partner", sa.String(64), sa.ForeignKey("share_partner.id"), nullable=False
        ),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("datasets", sa.Text, nullable=False),
        sa.Column("statements", sa.Integer, nullable=False),
        sa.Column("imported_at", TS, nullable=False),
        sa.UniqueConstraint("partner", "sha256", name="uq_share_import_partner_sha256"),
    )
    op.create_table(
        "share_dataset",
        sa.Column(
            "dataset", sa.String(64), sa.ForeignKey("dataset.name"), primary_key=True
        ),
        sa.Column(
            "partner", sa.String(64), sa.ForeignKey("share_partner.id"), nullable=False
        ),
        sa.Column("reshare", sa.Boolean, nullable=False),
    )


def downgrade() -> None:
    for table in ("share_dataset", "share_import", "share_agreement"):
        op.drop_table(table)
    op.drop_table("share_partner")
