"""One ``Settings`` object, built once at an edge and passed down.

Nothing in accord reads the environment at import time: the CLI and the API
build a ``Settings`` and hand it to the services they call, and tests build
one per case. Every field reads ``ACCORD_<NAME>`` from the environment.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from accord.errors import ConfigError

SQLITE_FILENAME = "accord.sqlite"


class Settings(BaseSettings):
    """Where the data lives and who is acting on it."""

    model_config = SettingsConfigDict(env_prefix="ACCORD_", extra="ignore")

    workspace: Path = Field(
        default=Path("accord-workspace"),
        description="Directory holding the embedded SQLite store.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of a server store (postgresql+psycopg://...). "
        "When unset, the SQLite file in the workspace is used.",
    )
    agency: str = Field(
        default="local",
        description="Agency the CLI acts for: owner of what it ingests.",
    )
    actor: str = Field(
        default="cli",
        description="Name recorded in the audit log for CLI actions.",
    )
    plugins: list[str] = Field(
        default_factory=list,
        description="Third-party plugin entry points to load (allow-list).",
    )

    def store_url(self) -> str:
        """The SQLAlchemy URL of the configured store."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.sqlite_path()}"

    def sqlite_path(self) -> Path:
        """The embedded store's file, inside the workspace."""
        if self.workspace.exists() and not self.workspace.is_dir():
            raise ConfigError(f"workspace {self.workspace} is not a directory")
        return self.workspace / SQLITE_FILENAME
