"""A hash bank: hashes, videos or text signatures, each with its provenance.

A bank holds one kind of signal (PDQ image hashes, vPDQ videos or text
signatures) under one match threshold. A video bank keeps one row per
distinct frame hash and, beside the rows, the video each frame belongs to;
its entries (keys, quarantine, feedback) are videos, not frames. A *negative* bank lists known-benign content: a query
that matches it produces no finding from any positive bank. Provenance
(source, agency, date added, label) is kept per hash but stored once per
distinct record, with one small integer per hash pointing at it, so a 10M
bank imported from a handful of files costs 4 bytes per hash for it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt

from accord.errors import InvalidData
from accord.model.dataset import check_name
from accord.monitoring.hashing.mih import MultiIndexHashIndex, RangeHits
from accord.monitoring.hashing.pdq import DEFAULT_THRESHOLD, hex_to_lanes, lanes_to_hex
from accord.monitoring.hashing.state import BankState
from accord.monitoring.hashing.text import (
    DEFAULT_TEXT_THRESHOLD,
    NUM_PERM,
    Signature,
    SignatureIndex,
    TextHit,
    mix64,
    signature_to_hex,
)
from accord.monitoring.hashing.video import (
    DEFAULT_COMPARED_MATCH,
    DEFAULT_QUERY_MATCH,
    VideoLayout,
    video_key,
)

# (N, 4) uint64 PDQ lanes (images, video frames) or (N, 128) uint32
# signatures, by the bank's kind.
Rows = npt.NDArray[Any]
VideoIds = npt.NDArray[np.int32]


class BankKind(StrEnum):
    PDQ = "pdq"
    TEXT = "text"
    VPDQ = "vpdq"

    @property
    def hashes_pdq(self) -> bool:
        """Rows are PDQ lanes searched by Hamming distance (images, frames)."""
        return self is not BankKind.TEXT


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a hash came from: who shared it, from which list, when, and what
    it shows (GIFCT-style label or category)."""

    source: str
    agency: str
    added: str
    label: str = ""

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class BankConfig:
    """A bank's settings. ``threshold`` is PDQ bits (images, video frames)
    or text similarity; ``query_match`` and ``compared_match`` are the
    shares of frames a video match needs (video banks only)."""

    name: str
    kind: BankKind
    threshold: float
    negative: bool = False
    description: str = ""
    created: str = ""
    query_match: float = DEFAULT_QUERY_MATCH
    compared_match: float = DEFAULT_COMPARED_MATCH

    def __post_init__(self) -> None:
        check_name("bank", self.name)
        if self.kind.hashes_pdq and not (
            0 <= self.threshold <= 255 and float(self.threshold).is_integer()
        ):
            raise InvalidData(
                f"PDQ threshold {self.threshold} is not a bit count 0-255"
            )
        if self.kind is BankKind.TEXT and not 0.0 < self.threshold <= 1.0:
            raise InvalidData(f"text threshold {self.threshold} is outside (0, 1]")
        if not 0.0 < self.query_match <= 1.0 or not 0.0 <= self.compared_match <= 1.0:
            raise InvalidData(
                f"video match shares {self.query_match:g} / {self.compared_match:g} "
                "are outside (0, 1] / [0, 1]"
            )

    def to_dict(self) -> dict[str, Any]:
        data = {**asdict(self), "kind": self.kind.value}
        if self.kind is not BankKind.VPDQ:
            del data["query_match"], data["compared_match"]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BankConfig:
        return cls(**{**data, "kind": BankKind(data["kind"])})


def default_threshold(kind: BankKind) -> float:
    return float(DEFAULT_THRESHOLD) if kind.hashes_pdq else DEFAULT_TEXT_THRESHOLD


def empty_rows(kind: BankKind) -> Rows:
    if kind.hashes_pdq:
        return np.zeros((0, 4), dtype=np.uint64)
    return np.zeros((0, NUM_PERM), dtype=np.uint32)


def fingerprints(rows: Rows) -> npt.NDArray[np.uint64]:
    """A 64-bit digest per row, to find repeated rows without sorting 2-D data."""
    digest = np.zeros(len(rows), dtype=np.uint64)
    for column in range(rows.shape[1]):
        digest = mix64(digest ^ rows[:, column].astype(np.uint64))
    return digest


def _no_videos() -> VideoIds:
    return np.zeros(0, dtype=np.int32)


@dataclass
class Bank:
    """One bank in memory; ``rows`` are lanes (PDQ, video frames) or
    signatures (text); ``videos`` gives each frame row's video (video banks)."""

    config: BankConfig
    rows: Rows
    provenance_ids: npt.NDArray[np.int32]
    provenances: list[Provenance]
    state: BankState = field(default_factory=BankState)
    videos: VideoIds = field(default_factory=_no_videos)
    _pdq_index: MultiIndexHashIndex | None = field(default=None, repr=False)
    _text_index: SignatureIndex | None = field(default=None, repr=False)
    _video_keys: list[str] | None = field(default=None, repr=False)

    @classmethod
    def empty(cls, config: BankConfig) -> Bank:
        return cls(config, empty_rows(config.kind), np.zeros(0, np.int32), [])

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def entry_count(self) -> int:
        """Entries as users count them: videos in a video bank, else rows."""
        if self.config.kind is BankKind.VPDQ:
            return len(self.video_keys())
        return len(self)

    def key(self, row: int) -> str:
        """The stable name of a row's entry: the PDQ hex, the video's key, or
        a digest of a signature."""
        if self.config.kind is BankKind.PDQ:
            return lanes_to_hex(self.rows[row : row + 1])[0]
        if self.config.kind is BankKind.VPDQ:
            return self.video_keys()[int(self.videos[row])]
        return signature_key(self.rows[row])

    def video_keys(self) -> list[str]:
        """The key of every video, by video number."""
        if self._video_keys is None:
            self._video_keys = [video_key(f) for f in self.video_frames()]
        return self._video_keys

    def video_frames(self) -> list[list[str]]:
        """The frame hashes of every video, by video number."""
        hexes = lanes_to_hex(self.rows)
        frames: list[list[str]] = [[] for _ in range(self.video_layout().count)]
        for row, video in enumerate(self.videos.tolist()):
            frames[video].append(hexes[row])
        return frames

    def video_layout(self) -> VideoLayout:
        return VideoLayout.of(self.videos)

    def row_of(self, key: str) -> int | None:
        """The row a key names (a video's first frame), or None."""
        if self.config.kind is BankKind.VPDQ:
            keys = self.video_keys()
            if key not in keys:
                return None
            return int(self.video_layout().first_rows[keys.index(key)])
        if self.config.kind is BankKind.PDQ:
            # A comparison of every row (0.1 s at 10M) rather than the index,
            # which a one-off lookup would first have to build.
            same = np.flatnonzero((self.rows == hex_to_lanes([key])).all(axis=1))
            return int(same[0]) if len(same) else None
        for row in range(len(self.rows)):
            if signature_key(self.rows[row]) == key:
                return row
        return None

    def provenance(self, row: int) -> Provenance:
        return self.provenances[int(self.provenance_ids[row])]

    def add(
        self, rows: Rows, provenance: list[Provenance], videos: VideoIds | None = None
    ) -> int:
        """Append the entries not already in the bank; returns how many were
        new (rows, or videos for a video bank, where ``videos`` numbers each
        row's video within this batch).

        The first provenance of a hash wins: re-importing a file, or the
        same hash from a second partner, changes nothing.
        """
        if len(rows) != len(provenance):
            raise InvalidData("one provenance is needed per row")
        if self.config.kind is BankKind.VPDQ:
            if videos is None or len(videos) != len(rows):
                raise InvalidData("a video bank needs the video of every frame")
            fresh, new_videos = self._new_video_rows(rows, videos)
        else:
            fresh = _first_new_rows(self.rows, rows)
            new_videos = len(fresh)
        if not len(fresh):
            return 0
        known = {record: number for number, record in enumerate(self.provenances)}
        ids = [self._provenance_id(provenance[int(i)], known) for i in fresh]
        if self.config.kind is BankKind.VPDQ and videos is not None:
            self.videos = np.concatenate(
                [self.videos, _renumber(videos[fresh], self.video_layout().count)]
            )
        self.rows = np.concatenate([self.rows, rows[fresh]])
        self.provenance_ids = np.concatenate(
            [self.provenance_ids, np.asarray(ids, dtype=np.int32)]
        )
        self._pdq_index = None
        self._text_index = None
        self._video_keys = None
        return new_videos

    def _new_video_rows(
        self, rows: Rows, videos: VideoIds
    ) -> tuple[npt.NDArray[np.int64], int]:
        """Rows of the incoming videos not yet in the bank (nor repeated in
        the batch), each distinct frame of a video once, and how many
        videos that is."""
        known = set(self.video_keys())
        hexes = lanes_to_hex(rows)
        members: dict[int, dict[str, int]] = {}
        for row, video in enumerate(videos.tolist()):
            members.setdefault(video, {}).setdefault(hexes[row], row)
        kept: list[int] = []
        count = 0
        for frames in members.values():
            key = video_key(list(frames))
            if key not in known:
                known.add(key)
                kept.extend(frames.values())
                count += 1
        return np.asarray(kept, dtype=np.int64), count

    def _provenance_id(self, record: Provenance, known: dict[Provenance, int]) -> int:
        if record not in known:
            known[record] = len(self.provenances)
            self.provenances.append(record)
        return known[record]

    def pdq_index(self) -> MultiIndexHashIndex:
        if self._pdq_index is None:
            self._pdq_index = MultiIndexHashIndex(self.rows)
        return self._pdq_index

    def use_index(self, index: MultiIndexHashIndex) -> None:
        """Adopt an index built earlier over exactly these rows."""
        if index.hashes is not self.rows and not np.array_equal(
            index.hashes, self.rows
        ):
            raise InvalidData("the index was built over other hashes")
        self._pdq_index = index

    def text_index(self) -> SignatureIndex:
        if self._text_index is None:
            rows = self.rows.astype(np.uint32)
            self._text_index = SignatureIndex(rows, self.config.threshold)
        return self._text_index

    def search_pdq(self, queries: npt.NDArray[np.uint64]) -> RangeHits:
        return self.pdq_index().search(queries, int(self.config.threshold))

    def search_text(self, query: Signature) -> list[TextHit]:
        return self.text_index().search(query)


def _renumber(videos: VideoIds, start: int) -> VideoIds:
    """Batch video numbers as consecutive bank numbers from ``start``, in
    order of first appearance."""
    _, first, inverse = np.unique(videos, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int32)
    rank[np.argsort(first)] = np.arange(len(first), dtype=np.int32)
    return (rank[inverse] + start).astype(np.int32)


def signature_key(sig: Signature) -> str:
    """Short stable name of a text signature (the first 20 hex of its SHA-1)."""
    raw = signature_to_hex(np.asarray(sig, dtype=np.uint32)).encode("ascii")
    return "sig:" + hashlib.sha1(raw).hexdigest()[:20]  # noqa: S324 - a name, not a secret


def _first_new_rows(existing: Rows, incoming: Rows) -> npt.NDArray[np.int64]:
    """Indices of incoming rows absent from ``existing`` and not repeated
    earlier in ``incoming``, in input order."""
    if not len(incoming):
        return np.zeros(0, dtype=np.int64)
    _, first = np.unique(incoming, axis=0, return_index=True)
    first = np.sort(first)
    if not len(existing):
        return first.astype(np.int64)
    known = fingerprints(existing)
    order = np.argsort(known)
    sorted_known = known[order]
    candidate = fingerprints(incoming[first])
    pos = np.minimum(np.searchsorted(sorted_known, candidate), len(known) - 1)
    present = np.zeros(len(first), dtype=bool)
    hit = np.flatnonzero(sorted_known[pos] == candidate)
    present[hit] = (existing[order[pos[hit]]] == incoming[first[hit]]).all(axis=1)
    # Equal digests of unequal rows (a 64-bit collision, or the first of
    # several rows sharing a digest) are settled row by row.
    for i in hit[~present[hit]]:
        end = np.searchsorted(sorted_known, candidate[i], side="right")
        same = existing[order[pos[i] : end]]
        present[i] = bool((same == incoming[first[i]]).all(axis=1).any())
    return first[~present].astype(np.int64)
