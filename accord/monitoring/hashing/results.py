"""What hash-bank operations take and return, for the CLI and the HTTP API."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from accord.monitoring.hashing.bank import BankKind
from accord.monitoring.hashing.matcher import BankMatch
from accord.monitoring.hashing.pdq import PdqHash
from accord.monitoring.hashing.state import QuarantinePolicy


@dataclass(frozen=True, slots=True)
class BankSummary:
    name: str
    kind: BankKind
    count: int
    threshold: float
    negative: bool
    quarantined: int
    feedback: int
    description: str

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "kind": self.kind.value}


@dataclass(frozen=True, slots=True)
class ImportResult:
    bank: str
    read: int
    added: int
    ignored: int = 0

    @property
    def skipped(self) -> int:
        """Entries already in the bank (or repeated in the file)."""
        return self.read - self.added

    def counts(self) -> dict[str, int]:
        """The figures the audit log keeps of an import; never the entries."""
        figures = {**asdict(self), "skipped": self.skipped}
        return {key: figures[key] for key in ("read", "added", "skipped", "ignored")}


@dataclass(frozen=True, slots=True)
class ImageMatches:
    path: Path
    pdq: PdqHash
    matches: list[BankMatch]


@dataclass(frozen=True, slots=True)
class NewBank:
    """A bank to create: its name and kind, the rest defaulted by kind."""

    name: str
    kind: BankKind = BankKind.PDQ
    threshold: float | None = None
    negative: bool = False
    description: str = ""
    policy: QuarantinePolicy | None = None
    video: dict[str, float] | None = None
    """``query_match`` and ``compared_match`` of a video bank, if not default."""


@dataclass(frozen=True, slots=True)
class VideoMatches:
    """A video file's matches, with how many seconds of it were hashed
    (the denominator of every match's query share)."""

    path: Path
    seconds: int
    matches: list[BankMatch]
