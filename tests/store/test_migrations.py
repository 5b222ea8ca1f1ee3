"""Migrations: versioned, repeatable, and in step with the table metadata."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from accord.service import Accord
from accord.store.engine import current_revision, migrate
from accord.store.schema import metadata


def test_store_is_at_head_and_migrating_again_is_a_no_op(service: Accord) -> None:
    engine = service.store.engine
    assert current_revision(engine) == "0002"
    migrate(engine)
    assert current_revision(engine) == "0002"


def test_migrations_match_the_table_metadata(service: Accord) -> None:
    with service.store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
