"""Hash-bank operations, as the CLI (and later the API) call them.

Every operation loads what it needs from the workspace, changes it in
memory and saves it atomically, so a failed import or a refused file leaves
the banks exactly as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from accord.errors import InvalidData, NotFound
from accord.monitoring.hashing.bank import (
    Bank,
    BankConfig,
    BankKind,
    Provenance,
    Rows,
    default_threshold,
)
from accord.monitoring.hashing.formats import (
    BankFileFormat,
    ImportDefaults,
    detect_format,
    read_entries,
    write_entries,
)
from accord.monitoring.hashing.matcher import BankMatch, BankMatcher
from accord.monitoring.hashing.pdq import (
    PdqHash,
    dihedral_hashes,
    hash_image_file,
    hex_to_lanes,
    load_rgb,
)
from accord.monitoring.hashing.state import (
    BankState,
    Feedback,
    QuarantinePolicy,
    Verdict,
    timestamp,
)
from accord.monitoring.hashing.storage import BankStorage, banks_root
from accord.monitoring.hashing.text import required_signature
from accord.settings import Settings

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


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
        return {
            **{k: getattr(self, k) for k in self.__slots__},
            "kind": self.kind.value,
        }


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


@dataclass(frozen=True, slots=True)
class ImageMatches:
    path: Path
    pdq: PdqHash
    matches: list[BankMatch]


class HashBanks:
    """The banks of one workspace."""

    def __init__(self, storage: BankStorage, clock: Clock = utc_now) -> None:
        self.storage = storage
        self.clock = clock

    @classmethod
    def from_settings(cls, settings: Settings) -> HashBanks:
        return cls(BankStorage(banks_root(settings)))

    def create(
        self,
        name: str,
        kind: BankKind,
        *,
        threshold: float | None = None,
        negative: bool = False,
        description: str = "",
        policy: QuarantinePolicy | None = None,
    ) -> Bank:
        config = BankConfig(
            name=name,
            kind=kind,
            threshold=default_threshold(kind) if threshold is None else threshold,
            negative=negative,
            description=description,
            created=timestamp(self.clock()),
        )
        bank = Bank.empty(config)
        if policy is not None:
            bank.state.policy = policy
        with self.storage.locked(name):
            if self.storage.exists(name):
                raise InvalidData(f"hash bank {name!r} already exists")
            self.storage.save(bank, data_changed=True)
        return bank

    def configure(
        self,
        name: str,
        *,
        threshold: float | None = None,
        description: str | None = None,
        policy: QuarantinePolicy | None = None,
    ) -> Bank:
        """Change a bank's threshold, description or quarantine policy."""
        changes: dict[str, Any] = {}
        if threshold is not None:
            changes["threshold"] = threshold
        if description is not None:
            changes["description"] = description
        self.storage.config(name)  # NotFound before anything is locked
        with self.storage.locked(name):
            bank = self.storage.load(name)
            bank.config = replace(bank.config, **changes)
            if policy is not None:
                bank.state.policy = policy
            self.storage.save(bank, data_changed=False)
        return bank

    def get(self, name: str) -> Bank:
        return self.storage.load(name)

    def report(self, name: str) -> dict[str, Any]:
        """Settings, quarantines and feedback tallies, from ``bank.json``."""
        config, count, state = self.storage.describe(name)
        tallies = {item.key: state.tally(item.key) for item in state.feedback}
        return {
            "config": config.to_dict(),
            "count": count,
            "policy": state.policy.to_dict(),
            "quarantined": {
                key: {"reason": q.reason, "since": q.since, "by": q.by}
                for key, q in state.quarantined.items()
            },
            "feedback": {
                key: {"confirmed": c, "dismissed": d} for key, (c, d) in tallies.items()
            },
        }

    def summaries(self) -> list[BankSummary]:
        return [_summary(*self.storage.describe(name)) for name in self.storage.names()]

    def add(self, name: str, values: Sequence[str], defaults: ImportDefaults) -> int:
        """Add hashes (PDQ hex) or texts (text bank); returns how many were new."""
        rows: Rows
        if self.storage.config(name).kind is BankKind.PDQ:
            rows = hex_to_lanes(list(values))
        else:
            rows = np.stack([required_signature(text) for text in values])
        provenance = [_default_provenance(defaults)] * len(rows)
        return self._add(name, rows, provenance)

    def import_file(
        self,
        name: str,
        path: Path,
        defaults: ImportDefaults,
        fmt: BankFileFormat | None = None,
    ) -> ImportResult:
        """All entries of a file, or nothing if any line is malformed."""
        if not path.is_file():
            raise NotFound(f"no such file: {path}")
        kind = self.storage.config(name).kind
        entries = read_entries(path, kind, fmt or detect_format(path), defaults)
        added = self._add(name, entries.rows, entries.provenance)
        return ImportResult(name, len(entries.rows), added, entries.ignored)

    def _add(self, name: str, rows: Rows, provenance: list[Provenance]) -> int:
        with self.storage.locked(name):
            bank = self.storage.load(name)
            added = bank.add(rows, provenance)
            if added:
                self.storage.save(bank, data_changed=True)
        return added

    def export(self, name: str, path: Path, fmt: BankFileFormat) -> int:
        return write_entries(self.storage.load(name), path, fmt)

    def _matcher(self, bank: str | None) -> BankMatcher:
        """Every bank, or one bank plus the workspace's negative banks: a
        benign image stays benign whichever bank is asked."""
        if bank is not None:
            self.storage.load(bank)  # NotFound names the known banks
        loaded = [self.storage.load(name) for name in self.storage.names()]
        chosen = [b for b in loaded if bank in (None, b.name) or b.config.negative]
        for each in chosen:
            self.storage.prepare_index(each)
        return BankMatcher(chosen, self.clock())

    def _persist(self, matcher: BankMatcher) -> None:
        for bank in matcher.banks:
            if bank.name in matcher.touched:
                merge = partial(_absorb, bank.state, matcher.moment)
                self.storage.update_state(bank.name, merge)

    def match_hashes(
        self, hexes: Sequence[str], bank: str | None = None
    ) -> list[list[BankMatch]]:
        matcher = self._matcher(bank)
        found = matcher.match_pdq(hexes)
        self._persist(matcher)
        return found

    def match_texts(
        self, texts: Sequence[str], bank: str | None = None
    ) -> list[list[BankMatch]]:
        matcher = self._matcher(bank)
        found = matcher.match_texts(texts)
        self._persist(matcher)
        return found

    def match_images(
        self, paths: Sequence[Path], bank: str | None = None, *, dihedral: bool = False
    ) -> list[ImageMatches]:
        """Hash and match image files; ``dihedral`` also tries the seven
        rotations and flips, since PDQ is not rotation-invariant."""
        hashes = [hash_image_file(path) for path in paths]
        groups = [
            [h.hex for h in dihedral_hashes(load_rgb(path))] if dihedral else [h.hex]
            for path, h in zip(paths, hashes, strict=True)
        ]
        matcher = self._matcher(bank)
        found = matcher.match_pdq_groups(groups)
        self._persist(matcher)
        return [
            ImageMatches(p, h, m) for p, h, m in zip(paths, hashes, found, strict=True)
        ]

    def feedback(
        self,
        name: str,
        key: str,
        verdict: Verdict,
        *,
        actor: str,
        subject: str = "",
        note: str = "",
    ) -> bool:
        """Record a confirm or dismiss; True when it quarantined the hash."""
        key = _existing_key(self.storage.load(name), key)
        moment = self.clock()
        entry = Feedback(key, verdict, actor, timestamp(moment), subject, note)
        return self.storage.update_state(
            name, lambda state: state.add_feedback(entry, moment)
        )

    def quarantine(self, name: str, key: str, *, actor: str, reason: str) -> None:
        key = _existing_key(self.storage.load(name), key)
        why, moment = reason or "quarantined by hand", self.clock()
        self.storage.update_state(
            name, lambda state: state.quarantine(key, why, actor, moment)
        )

    def release(self, name: str, key: str) -> None:
        key = _existing_key(self.storage.load(name), key)
        if not self.storage.update_state(name, lambda state: state.release(key)):
            raise InvalidData(f"{key} is not quarantined in bank {name!r}")


def _absorb(recorded: BankState, moment: datetime, state: BankState) -> None:
    state.absorb(recorded, timestamp(moment))
    state.prune(moment)


def _existing_key(bank: Bank, key: str) -> str:
    text = key.strip().lower()
    if bank.config.kind is BankKind.PDQ:
        hex_to_lanes([text])
    if bank.row_of(text) is None:
        raise NotFound(f"{text} is not in bank {bank.name!r}")
    return text


def _default_provenance(defaults: ImportDefaults) -> Provenance:
    return Provenance(defaults.source, defaults.agency, defaults.added, defaults.label)


def _summary(config: BankConfig, count: int, state: BankState) -> BankSummary:
    return BankSummary(
        name=config.name,
        kind=config.kind,
        count=count,
        threshold=config.threshold,
        negative=config.negative,
        quarantined=len(state.quarantined),
        feedback=len(state.feedback),
        description=config.description,
    )
