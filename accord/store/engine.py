"""Engines for the two backends, and the migration runner.

SQLite is configured the way a single-writer embedded store should be: WAL
so readers never block the writer, ``BEGIN IMMEDIATE`` so a write
transaction takes the write lock up front instead of failing half-way with
"database is locked", foreign keys on, and a busy timeout for a second
process. PostgreSQL needs nothing beyond its defaults.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from accord.errors import BackendError

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=30000",
)


def make_engine(url: str) -> Engine:
    """An engine for ``url``, tuned for its backend."""
    try:
        engine = create_engine(url, future=True)
    except (SQLAlchemyError, ImportError) as exc:
        raise BackendError(f"cannot open store {safe_url(url)}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    """Hand transaction control to us, so writes can ``BEGIN IMMEDIATE``."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest version; a no-op when it is current."""
    config = Config()
    config.set_main_option("script_location", str(files("accord.store") / "migrations"))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except SQLAlchemyError as exc:
        raise BackendError(f"migrating {safe_url(str(engine.url))}: {exc}") from exc


def current_revision(engine: Engine) -> str | None:
    """The schema version the database is at, or None before any migration."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def safe_url(url: str) -> str:
    """The URL with any password hidden, for error messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except SQLAlchemyError:
        return "<unparseable database url>"
