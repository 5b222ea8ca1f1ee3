"""Partners and the agreements that say what may go to each of them.

A **partner** is another agency we exchange with: its id (the agency name its
markings use in ``releasable_to``), a display name, its Ed25519 public key
(base64 of the 32 raw bytes; bundles it signs are checked against it) and its
endpoint (the base URL of its accord API; TAXII lives under ``/taxii2/``).

An **agreement** releases, to one partner, values of the named datasets that
fall under the named categories at the named TLP levels, until it expires or
is revoked. Nothing is implied: an agreement with no datasets, categories or
levels is refused when created, because it could only ever release nothing.

Usage (the PSI module and every other sharing module go through this)::

    registry = PartnerRegistry(service.store)
    partner = registry.get_partner("bravo")            # NotFound if unknown
    agreements = registry.active_agreements("bravo")  # expired/revoked left out
"""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlparse

from accord.errors import InvalidData, NotFound
from accord.model.dataset import check_name
from accord.model.marking import Tlp
from accord.sharing.category import Category
from accord.store import Actor, Store
from accord.store import sharing as rows
from accord.store.audit import AuditAction, append
from accord.store.clock import now_iso

__all__ = [
    "Agreement",
    "AgreementStatus",
    "Partner",
    "PartnerRegistry",
    "parse_time",
    "record_action",
]

PUBLIC_KEY_BYTES = 32


@dataclass(frozen=True, slots=True)
class Partner:
    """An agency we share with, and how to check and reach it."""

    id: str
    name: str
    public_key: str
    endpoint: str

    def __post_init__(self) -> None:
        check_name("partner", self.id)
        if not self.name.strip():
            raise InvalidData("a partner needs a name", {"name": "empty"})
        public_key_bytes(self.public_key)
        url = urlparse(self.endpoint)
        if url.scheme not in ("http", "https") or not url.netloc:
            raise InvalidData(
                f"partner endpoint {self.endpoint!r} is not an http(s) URL",
                {"endpoint": "not an http(s) URL"},
            )

    def public_key_bytes(self) -> bytes:
        """The raw 32-byte Ed25519 public key."""
        return public_key_bytes(self.public_key)


def public_key_bytes(text: str) -> bytes:
    """Decode a base64 Ed25519 public key, refusing anything else."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != PUBLIC_KEY_BYTES:
        raise InvalidData(
            "a partner public key must be the base64 of 32 raw Ed25519 bytes "
            "(as `accord share keygen` prints it)",
            {"public_key": "not a base64 Ed25519 public key"},
        )
    return raw


class AgreementStatus(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True, slots=True)
class Agreement:
    """What may go to one partner, and until when."""

    partner: str
    datasets: frozenset[str]
    categories: frozenset[Category]
    tlp_levels: frozenset[Tlp]
    expires_at: datetime
    reshare: bool = False
    id: str = ""
    created_at: datetime | None = None
    revoked_at: datetime | None = None

    def __post_init__(self) -> None:
        problems = {
            "datasets": not self.datasets,
            "categories": not self.categories,
            "tlp_levels": not self.tlp_levels,
        }
        missing = [name for name, empty in problems.items() if empty]
        if missing:
            raise InvalidData(
                f"an agreement must name its {', '.join(missing)}: "
                "an empty list would release nothing",
                dict.fromkeys(missing, "empty"),
            )
        for name in self.datasets:
            check_name("dataset", name)
        if self.expires_at.tzinfo is None:
            raise InvalidData("agreement expiry must carry a time zone")
        if not self.id:
            object.__setattr__(self, "id", str(uuid.uuid4()))

    def status(self, at: datetime | None = None) -> AgreementStatus:
        """Whether the agreement is in force at time ``at`` (default now)."""
        moment = at or datetime.now(UTC)
        if self.revoked_at is not None and self.revoked_at <= moment:
            return AgreementStatus.REVOKED
        if self.expires_at <= moment:
            return AgreementStatus.EXPIRED
        return AgreementStatus.ACTIVE

    def describe(self) -> str:
        """One line for listings and explanations."""
        levels = ", ".join(t.label for t in sorted(self.tlp_levels, key=_rank))
        cats = ", ".join(sorted(str(c) for c in self.categories))
        return (
            f"agreement {self.id} with {self.partner}: datasets "
            f"{', '.join(sorted(self.datasets))}; categories {cats}; levels {levels}; "
            f"re-share {'allowed' if self.reshare else 'not allowed'}; "
            f"expires {self.expires_at.isoformat()}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "partner": self.partner,
            "datasets": sorted(self.datasets),
            "categories": sorted(str(c) for c in self.categories),
            "tlp_levels": [t.value for t in sorted(self.tlp_levels, key=_rank)],
            "reshare": self.reshare,
            "expires_at": self.expires_at.isoformat(),
            "status": self.status().value,
        }


def _rank(tlp: Tlp) -> int:
    return tlp.rank


def parse_time(text: str) -> datetime:
    """An ISO 8601 date or time; naive values are taken as UTC."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidData(
            f"not an ISO 8601 date or time: {text!r}", {"time": "not ISO 8601"}
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _stamp(moment: datetime) -> str:
    """The store's fixed-width UTC form, so string order is time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def _partner(row: dict[str, Any]) -> Partner:
    return Partner(row["id"], row["name"], row["public_key"], row["endpoint"])


def _agreement(row: dict[str, Any]) -> Agreement:
    revoked = row["revoked_at"]
    return Agreement(
        id=row["id"],
        partner=row["partner"],
        datasets=frozenset(row["datasets"]),
        categories=frozenset(Category.parse(c) for c in row["categories"]),
        tlp_levels=frozenset(Tlp(t) for t in row["tlp_levels"]),
        reshare=row["reshare"],
        expires_at=parse_time(row["expires_at"]),
        created_at=parse_time(row["created_at"]),
        revoked_at=parse_time(revoked) if revoked else None,
    )


class PartnerRegistry:
    """Partners and agreements as the store keeps them; every change audited."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add_partner(self, actor: Actor, partner: Partner) -> Partner:
        with self.store.transaction() as conn:
            rows.insert_partner(
                conn,
                {
                    "id": partner.id,
                    "name": partner.name,
                    "public_key": partner.public_key.strip(),
                    "endpoint": partner.endpoint,
                    "created_at": now_iso(),
                },
            )
            detail = {"name": partner.name, "endpoint": partner.endpoint}
            record_action(conn, actor, AuditAction.SHARE_PARTNER, partner.id, detail)
        return partner

    def get_partner_or_none(self, partner_id: str) -> Partner | None:
        with self.store.engine.connect() as conn:
            row = rows.get_partner_or_none(conn, partner_id)
        return _partner(row) if row else None

    def get_partner(self, partner_id: str) -> Partner:
        """The registered partner, or ``NotFound``."""
        partner = self.get_partner_or_none(partner_id)
        if partner is None:
            raise NotFound(f"unknown partner {partner_id!r}")
        return partner

    def list_partners(self) -> list[Partner]:
        with self.store.engine.connect() as conn:
            return [_partner(row) for row in rows.list_partners(conn)]

    def add_agreement(self, actor: Actor, agreement: Agreement) -> Agreement:
        """Record an agreement with a registered partner."""
        self.get_partner(agreement.partner)
        now = now_iso()
        with self.store.transaction() as conn:
            rows.insert_agreement(
                conn,
                {
                    "id": agreement.id,
                    "partner": agreement.partner,
                    "datasets": agreement.datasets,
                    "categories": [str(c) for c in agreement.categories],
                    "tlp_levels": [t.value for t in agreement.tlp_levels],
                    "reshare": agreement.reshare,
                    "expires_at": _stamp(agreement.expires_at),
                    "created_at": now,
                    "revoked_at": None,
                },
            )
            detail = agreement.to_dict()
            record_action(
                conn, actor, AuditAction.SHARE_AGREEMENT, agreement.id, detail
            )
            return _agreement(rows.get_agreement(conn, agreement.id))

    def get_agreement(self, agreement_id: str) -> Agreement:
        with self.store.engine.connect() as conn:
            return _agreement(rows.get_agreement(conn, agreement_id))

    def list_agreements(self, partner: str | None = None) -> list[Agreement]:
        """Every agreement, active or not, oldest first per partner."""
        with self.store.engine.connect() as conn:
            return [_agreement(row) for row in rows.list_agreements(conn, partner)]

    def active_agreements(
        self, partner: str, at: datetime | None = None
    ) -> list[Agreement]:
        """The partner's agreements in force at ``at`` (default now)."""
        return [
            item
            for item in self.list_agreements(partner)
            if item.status(at) is AgreementStatus.ACTIVE
        ]

    def revoke_agreement(self, actor: Actor, agreement_id: str) -> Agreement:
        """End an agreement now; it stays listed, marked revoked."""
        with self.store.transaction() as conn:
            rows.revoke_agreement(conn, agreement_id, now_iso())
            record_action(
                conn,
                actor,
                AuditAction.SHARE_AGREEMENT,
                agreement_id,
                {"revoked": True},
            )
            return _agreement(rows.get_agreement(conn, agreement_id))


def record_action(
    conn: Any, actor: Actor, action: AuditAction, target: str, detail: dict[str, Any]
) -> None:
    """Append an audit record inside the caller's transaction."""
    append(
        conn,
        actor=actor.name,
        agency=actor.agency,
        action=action,
        target=target,
        detail=detail,
    )
