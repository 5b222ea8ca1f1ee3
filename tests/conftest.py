"""Shared fixtures: settings per test, and a store on each backend.

The ``store_settings`` fixture is parametrised over SQLite and PostgreSQL, so
every store test runs on both. PostgreSQL tests get a fresh database each,
and skip with the reason when no server answers, unless
``ACCORD_REQUIRE_POSTGRES=1`` (set by CI) turns that skip into a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from accord.service import Accord
from accord.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
POSTGRES_ADMIN_URL = os.environ.get(
    "ACCORD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _postgres_unavailable() -> str | None:
    try:
        engine = create_engine(POSTGRES_ADMIN_URL)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except OperationalError as exc:
        return f"no PostgreSQL server at {POSTGRES_ADMIN_URL}: {exc.orig}"
    return None


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    reason = _postgres_unavailable()
    if reason:
        if os.environ.get("ACCORD_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return POSTGRES_ADMIN_URL


@pytest.fixture
def postgres_url(postgres_admin_url: str) -> Iterator[str]:
    """A fresh, empty database for one test, dropped afterwards."""
    name = f"accord_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_admin_url).set(database=name)
    yield url.render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for a fresh store on each backend."""
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
        return Settings(workspace=tmp_path, database_url=url, agency="alpha")
    return Settings(workspace=tmp_path, agency="alpha")


@pytest.fixture
def service(store_settings: Settings) -> Iterator[Accord]:
    accord = Accord.open(store_settings)
    yield accord
    accord.close()


@pytest.fixture
def sqlite_service(tmp_path: Path) -> Iterator[Accord]:
    accord = Accord.open(Settings(workspace=tmp_path, agency="alpha"))
    yield accord
    accord.close()
