"""PSI consent: which datasets may be intersected with which partner, and how.

Both sides must consent, each for itself:

* a ``serve`` record lets a partner intersect its set with one of our
  datasets, using only the listed key types, until it expires, optionally
  in cardinality-only mode;
* a ``request`` record lets us send one of our datasets' keys to a partner
  for intersection with the partner's ``remote_dataset``.

Nothing is implied: no record, an expired record or a key type not listed
means no. The records and the probing limits (minimum set size, sessions
per partner per hour) live in ``psi_consent.json`` in the workspace, a file
an agency's administrator writes (or ``accord share psi allow`` and
``accord share psi ask`` write), kept beside the store rather than inside it
so a consent can be reviewed and versioned like any other configuration.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from accord.errors import ConfigError, InvalidData, ReleaseDenied
from accord.model.dataset import check_name
from accord.settings import Settings
from accord.sharing.partners import parse_time
from accord.sharing.psi.keys import KeyType
from accord.store import Actor, Store
from accord.store.audit import AuditAction

CONSENT_FILENAME = "psi_consent.json"
DEFAULT_MIN_SET_SIZE = 100
DEFAULT_SESSIONS_PER_HOUR = 10


class ConsentRole(StrEnum):
    SERVE = "serve"
    REQUEST = "request"


@dataclass(frozen=True, slots=True)
class PsiConsent:
    """One side's consent for one dataset and one partner."""

    role: ConsentRole
    dataset: str
    partner: str
    key_types: frozenset[KeyType]
    expires_at: datetime
    cardinality_only: bool = False
    remote_dataset: str = ""

    def __post_init__(self) -> None:
        check_name("dataset", self.dataset)
        check_name("partner", self.partner)
        if not self.key_types:
            raise InvalidData("a PSI consent names its key types", {"key_types": ""})
        if self.expires_at.tzinfo is None:
            raise InvalidData("a PSI consent's expiry must carry a time zone")
        if self.role is ConsentRole.REQUEST:
            check_name("remote dataset", self.remote_dataset)

    def active(self, at: datetime) -> bool:
        return at < self.expires_at

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "role": self.role.value,
            "dataset": self.dataset,
            "partner": self.partner,
            "key_types": sorted(k.value for k in self.key_types),
            "expires_at": self.expires_at.isoformat(),
            "cardinality_only": self.cardinality_only,
        }
        if self.remote_dataset:
            data["remote_dataset"] = self.remote_dataset
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PsiConsent:
        return cls(
            role=ConsentRole(data["role"]),
            dataset=str(data["dataset"]),
            partner=str(data["partner"]),
            key_types=KeyType.parse_many(data["key_types"]),
            expires_at=parse_time(str(data["expires_at"])),
            cardinality_only=bool(data.get("cardinality_only", False)),
            remote_dataset=str(data.get("remote_dataset", "")),
        )


@dataclass(frozen=True, slots=True)
class ProbingLimits:
    """What stops a partner from learning our set by many small queries."""

    min_set_size: int = DEFAULT_MIN_SET_SIZE
    sessions_per_hour: int = DEFAULT_SESSIONS_PER_HOUR

    def __post_init__(self) -> None:
        if self.min_set_size < 1 or self.sessions_per_hour < 1:
            raise InvalidData("PSI limits must be at least 1")


@dataclass
class ConsentBook:
    """The consent file's records and limits; saved atomically on change."""

    path: Path
    limits: ProbingLimits = field(default_factory=ProbingLimits)
    records: list[PsiConsent] = field(default_factory=list)

    @classmethod
    def for_settings(cls, settings: Settings) -> ConsentBook:
        return cls.load(settings.workspace / CONSENT_FILENAME)

    @classmethod
    def load(cls, path: Path) -> ConsentBook:
        """The file's contents; a missing file is an empty book (no consent)."""
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            limits = ProbingLimits(**data.get("limits", {}))
            records = [PsiConsent.from_dict(item) for item in data.get("consents", [])]
        except (ValueError, KeyError, TypeError, AttributeError, InvalidData) as exc:
            detail = exc.detail if isinstance(exc, InvalidData) else repr(exc)
            raise ConfigError(
                f"{path}: not a valid PSI consent file: {detail}"
            ) from exc
        return cls(path, limits, records)

    def save(self) -> None:
        data = {
            "limits": {
                "min_set_size": self.limits.min_set_size,
                "sessions_per_hour": self.limits.sessions_per_hour,
            },
            "consents": [record.to_dict() for record in self.records],
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".json.partial")
        partial.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        os.replace(partial, self.path)

    def grant(self, consent: PsiConsent) -> None:
        """Add a record, replacing the one for the same role, dataset and partner."""
        self.records = [r for r in self.records if not _same_slot(r, consent)]
        self.records.append(consent)
        self.save()

    def revoke(self, role: ConsentRole, dataset: str, partner: str) -> PsiConsent:
        """End a consent now by moving its expiry to the present."""
        for index, record in enumerate(self.records):
            if (record.role, record.dataset, record.partner) == (
                role,
                dataset,
                partner,
            ):
                ended = replace(record, expires_at=datetime.now(UTC))
                self.records[index] = ended
                self.save()
                return ended
        raise InvalidData(f"no PSI {role} consent for {dataset!r} and {partner!r}")

    def require(
        self, role: ConsentRole, dataset: str, partner: str, at: datetime
    ) -> PsiConsent:
        """The active record, or ``ReleaseDenied`` saying why there is none."""
        found = [
            r
            for r in self.records
            if (r.role, r.dataset, r.partner) == (role, dataset, partner)
        ]
        if not found:
            raise ReleaseDenied(
                f"no PSI {role} consent for dataset {dataset!r} and partner "
                f"{partner!r}",
                [f"no {role} consent record for {dataset} with {partner}"],
            )
        record = found[-1]
        if not record.active(at):
            raise ReleaseDenied(
                f"the PSI {role} consent for dataset {dataset!r} and partner "
                f"{partner!r} expired at {record.expires_at.isoformat()}",
                [f"{role} consent expired at {record.expires_at.isoformat()}"],
            )
        return record


def _same_slot(a: PsiConsent, b: PsiConsent) -> bool:
    return (a.role, a.dataset, a.partner) == (b.role, b.dataset, b.partner)


def audit_change(store: Store, actor: Actor, consent: PsiConsent, change: str) -> None:
    """Record a granted or revoked consent in the audit log, as agreements are."""
    target = f"psi:{consent.role}:{consent.dataset}:{consent.partner}"
    detail = {"change": change, **consent.to_dict()}
    store.record(actor, AuditAction.SHARE_AGREEMENT, target, detail)
