"""Alembic environment: always runs on a connection the store hands in.

accord never runs Alembic from an ini file; ``accord.store.migrate`` builds
the config in code and passes its open connection through
``config.attributes["connection"]``, so migrations join the store's
transaction and work the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from accord.store.schema import metadata


def run_migrations(connection: Connection) -> None:
    """Upgrade the connected database inside one transaction."""
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations(context.config.attributes["connection"])
