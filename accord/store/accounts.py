"""Agencies, users and API keys.

API keys are 32 random bytes, so a single SHA-256 is enough to store them:
slow password hashes (argon2, bcrypt) exist to resist guessing low-entropy
secrets, which these are not. A key reads ``acc_<key_id>_<secret>``; the
key id finds the row without scanning, and the comparison of hashes is
constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.engine import Connection

from accord.errors import InvalidData, NotFound, Unauthorized
from accord.model.account import Role, User
from accord.model.dataset import check_name
from accord.store.clock import now_iso
from accord.store.schema import agency, api_key, app_user

KEY_PREFIX = "acc"


def ensure_agency(conn: Connection, name: str, title: str = "") -> bool:
    """Create the agency if it does not exist; True when it was created."""
    check_name("agency", name)
    exists = conn.execute(select(agency.c.name).where(agency.c.name == name)).first()
    if exists:
        return False
    conn.execute(agency.insert().values(name=name, title=title, created_at=now_iso()))
    return True


def list_agencies(conn: Connection) -> list[str]:
    return list(conn.execute(select(agency.c.name).order_by(agency.c.name)).scalars())


def add_user(conn: Connection, name: str, agency_name: str, role: Role) -> User:
    """Create a user of an existing agency."""
    check_name("user", name)
    if not conn.execute(
        select(agency.c.name).where(agency.c.name == agency_name)
    ).first():
        raise NotFound(f"no agency {agency_name!r}")
    if conn.execute(select(app_user.c.name).where(app_user.c.name == name)).first():
        raise InvalidData(f"user {name!r} already exists", {"user": "exists"})
    conn.execute(
        app_user.insert().values(
            name=name, agency=agency_name, role=role.value, created_at=now_iso()
        )
    )
    return User(name, agency_name, role)


def get_user(conn: Connection, name: str) -> User:
    row = conn.execute(select(app_user).where(app_user.c.name == name)).first()
    if row is None:
        raise NotFound(f"no user {name!r}")
    return User(row.name, row.agency, Role(row.role))


def create_key(conn: Connection, user_name: str) -> str:
    """Issue a new key for a user; the plain key is returned once, never stored."""
    get_user(conn, user_name)
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    conn.execute(
        api_key.insert().values(
            key_id=key_id,
            user_name=user_name,
            key_hash=_hash(secret),
            created_at=now_iso(),
        )
    )
    return f"{KEY_PREFIX}_{key_id}_{secret}"


def revoke_key(conn: Connection, key_id: str) -> None:
    result = conn.execute(
        api_key.update()
        .where(api_key.c.key_id == key_id, api_key.c.revoked_at.is_(None))
        .values(revoked_at=now_iso())
    )
    if result.rowcount == 0:
        raise NotFound(f"no active key {key_id!r}")


def authenticate(conn: Connection, key: str) -> User:
    """The user a key belongs to; Unauthorized for anything else."""
    prefix, _, rest = key.partition("_")
    key_id, _, secret = rest.partition("_")
    if prefix != KEY_PREFIX or not key_id or not secret:
        raise Unauthorized("malformed API key")
    row = conn.execute(
        select(api_key).where(
            api_key.c.key_id == key_id, api_key.c.revoked_at.is_(None)
        )
    ).first()
    if row is None or not hmac.compare_digest(row.key_hash, _hash(secret)):
        raise Unauthorized("invalid or revoked API key")
    return get_user(conn, row.user_name)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
