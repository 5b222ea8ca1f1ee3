"""What analysts and the flood guard have said about a bank's hashes.

A shared bank always holds some hashes that should never have been shared:
a logo, a meme template, a stock photo. HMA users report exactly this
("benign hashes in shared lists causing false matches"). Two defences live
here, keyed by the hash itself so they survive re-imports:

- **Quarantine**: a quarantined hash produces no findings until released.
  Analysts quarantine by hand; the flood guard does it when a hash matches
  more than ``max_matches`` times within ``window_seconds``; feedback does it
  when a hash collects ``max_dismissals`` dismissals and more dismissals than
  confirmations.
- **Feedback**: every confirm or dismiss is recorded with who, when, on
  what and why, so it can be written back to the partner that shared it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from accord.errors import InvalidData

AUTO_ACTOR = "flood-guard"


class Verdict(StrEnum):
    CONFIRM = "confirm"
    DISMISS = "dismiss"


@dataclass(frozen=True, slots=True)
class QuarantinePolicy:
    """When a hash is taken out of matching without an analyst asking."""

    window_seconds: int = 3600
    max_matches: int = 100
    max_dismissals: int = 3

    def __post_init__(self) -> None:
        if (
            self.window_seconds <= 0
            or self.max_matches <= 0
            or self.max_dismissals <= 0
        ):
            raise InvalidData("quarantine window and limits must be positive")

    def to_dict(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> QuarantinePolicy:
        return cls(**{key: int(value) for key, value in data.items()})


@dataclass(frozen=True, slots=True)
class Quarantine:
    reason: str
    since: str
    by: str


@dataclass(frozen=True, slots=True)
class Feedback:
    key: str
    verdict: Verdict
    actor: str
    at: str
    subject: str = ""
    note: str = ""


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


@dataclass
class BankState:
    """Quarantines, feedback and recent match times of one bank."""

    policy: QuarantinePolicy = field(default_factory=QuarantinePolicy)
    quarantined: dict[str, Quarantine] = field(default_factory=dict)
    feedback: list[Feedback] = field(default_factory=list)
    recent: dict[str, list[float]] = field(default_factory=dict)

    def is_quarantined(self, key: str) -> bool:
        return key in self.quarantined

    def quarantine(self, key: str, reason: str, by: str, moment: datetime) -> None:
        if key not in self.quarantined:
            self.quarantined[key] = Quarantine(reason, timestamp(moment), by)

    def release(self, key: str) -> bool:
        """Back into matching; True if it was quarantined. The flood history
        is cleared too, or the next match would quarantine it again."""
        self.recent.pop(key, None)
        return self.quarantined.pop(key, None) is not None

    def record_match(self, key: str, moment: datetime) -> bool:
        """Count a match; True when this match trips the flood guard."""
        now = moment.timestamp()
        start = now - self.policy.window_seconds
        times = [t for t in self.recent.get(key, []) if t > start]
        times.append(now)
        self.recent[key] = times
        if len(times) > self.policy.max_matches:
            reason = (
                f"flood: {len(times)} matches within {self.policy.window_seconds} s "
                f"(limit {self.policy.max_matches})"
            )
            self.quarantine(key, reason, AUTO_ACTOR, moment)
            return True
        return False

    def prune(self, moment: datetime) -> None:
        """Forget match times older than the window, so the state of a busy
        bank stays as small as its recent matches."""
        start = moment.timestamp() - self.policy.window_seconds
        self.recent = {
            key: kept
            for key, times in self.recent.items()
            if (kept := [t for t in times if t > start])
        }

    def absorb(self, other: BankState, since: str) -> None:
        """Take in what a match recorded in its own copy of this state: its
        match times, and the flood quarantines it made at ``since``. A hash
        an analyst released meanwhile is not quarantined again."""
        for key, times in other.recent.items():
            self.recent[key] = sorted(set(self.recent.get(key, [])) | set(times))
        for key, entry in other.quarantined.items():
            if entry.by == AUTO_ACTOR and entry.since == since:
                self.quarantined.setdefault(key, entry)

    def add_feedback(self, entry: Feedback, moment: datetime) -> bool:
        """Record feedback; True when it quarantines the hash."""
        self.feedback.append(entry)
        confirms, dismissals = self.tally(entry.key)
        if dismissals >= self.policy.max_dismissals and dismissals > confirms:
            reason = f"dismissed {dismissals} times, confirmed {confirms} times"
            if not self.is_quarantined(entry.key):
                self.quarantine(entry.key, reason, AUTO_ACTOR, moment)
                return True
        return False

    def tally(self, key: str) -> tuple[int, int]:
        """(confirmations, dismissals) recorded for ``key``."""
        verdicts = [item.verdict for item in self.feedback if item.key == key]
        return verdicts.count(Verdict.CONFIRM), verdicts.count(Verdict.DISMISS)

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy": self.policy.to_dict(),
            "quarantined": {key: asdict(q) for key, q in self.quarantined.items()},
            "feedback": [asdict(item) for item in self.feedback],
            "recent": self.recent,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BankState:
        return cls(
            policy=QuarantinePolicy.from_dict(data.get("policy", {})),
            quarantined={
                key: Quarantine(**value)
                for key, value in data.get("quarantined", {}).items()
            },
            feedback=[
                Feedback(**{**item, "verdict": Verdict(item["verdict"])})
                for item in data.get("feedback", [])
            ],
            recent={key: list(times) for key, times in data.get("recent", {}).items()},
        )
