"""Findings: what a detector concluded, why, and from which entities.

A finding is accord's own small typed model rather than an FtM entity,
because it carries analyst state (triage status) and an explanation keyed by
feature name that FtM has no place for.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from accord.errors import InvalidData
from accord.model.marking import Marking, Tlp


class FindingStatus(StrEnum):
    """Triage states. ``new`` is set by detectors, the rest by analysts."""

    NEW = "new"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    ESCALATED = "escalated"


@dataclass(frozen=True, slots=True)
class Feature:
    """One reason behind a score: its value and what it means to an analyst."""

    value: float
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class Finding:
    """A detector's conclusion about some entities.

    ``id`` is derived from the detector, the sorted subjects and the agency
    that ran it, so running the same detector over the same data again
    updates the finding instead of duplicating it, and an analyst's triage
    status survives re-runs. The agency is part of the id because two
    agencies that see different data about the same subjects reach different
    findings: one must never overwrite (or reveal) the other's.
    """

    detector: str
    subjects: tuple[str, ...]
    score: float
    summary: str
    explanation: Mapping[str, Feature]
    evidence: tuple[str, ...] = ()
    status: FindingStatus = FindingStatus.NEW
    marking: Marking = field(default_factory=lambda: Marking(Tlp.RED))
    datasets: tuple[str, ...] = ()
    agency: str = ""
    id: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.score <= 1.0:
            raise InvalidData(f"finding score {self.score} is outside [0, 1]")
        if not self.subjects:
            raise InvalidData("a finding needs at least one subject entity")
        if not self.explanation:
            raise InvalidData("a finding must explain its score")
        if not self.id:
            key = finding_id(self.detector, self.subjects, self.agency)
            object.__setattr__(self, "id", key)

    def explanation_dict(self) -> dict[str, dict[str, Any]]:
        """The explanation in wire form, keyed by feature name."""
        return {name: feat.to_dict() for name, feat in self.explanation.items()}


def finding_id(detector: str, subjects: Sequence[str], agency: str = "") -> str:
    """A stable id: one agency's detector on the same subjects is one finding."""
    key = json.dumps([detector, sorted(set(subjects)), agency])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:24]  # noqa: S324 - an id, not a secret
