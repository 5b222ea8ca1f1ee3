"""The store's tables, as SQLAlchemy Core metadata shared by both backends.

Timestamps are ISO 8601 UTC strings rather than native datetimes: FtM
statements carry them as strings, and the audit chain hashes them, so they
must read back byte-identical from SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

agency = Table(
    "agency",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("title", Text, nullable=False, default=""),
    Column("created_at", String(32), nullable=False),
)

app_user = Table(
    "app_user",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("agency", String(64), ForeignKey("agency.name"), nullable=False),
    Column("role", String(16), nullable=False),
    Column("created_at", String(32), nullable=False),
)

api_key = Table(
    "api_key",
    metadata,
    Column("key_id", String(16), primary_key=True),
    Column("user_name", String(64), ForeignKey("app_user.name"), nullable=False),
    Column("key_hash", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("revoked_at", String(32), nullable=True),
)

dataset = Table(
    "dataset",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("agency", String(64), ForeignKey("agency.name"), nullable=False),
    Column("tlp", String(16), nullable=False),
    Column("releasable_to", Text, nullable=False, default="[]"),
    Column("title", Text, nullable=False, default=""),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("current_since", String(32), nullable=False),
)

ingest = Table(
    "ingest",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dataset", String(64), ForeignKey("dataset.name"), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("source", Text, nullable=False),
    Column("format", String(64), nullable=False),
    Column("entities", Integer, nullable=False),
    Column("statements", Integer, nullable=False),
    Column("ingested_at", String(32), nullable=False),
    UniqueConstraint("dataset", "sha256", name="uq_ingest_dataset_sha256"),
)

statement = Table(
    "statement",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("dataset", String(64), ForeignKey("dataset.name"), nullable=False),
    Column("entity_id", String(255), nullable=False),
    Column("canonical_id", String(255), nullable=False),
    Column("schema", String(64), nullable=False),
    Column("prop", String(64), nullable=False),
    Column("value", Text, nullable=False),
    Column("lang", String(16), nullable=True),
    Column("original_value", Text, nullable=True),
    Column("external", Boolean, nullable=False, default=False),
    Column("first_seen", String(32), nullable=False),
    Column("last_seen", String(32), nullable=False),
    Index("ix_statement_dataset_canonical", "dataset", "canonical_id"),
    Index("ix_statement_canonical", "canonical_id"),
    Index("ix_statement_prop_value", "prop", "value"),
)

finding = Table(
    "finding",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("detector", String(64), nullable=False),
    Column("agency", String(64), nullable=False),
    Column("subjects", Text, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("datasets", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("summary", Text, nullable=False),
    Column("explanation", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("tlp", String(16), nullable=False),
    Column("releasable_to", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Index("ix_finding_detector", "detector"),
    Index("ix_finding_status", "status"),
)

audit = Table(
    "audit",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("ts", String(32), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("agency", String(64), nullable=False),
    Column("action", String(64), nullable=False),
    Column("target", Text, nullable=False),
    Column("detail", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)

# -- sharing: partners, agreements and where imported data came from ---------

share_partner = Table(
    "share_partner",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("public_key", Text, nullable=False),
    Column("endpoint", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
)

share_agreement = Table(
    "share_agreement",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("partner", String(64), ForeignKey("share_partner.id"), nullable=False),
    Column("datasets", Text, nullable=False),
    Column("categories", Text, nullable=False),
    Column("tlp_levels", Text, nullable=False),
    Column("reshare", Boolean, nullable=False),
    Column("expires_at", String(32), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("revoked_at", String(32), nullable=True),
    Index("ix_share_agreement_partner", "partner"),
)

share_import = Table(
    "share_import",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("partner", String(64), ForeignKey("share_partner.id"), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("format", String(16), nullable=False),
    Column("datasets", Text, nullable=False),
    Column("statements", Integer, nullable=False),
    Column("imported_at", String(32), nullable=False),
    UniqueConstraint("partner", "sha256", name="uq_share_import_partner_sha256"),
)

share_dataset = Table(
    "share_dataset",
    metadata,
    Column("dataset", String(64), ForeignKey("dataset.name"), primary_key=True),
    Column("partner", String(64), ForeignKey("share_partner.id"), nullable=False),
    Column("reshare", Boolean, nullable=False),
)
