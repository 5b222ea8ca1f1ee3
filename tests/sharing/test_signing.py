"""The agency key and detached JWS signatures."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from accord.errors import ConfigError, InvalidData, NotFound
from accord.settings import Settings
from accord.sharing.signing import (
    canonical_json,
    generate_key,
    key_path,
    load_key,
    unverified_header,
    verify,
)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(workspace=tmp_path, agency="alpha")


def test_key_file_is_private_and_reloads(settings: Settings) -> None:
    key = generate_key(settings)
    path = key_path(settings)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert load_key(settings).public_raw() == key.public_raw()


def test_existing_key_is_not_replaced_silently(settings: Settings) -> None:
    first = generate_key(settings)
    with pytest.raises(InvalidData, match="already exists"):
        generate_key(settings)
    second = generate_key(settings, overwrite=True)
    assert second.public_raw() != first.public_raw()


def test_readable_key_is_refused(settings: Settings) -> None:
    generate_key(settings)
    key_path(settings).chmod(0o644)
    with pytest.raises(ConfigError, match="readable by others"):
        load_key(settings)


def test_missing_key_says_how_to_make_one(settings: Settings) -> None:
    with pytest.raises(NotFound, match="accord share keygen"):
        load_key(settings)


def test_signature_round_trip_and_claims(settings: Settings) -> None:
    key = generate_key(settings)
    payload = canonical_json({"b": 1, "a": ["x", "é"]})
    assert payload == '{"a":["x","é"],"b":1}'.encode()
    token = key.sign(payload, {"aud": "bravo", "format": "stix"})
    claims = verify(token, payload, key.public_raw())
    assert claims["iss"] == "alpha" and claims["aud"] == "bravo"
    assert claims["alg"] == "EdDSA" and claims["b64"] is False
    assert unverified_header(token)["format"] == "stix"
    assert token.split(".")[1] == ""  # detached payload


def test_changed_payload_or_wrong_key_fails(settings: Settings, tmp_path: Path) -> None:
    key = generate_key(settings)
    token = key.sign(b"payload", {})
    with pytest.raises(InvalidData, match="altered"):
        verify(token, b"payload!", key.public_raw())
    other = generate_key(Settings(workspace=tmp_path / "other", agency="bravo"))
    with pytest.raises(InvalidData, match="altered"):
        verify(token, b"payload", other.public_raw())


@pytest.mark.parametrize("token", ["", "a.b.c", "not-a-jws", "e30..AA"])
def test_malformed_signature_is_refused(settings: Settings, token: str) -> None:
    key = generate_key(settings)
    with pytest.raises(InvalidData):
        verify(token, b"payload", key.public_raw())
