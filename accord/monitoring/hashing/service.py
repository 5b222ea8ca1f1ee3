"""Hash-bank operations, as the CLI and the HTTP API call them.

Every operation loads what it needs from the workspace, changes it in
memory and saves it atomically, so a failed import or a refused file leaves
the banks exactly as they were.

The audit log must hold every read, match, export and import, and banks live
outside the store, so each operation takes the acting ``Actor`` and writes one
record through its ``AuditRecorder`` (``Store.record``): operation, bank and
counts, never a hash or text, which the log's readers may not be cleared for.
Banks and the log are separate stores, so a change's record is written
first, under the bank's lock, and the change is saved after it: a change
whose record cannot be written is not made. (A save that fails after its
record leaves a record of a change that did not land; the log errs towards
saying too much, never too little.) Reads and matches return nothing unless
their record is written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, replace
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
    VideoIds,
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
    dihedral_hashes,
    hash_image_file,
    hex_to_lanes,
    load_rgb,
)
from accord.monitoring.hashing.results import (
    BankSummary,
    ImageMatches,
    ImportResult,
    NewBank,
    VideoMatches,
)
from accord.monitoring.hashing.state import BankState, Feedback, Verdict, timestamp
from accord.monitoring.hashing.storage import BankStorage, banks_root
from accord.monitoring.hashing.text import required_signature
from accord.monitoring.hashing.video import QuerySeconds, as_seconds
from accord.monitoring.hashing.video_formats import (
    read_video_entries,
    write_video_entries,
)
from accord.monitoring.hashing.video_hashing import hash_video_query
from accord.settings import Settings
from accord.store import Actor
from accord.store.audit import AuditAction

Clock = Callable[[], datetime]
ALL_BANKS = "banks"
"""The audit target of an operation over every bank of the workspace."""


AuditRecorder = Callable[[Actor, AuditAction, str, Mapping[str, Any]], None]
"""Where bank operations are audited: ``Store.record``, or a list in tests."""


def utc_now() -> datetime:
    return datetime.now(UTC)


class HashBanks:
    """The banks of one workspace, and where their operations are audited."""

    def __init__(
        self, storage: BankStorage, audit: AuditRecorder, clock: Clock = utc_now
    ) -> None:
        self.storage = storage
        self.audit = audit
        self.clock = clock

    @classmethod
    def from_settings(cls, settings: Settings, audit: AuditRecorder) -> HashBanks:
        return cls(BankStorage(banks_root(settings)), audit)

    def _record(
        self, actor: Actor, action: AuditAction, bank: str | None, /, **detail: Any
    ) -> None:
        target = ALL_BANKS if bank is None else f"bank:{bank}"
        self.audit(actor, action, target, detail)

    def _changed(self, actor: Actor, bank: str, op: str, /, **counts: Any) -> None:
        self._record(actor, AuditAction.BANK_CHANGE, bank, operation=op, **counts)

    def create(self, actor: Actor, new: NewBank) -> Bank:
        kind = new.kind
        threshold = default_threshold(kind) if new.threshold is None else new.threshold
        created = timestamp(self.clock())
        config = BankConfig(
            new.name, kind, threshold, new.negative, new.description, created
        )
        if new.video is not None:
            shares: dict[str, Any] = dict(new.video)
            config = replace(config, **shares)
        bank = Bank.empty(config)
        if new.policy is not None:
            bank.state.policy = new.policy
        with self.storage.locked(new.name):
            if self.storage.exists(new.name):
                raise InvalidData(f"hash bank {new.name!r} already exists")
            detail = {"kind": kind.value, "negative": new.negative}
            self._changed(actor, new.name, "create", **detail)
            self.storage.save(bank, data_changed=True)
        return bank

    def configure(
        self,
        actor: Actor,
        name: str,
        *,
        threshold: float | None = None,
        description: str | None = None,
        policy: Mapping[str, int] | None = None,
        video: Mapping[str, float] | None = None,
    ) -> Bank:
        """Change a bank's threshold, description, quarantine policy or (video
        banks) the shares of frames a match needs; ``policy`` and ``video``
        name only the fields to change, applied under the bank's lock."""
        given: dict[str, Any] = {
            "threshold": threshold,
            "description": description,
            **(video or {}),
        }
        changes = {key: value for key, value in given.items() if value is not None}
        self.storage.config(name)  # NotFound before anything is locked
        with self.storage.locked(name):
            bank = self.storage.load(name)
            bank.config = replace(bank.config, **changes)
            if policy:
                bank.state.policy = replace(bank.state.policy, **policy)
            changed = sorted([*changes, *(policy or {})])
            self._changed(actor, name, "configure", changed=changed)
            self.storage.save(bank, data_changed=False)
        return bank

    def get(self, actor: Actor, name: str) -> Bank:
        bank = self.storage.load(name)
        self._record(actor, AuditAction.BANK_READ, name, operation="get")
        return bank

    def report(self, actor: Actor, name: str) -> dict[str, Any]:
        """Settings, quarantines and feedback tallies, from ``bank.json``."""
        config, count, state = self.storage.describe(name)
        tallies = {item.key: state.tally(item.key) for item in state.feedback}
        self._record(actor, AuditAction.BANK_READ, name, operation="report")
        return {
            "config": config.to_dict(),
            "count": count,
            "policy": state.policy.to_dict(),
            "quarantined": {k: asdict(q) for k, q in state.quarantined.items()},
            "feedback": {
                key: {"confirmed": c, "dismissed": d} for key, (c, d) in tallies.items()
            },
        }

    def summaries(self, actor: Actor) -> list[BankSummary]:
        found = [_summary(*self.storage.describe(n)) for n in self.storage.names()]
        self._record(
            actor, AuditAction.BANK_READ, None, operation="list", banks=len(found)
        )
        return found

    def add(
        self, actor: Actor, name: str, values: Sequence[str], defaults: ImportDefaults
    ) -> int:
        """Add hashes (PDQ hex) or texts (text bank); returns how many were new."""
        rows: Rows
        kind = self.storage.config(name).kind
        if kind is BankKind.VPDQ:
            raise InvalidData(
                f"hash bank {name!r} holds videos: add video files or import vPDQ files"
            )
        if kind is BankKind.PDQ:
            rows = hex_to_lanes(list(values))
        else:
            rows = np.stack([required_signature(text) for text in values])
        provenance = [_default_provenance(defaults)] * len(rows)

        def record(added: int) -> None:
            counts = ImportResult(name, len(rows), added).counts()
            self._changed(actor, name, "add", **counts)

        return self._add(name, rows, provenance, record)

    def add_videos(
        self,
        actor: Actor,
        name: str,
        videos: Sequence[Sequence[str]],
        defaults: ImportDefaults,
    ) -> int:
        """Add videos, each given as its distinct frame hashes, to a video
        bank; returns how many were new."""
        if self.storage.config(name).kind is not BankKind.VPDQ:
            raise InvalidData(f"hash bank {name!r} does not hold videos")
        if not videos or not all(videos):
            raise InvalidData("every video needs at least one frame hash")
        rows = hex_to_lanes([frame for frames in videos for frame in frames])
        numbers = np.repeat(
            np.arange(len(videos), dtype=np.int32), list(map(len, videos))
        )
        provenance = [_default_provenance(defaults)] * len(rows)

        def record(added: int) -> None:
            counts = ImportResult(name, len(videos), added).counts()
            self._changed(actor, name, "add", **counts)

        return self._add(name, rows, provenance, record, numbers)

    def import_file(
        self,
        actor: Actor,
        name: str,
        path: Path,
        defaults: ImportDefaults,
        fmt: BankFileFormat | None = None,
    ) -> ImportResult:
        """All entries of a file, or nothing if any line is malformed."""
        if not path.is_file():
            raise NotFound(f"no such file: {path}")
        kind = self.storage.config(name).kind
        fmt = fmt or detect_format(path)
        if kind is BankKind.VPDQ:
            entries = read_video_entries(path, fmt, defaults)
            read = 1 + int(entries.videos.max()) if entries.videos is not None else 0
        else:
            entries = read_entries(path, kind, fmt, defaults)
            read = len(entries.rows)

        def record(added: int) -> None:
            counts = ImportResult(name, read, added, entries.ignored).counts()
            where = {"file": path.name, "format": fmt.value}
            self._changed(actor, name, "import", **where, **counts)

        added = self._add(
            name, entries.rows, entries.provenance, record, entries.videos
        )
        return ImportResult(name, read, added, entries.ignored)

    def _add(
        self,
        name: str,
        rows: Rows,
        provenance: list[Provenance],
        record: Callable[[int], None],
        videos: VideoIds | None = None,
    ) -> int:
        """Add under the bank's lock; ``record`` audits the count before the
        bank is written, so no change lands unaudited."""
        with self.storage.locked(name):
            bank = self.storage.load(name)
            added = bank.add(rows, provenance, videos)
            record(added)
            if added:
                self.storage.save(bank, data_changed=True)
        return added

    def export(self, actor: Actor, name: str, path: Path, fmt: BankFileFormat) -> int:
        bank = self.storage.load(name)
        if bank.config.kind is BankKind.VPDQ:
            count = write_video_entries(bank, path, fmt)
        else:
            count = write_entries(bank, path, fmt)
        where = {"operation": "export", "path": str(path), "format": fmt.value}
        self._record(actor, AuditAction.EXPORT, name, entries=count, **where)
        return count

    def _matcher(self, bank: str | None, kind: BankKind) -> BankMatcher:
        """Every bank, or one bank plus the workspace's negative banks: a
        benign image stays benign whichever bank is asked. A named bank of
        the other kind is refused rather than silently matching nothing."""
        if bank is not None:
            named = self.storage.config(bank)  # NotFound names the known banks
            if named.kind is not kind:
                raise InvalidData(f"hash bank {bank!r} holds {named.kind.value} data")
        # Only banks of this kind are loaded (and indexed): the others could
        # not match, and a 10M-hash image bank takes seconds to open.
        wanted = [
            name
            for name in self.storage.names()
            if self.storage.config(name).kind is kind
        ]
        loaded = [self.storage.load(name) for name in wanted]
        chosen = [b for b in loaded if bank in (None, b.name) or b.config.negative]
        for each in chosen:
            self.storage.prepare_index(each)
        return BankMatcher(chosen, self.clock())

    def _persist(self, matcher: BankMatcher) -> None:
        for bank in matcher.banks:
            if bank.name in matcher.touched:
                merge = partial(_absorb, bank.state, matcher.moment)
                self.storage.update_state(bank.name, merge)

    def _matched(
        self,
        actor: Actor,
        bank: str | None,
        matcher: BankMatcher,
        found: list[list[BankMatch]],
    ) -> list[list[BankMatch]]:
        """Audit counts only (queries, how many matched and how many
        entries), then save the flood-guard history and hand the matches
        back: nothing is kept or returned unless the record is written."""
        hits = sum(1 for matches in found if matches)
        counts = {"queries": len(found), "hits": hits, "matches": sum(map(len, found))}
        self._record(actor, AuditAction.BANK_MATCH, bank, operation="match", **counts)
        self._persist(matcher)
        return found

    def match_hashes(
        self, actor: Actor, hexes: Sequence[str], bank: str | None = None
    ) -> list[list[BankMatch]]:
        matcher = self._matcher(bank, BankKind.PDQ)
        return self._matched(actor, bank, matcher, matcher.match_pdq(hexes))

    def match_texts(
        self, actor: Actor, texts: Sequence[str], bank: str | None = None
    ) -> list[list[BankMatch]]:
        matcher = self._matcher(bank, BankKind.TEXT)
        return self._matched(actor, bank, matcher, matcher.match_texts(texts))

    def match_images(
        self,
        actor: Actor,
        paths: Sequence[Path],
        bank: str | None = None,
        *,
        dihedral: bool = False,
    ) -> list[ImageMatches]:
        """Hash and match image files; ``dihedral`` also tries the seven
        rotations and flips, since PDQ is not rotation-invariant."""
        hashes = [hash_image_file(path) for path in paths]
        groups = [
            [h.hex for h in dihedral_hashes(load_rgb(path))] if dihedral else [h.hex]
            for path, h in zip(paths, hashes, strict=True)
        ]
        matcher = self._matcher(bank, BankKind.PDQ)
        found = self._matched(actor, bank, matcher, matcher.match_pdq_groups(groups))
        return [
            ImageMatches(p, h, m) for p, h, m in zip(paths, hashes, found, strict=True)
        ]

    def match_videos(
        self, actor: Actor, videos: Sequence[Sequence[str]], bank: str | None = None
    ) -> list[list[BankMatch]]:
        """Match videos hashed one frame a second (a vPDQ file, an API
        query), given as their frame hashes; repeats count once."""
        seconds = [as_seconds(video) for video in videos]
        return self.match_video_seconds(actor, seconds, bank)

    def match_video_seconds(
        self, actor: Actor, videos: Sequence[QuerySeconds], bank: str | None = None
    ) -> list[list[BankMatch]]:
        """Match videos given as their seconds of frame hashes."""
        matcher = self._matcher(bank, BankKind.VPDQ)
        return self._matched(actor, bank, matcher, matcher.match_videos(videos))

    def match_video_files(
        self, actor: Actor, paths: Sequence[Path], bank: str | None = None
    ) -> list[VideoMatches]:
        """Hash video files with vPDQ (four frames a second) and match them."""
        seconds = [hash_video_query(path) for path in paths]
        found = self.match_video_seconds(actor, seconds, bank)
        return [
            VideoMatches(path, len(kept), matches)
            for path, kept, matches in zip(paths, seconds, found, strict=True)
        ]

    def feedback(
        self,
        actor: Actor,
        name: str,
        key: str,
        verdict: Verdict,
        *,
        subject: str = "",
        note: str = "",
    ) -> bool:
        """Record a confirm or dismiss; True when it quarantined the hash. The
        audit leaves out key and note (the bank's feedback list keeps both)."""
        key = _existing_key(self.storage.load(name), key)
        moment = self.clock()
        entry = Feedback(key, verdict, actor.name, timestamp(moment), subject, note)

        def record(quarantined: bool) -> None:
            detail = {"verdict": verdict.value, "quarantined": quarantined}
            self._changed(actor, name, "feedback", **detail)

        return self.storage.update_state(
            name, lambda state: state.add_feedback(entry, moment), record
        )

    def quarantine(self, actor: Actor, name: str, key: str, *, reason: str) -> None:
        key = _existing_key(self.storage.load(name), key)
        why, moment = reason or "quarantined by hand", self.clock()
        self.storage.update_state(
            name,
            lambda state: state.quarantine(key, why, actor.name, moment),
            lambda _: self._changed(actor, name, "quarantine"),
        )

    def release(self, actor: Actor, name: str, key: str) -> None:
        key = _existing_key(self.storage.load(name), key)

        def record(released: bool) -> None:
            if not released:  # refused: nothing recorded, nothing written
                raise InvalidData(f"{key} is not quarantined in bank {name!r}")
            self._changed(actor, name, "release")

        self.storage.update_state(name, lambda state: state.release(key), record)


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
