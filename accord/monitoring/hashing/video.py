"""Video matching by vPDQ: a video is the set of PDQ hashes of its frames.

vPDQ (Meta's video PDQ) hashes one frame a second with PDQ. Two videos are
compared frame set against frame set: a query frame *matches* a bank video
when some frame of that video is within the bank's Hamming threshold (31
bits, as for images). The **query match** is the share of the query's seconds
that match the bank video (a second matches when one of its frames does), the **compared match** the share of the bank
video's frames matched by some query frame. A video matches when both reach
the bank's limits (HMA's defaults: 80 % and 0 %, so a clip cut from a known
video matches it, while a long video that merely contains a short known clip
needs a lower query limit). This survives re-encoding, resizing and
trimming, which defeat the MD5 matching HMA uses for video.

Frames of quality below 50 are dropped and repeated frames kept once, as in
python-threatexchange's vPDQ index: a static title card held for a minute
would otherwise dominate both shares.

Video files are hashed in ``video_hashing``; this module holds what a
video is to a bank and how matches are counted.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.errors import InvalidData
from accord.monitoring.hashing.mih import RangeHits
from accord.monitoring.hashing.pdq import MIN_QUALITY, PdqHash, normalize_hex

SECONDS_PER_HASH = 1.0
DEFAULT_QUERY_MATCH = 0.8
DEFAULT_COMPARED_MATCH = 0.0
VIDEO_KEY_PREFIX = "vpdq:"


QuerySeconds = list[list[str]]
"""A video to match: its seconds, each the frame hashes it adds."""


@dataclass(frozen=True, slots=True)
class VideoFrame:
    """One hashed frame: its PDQ, its quality and where it is (seconds)."""

    hex: str
    quality: int
    timestamp: float


def distinct_frames(frames: Sequence[VideoFrame | PdqHash]) -> list[str]:
    """The hashes worth matching on, in order of first appearance: quality of
    at least 50, each distinct hash once."""
    return distinct_hexes([f.hex for f in frames if f.quality >= MIN_QUALITY])


def distinct_hexes(frames: Sequence[str]) -> list[str]:
    """Frame hashes as matching counts them: validated, each distinct hash
    once, in order of first appearance."""
    return list(dict.fromkeys(normalize_hex(frame) for frame in frames))


def as_seconds(frames: Sequence[str]) -> QuerySeconds:
    """A video hashed one frame a second (a vPDQ file, an API query) as
    matching takes it: each distinct frame its own second."""
    return [[frame] for frame in distinct_hexes(frames)]


def query_seconds(frames: Sequence[VideoFrame], *, second: float = 1.0) -> QuerySeconds:
    """A video hashed several frames a second, grouped by second.

    Each second keeps its frames of quality 50 or more that no earlier
    second had; a second with none left is dropped, so a static title card
    counts once, as ``distinct_frames`` counts it at one frame a second."""
    seen: set[str] = set()
    groups: dict[int, list[str]] = {}
    for frame in frames:
        if frame.quality < MIN_QUALITY:
            continue
        value = normalize_hex(frame.hex)
        if value not in seen:
            seen.add(value)
            groups.setdefault(int(frame.timestamp // second), []).append(value)
    return [groups[number] for number in sorted(groups)]


def video_key(frames: Sequence[str]) -> str:
    """The stable name of a video in a bank: a digest of its distinct frame
    hashes, sorted, so the same vPDQ read twice (or exported and imported
    again) is recognised whatever order its frames came in."""
    ordered = "".join(sorted({normalize_hex(frame) for frame in frames}))
    digest = hashlib.sha1(ordered.encode("ascii")).hexdigest()[:20]  # noqa: S324 - a name, not a secret
    return VIDEO_KEY_PREFIX + digest


def required_frames(frames: Sequence[VideoFrame | PdqHash], where: str) -> list[str]:
    """``distinct_frames``, refusing a video with none good enough to match."""
    kept = distinct_frames(frames)
    if not kept:
        raise InvalidData(
            f"{where}: no frame has PDQ quality {MIN_QUALITY} or more; "
            "the video is too flat to match reliably"
        )
    return kept


@dataclass(frozen=True, slots=True)
class VideoHit:
    """A bank video that a query video matched."""

    video: int
    distance: int
    query_match: float
    compared_match: float


@dataclass(frozen=True, slots=True)
class VideoLayout:
    """Which bank video each frame row belongs to, and each video's size."""

    videos: npt.NDArray[np.int32]
    frame_counts: npt.NDArray[np.int64]

    @property
    def count(self) -> int:
        return len(self.frame_counts)

    @property
    def first_rows(self) -> npt.NDArray[np.int64]:
        """Each video's first frame row: a bank keeps a video's frames
        together, videos in number order."""
        starts: npt.NDArray[np.int64] = np.cumsum(self.frame_counts) - self.frame_counts
        return starts

    @classmethod
    def of(cls, videos: npt.NDArray[np.int32]) -> VideoLayout:
        count = int(videos.max()) + 1 if len(videos) else 0
        return cls(videos, np.bincount(videos, minlength=count).astype(np.int64))


def video_hits(
    frame_hits: RangeHits,
    units: Sequence[tuple[int, int]],
    sizes: Sequence[int],
    layout: VideoLayout,
    limits: tuple[float, float],
) -> list[list[VideoHit]]:
    """Frame hits grouped into video hits, per query video.

    ``units[q]`` is (query video, second) of query frame ``q`` and
    ``sizes[v]`` the number of seconds of query video ``v``: a second counts
    as found when any of its frames matches. ``limits`` are the least query
    and compared match a hit needs; ``distance`` is the closest frame pair."""
    query_seconds: dict[tuple[int, int], set[int]] = defaultdict(set)
    bank_frames: dict[tuple[int, int], set[int]] = defaultdict(set)
    closest: dict[tuple[int, int], int] = {}
    for query, row, distance in zip(
        frame_hits.query.tolist(),
        frame_hits.row.tolist(),
        frame_hits.distance.tolist(),
        strict=True,
    ):
        owner, second = units[query]
        pair = (owner, int(layout.videos[row]))
        query_seconds[pair].add(second)
        bank_frames[pair].add(row)
        closest[pair] = min(distance, closest.get(pair, distance))
    least_query, least_compared = limits
    found: list[list[VideoHit]] = [[] for _ in sizes]
    for pair, matched in query_seconds.items():
        owner, video = pair
        share = len(matched) / sizes[owner]
        covered = len(bank_frames[pair]) / int(layout.frame_counts[video])
        if share >= least_query and covered >= least_compared:
            found[owner].append(VideoHit(video, closest[pair], share, covered))
    for hits in found:
        hits.sort(key=lambda hit: (-hit.query_match, hit.distance, hit.video))
    return found
