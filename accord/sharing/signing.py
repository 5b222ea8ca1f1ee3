"""The agency key, canonical JSON, and detached JWS signatures.

Every exported file travels with a detached JWS (RFC 7515, compact form,
unencoded payload per RFC 7797) in ``<file>.jws``. The signature covers the
canonical JSON of the document (RFC 8785 style: sorted keys, no whitespace,
UTF-8), so re-indenting a bundle does not break it but changing any value
does. The protected header carries the claims a receiver needs before it
trusts the content: who signed (``iss``), for whom (``aud``), the format and
whether the receiver may pass the data on (``reshare``).

The JWS is built by hand on top of ``cryptography``'s Ed25519 because the
format is a few lines of base64url and no JOSE library is a dependency;
``verify`` checks the algorithm, the critical ``b64`` parameter and the key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from accord.errors import ConfigError, InvalidData, NotFound
from accord.settings import Settings

KEY_DIR = "keys"
PRIVATE_MODE = 0o600
DIR_MODE = 0o700


def canonical_json(document: Any) -> bytes:
    """RFC 8785-style canonical bytes: sorted keys, no spaces, UTF-8.

    Our documents hold strings, integers, booleans and lists only (scores go
    as strings), so JCS's number rules reduce to Python's integer form.
    """
    text = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return text.encode("utf-8")


def canonical_lines(documents: list[Any]) -> bytes:
    """Canonical JSON lines: the signed form of an FtM JSON-lines export."""
    return b"".join(canonical_json(doc) + b"\n" for doc in documents)


def key_fingerprint(public_raw: bytes) -> str:
    """A short, stable id for a public key: the JWS ``kid``."""
    return hashlib.sha256(public_raw).hexdigest()[:16]


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(padded.encode("ascii"))


@dataclass(frozen=True)
class AgencyKey:
    """An agency's Ed25519 signing key."""

    agency: str
    private: Ed25519PrivateKey

    def public_raw(self) -> bytes:
        return self.private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    def public_b64(self) -> str:
        """The form partners register: base64 of the 32 raw bytes."""
        return base64.b64encode(self.public_raw()).decode("ascii")

    def sign(self, payload: bytes, claims: dict[str, Any]) -> str:
        """A compact detached JWS over ``payload`` with ``claims`` protected."""
        header = {
            **claims,
            "alg": "EdDSA",
            "b64": False,
            "crit": ["b64"],
            "iss": self.agency,
            "kid": key_fingerprint(self.public_raw()),
        }
        protected = _b64url(canonical_json(header))
        signature = self.private.sign(protected.encode("ascii") + b"." + payload)
        return f"{protected}..{_b64url(signature)}"


def verify(token: str, payload: bytes, public_raw: bytes) -> dict[str, Any]:
    """The protected header of a valid signature; ``InvalidData`` otherwise."""
    protected, _, signature = _split(token)
    try:
        header = json.loads(_unb64url(protected))
        raw_signature = _unb64url(signature)
    except (ValueError, binascii.Error):
        raise InvalidData("the signature is not a compact JWS") from None
    if not isinstance(header, dict) or header.get("alg") != "EdDSA":
        raise InvalidData("the signature is not an EdDSA JWS")
    if header.get("b64") is not False or header.get("crit") != ["b64"]:
        raise InvalidData("the signature is not over the unencoded payload")
    key = Ed25519PublicKey.from_public_bytes(public_raw)
    try:
        key.verify(raw_signature, protected.encode("ascii") + b"." + payload)
    except InvalidSignature:
        raise InvalidData(
            "the signature does not match the content and the sender's key: "
            "the bundle was altered or signed by someone else"
        ) from None
    return header


def unverified_header(token: str) -> dict[str, Any]:
    """The protected header before verification: only to learn the format.

    Nothing in it is trusted until ``verify`` has checked the signature.
    """
    protected = token.strip().split(".")[0]
    try:
        header = json.loads(_unb64url(protected))
    except (ValueError, binascii.Error):
        raise InvalidData("the signature is not a compact JWS") from None
    if not isinstance(header, dict):
        raise InvalidData("the signature is not a compact JWS")
    return header


def _split(token: str) -> tuple[str, str, str]:
    parts = token.strip().split(".")
    if len(parts) != 3 or parts[1]:
        raise InvalidData("the signature is not a detached compact JWS")
    return parts[0], parts[1], parts[2]


def key_path(settings: Settings) -> Path:
    """Where the agency key lives: the workspace's ``keys`` directory."""
    return settings.workspace / KEY_DIR / f"{settings.agency}.ed25519.pem"


def generate_key(settings: Settings, *, overwrite: bool = False) -> AgencyKey:
    """Create the agency key, readable by its owner alone (0600 in a 0700 dir).

    Refuses to replace an existing key unless told: partners hold the public
    half, and a silent replacement would make them reject every bundle.
    """
    path = key_path(settings)
    if path.exists() and not overwrite:
        raise InvalidData(
            f"an agency key already exists at {path}; pass --force to replace it"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(DIR_MODE)
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    path.chmod(PRIVATE_MODE)
    return AgencyKey(settings.agency, private)


def load_key(settings: Settings) -> AgencyKey:
    """The agency key; refuses a key file others can read."""
    path = key_path(settings)
    if not path.is_file():
        raise NotFound(
            f"no agency key at {path}; create one with `accord share keygen`"
        )
    if path.stat().st_mode & 0o077:
        raise ConfigError(
            f"agency key {path} is readable by others; run chmod 600 on it"
        )
    private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(private, Ed25519PrivateKey):
        raise ConfigError(f"{path} is not an Ed25519 private key")
    return AgencyKey(settings.agency, private)
