"""The consent file: fail closed, expire, survive a round trip."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from accord.errors import ConfigError, InvalidData, ReleaseDenied
from accord.sharing.psi.consent import (
    ConsentBook,
    ConsentRole,
    ProbingLimits,
    PsiConsent,
)
from accord.sharing.psi.keys import KeyType

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def serve(partner: str = "bravo", days: int = 30) -> PsiConsent:
    return PsiConsent(
        ConsentRole.SERVE,
        "watchlist",
        partner,
        frozenset({KeyType.DOCUMENT}),
        NOW + timedelta(days=days),
        cardinality_only=True,
    )


def test_missing_file_consents_to_nothing(tmp_path: Path) -> None:
    book = ConsentBook.load(tmp_path / "psi_consent.json")
    with pytest.raises(ReleaseDenied) as refused:
        book.require(ConsentRole.SERVE, "watchlist", "bravo", NOW)
    assert refused.value.reasons == ["no serve consent record for watchlist with bravo"]


def test_records_round_trip_through_the_file(tmp_path: Path) -> None:
    path = tmp_path / "psi_consent.json"
    book = ConsentBook(path, ProbingLimits(250, 3))
    book.grant(serve())
    loaded = ConsentBook.load(path)
    assert loaded.limits == ProbingLimits(250, 3)
    assert loaded.require(ConsentRole.SERVE, "watchlist", "bravo", NOW) == serve()


def test_consent_is_per_partner_and_role(tmp_path: Path) -> None:
    book = ConsentBook(tmp_path / "c.json")
    book.grant(serve())
    with pytest.raises(ReleaseDenied):
        book.require(ConsentRole.SERVE, "watchlist", "charlie", NOW)
    with pytest.raises(ReleaseDenied):
        book.require(ConsentRole.REQUEST, "watchlist", "bravo", NOW)


def test_expired_and_revoked_consents_refuse(tmp_path: Path) -> None:
    book = ConsentBook(tmp_path / "c.json")
    book.grant(serve(days=1))
    later = NOW + timedelta(days=2)
    with pytest.raises(ReleaseDenied, match="expired"):
        book.require(ConsentRole.SERVE, "watchlist", "bravo", later)
    book.grant(serve(days=3650))
    book.revoke(ConsentRole.SERVE, "watchlist", "bravo")
    with pytest.raises(ReleaseDenied, match="expired"):
        book.require(ConsentRole.SERVE, "watchlist", "bravo", datetime.now(UTC))
    assert len(ConsentBook.load(book.path).records) == 1


def test_a_malformed_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text('{"consents": [{"role": "serve", "dataset": "x"}]}', "utf-8")
    with pytest.raises(ConfigError, match="not a valid PSI consent file"):
        ConsentBook.load(path)
    path.write_text("{", "utf-8")
    with pytest.raises(ConfigError):
        ConsentBook.load(path)


def test_a_request_consent_names_the_remote_dataset() -> None:
    with pytest.raises(InvalidData, match="remote dataset"):
        PsiConsent(
            ConsentRole.REQUEST,
            "travellers",
            "bravo",
            frozenset({KeyType.DOCUMENT}),
            NOW,
        )


def test_limits_must_be_positive() -> None:
    with pytest.raises(InvalidData):
        ProbingLimits(0, 10)
