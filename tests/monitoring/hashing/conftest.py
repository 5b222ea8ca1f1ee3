"""Fixtures for the hash-bank tests: a workspace of banks and fixture images."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from accord.monitoring.hashing.formats import ImportDefaults
from accord.monitoring.hashing.service import HashBanks
from accord.monitoring.hashing.storage import BankStorage
from tests.monitoring.hashing.trail import AuditTrail

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "monitoring" / "hashing"
SHARED_PDQ = (
    Path(__file__).resolve().parents[4] / "shared" / "data" / "propaganda" / "pdq"
)

DEFAULTS = ImportDefaults(source="test", agency="alpha", added="2026-11-24", label="")


class FakeClock:
    """A clock tests move by hand, so flood windows need no sleeping."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def trail() -> AuditTrail:
    return AuditTrail()


@pytest.fixture
def banks(tmp_path: Path, clock: FakeClock, trail: AuditTrail) -> HashBanks:
    """Banks audited into ``trail``: unit tests need no store."""
    return HashBanks(BankStorage(tmp_path / "hashbanks"), trail, clock)


@pytest.fixture
def shared_pdq() -> Path:
    if not SHARED_PDQ.is_dir():
        pytest.skip(f"../shared/data/propaganda/pdq is absent ({SHARED_PDQ})")
    return SHARED_PDQ


@pytest.fixture
def fixture_dir() -> Path:
    return FIXTURES


@pytest.fixture
def defaults() -> ImportDefaults:
    return DEFAULTS
