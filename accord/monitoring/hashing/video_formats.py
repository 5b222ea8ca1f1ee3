"""Video bank files: vPDQ hash files, and videos in CSV or JSON lines.

- ``vpdq``: one video per file, one line per hashed frame,
  ``frame,quality,hash[,timestamp]``, as Meta's vpdq tools and
  python-threatexchange write them. Frames of quality below 50 are dropped.
- ``jsonl``: one video per line, ``{"frames": [...], "source": ...}``; a
  frame is a PDQ hex, or an object with ``hash`` and optional ``quality``
  (HMA's vPDQ JSON).
- ``csv``: one frame per row with a ``video`` column naming its video (any
  identifier: an MD5, a URL, our own key) and a ``hash`` column, plus
  optional ``quality`` and provenance columns. A video's provenance is that
  of its first row.

Exports write ``csv`` (``video`` = the bank's key) or ``jsonl``, so a bank
exported and imported again is unchanged. Every malformed line is refused
with a ``ReaderError`` naming file, line and reason, before anything is
added.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from accord.errors import InvalidData, ReaderError
from accord.monitoring.hashing.bank import Bank, Provenance
from accord.monitoring.hashing.formats import (
    PROVENANCE_FIELDS,
    BankFileFormat,
    ImportDefaults,
    LineError,
    ParsedEntries,
    ProvenanceReader,
    detect_format,
    file_records,
    text_field,
)
from accord.monitoring.hashing.pdq import PdqHash, lanes_to_hex, normalize_hex, pack_hex
from accord.monitoring.hashing.video import distinct_frames


@dataclass
class _Video:
    """One video as read: its frames and the line it started on."""

    line: int
    provenance: Provenance
    frames: list[PdqHash] = field(default_factory=list)


def read_video_entries(
    path: Path, fmt: BankFileFormat, defaults: ImportDefaults
) -> ParsedEntries:
    """Every video of the file, or a ``ReaderError`` for the first bad line."""
    if fmt is BankFileFormat.TE:
        raise ReaderError(path, "line 1", "the te format carries image hashes only")
    provenance_of = ProvenanceReader(defaults)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            videos = list(_videos(handle, fmt, provenance_of))
    except UnicodeDecodeError as exc:
        raise ReaderError(path, f"byte {exc.start}", "not UTF-8 text") from exc
    except LineError as exc:
        raise ReaderError(path, f"line {exc.line}", exc.reason) from exc
    if not videos:
        raise ReaderError(path, "line 1", "the file holds no videos")
    return _entries(path, videos)


def _videos(
    handle: TextIO, fmt: BankFileFormat, provenance_of: ProvenanceReader
) -> Iterator[_Video]:
    if fmt is BankFileFormat.VPDQ:
        yield _vpdq_file(handle, provenance_of)
        return
    if fmt is BankFileFormat.JSONL:
        for line, record in file_records(handle, fmt):
            yield _json_video(line, record, provenance_of)
        return
    yield from _csv_videos(handle, provenance_of)


def _vpdq_file(handle: TextIO, provenance_of: ProvenanceReader) -> _Video:
    video = _Video(1, provenance_of({}))
    for line, text in enumerate(handle, start=1):
        if not text.strip():
            continue
        fields = [part.strip() for part in text.split(",")]
        if len(fields) < 3 or not fields[0].isdigit():
            raise LineError(line, "expected frame,quality,hash[,timestamp]")
        try:
            video.frames.append(_frame(fields[2], fields[1]))
        except InvalidData as exc:
            raise LineError(line, exc.detail) from exc
    return video


def _frame(value: Any, quality: Any) -> PdqHash:
    if not isinstance(value, str):
        raise InvalidData("a frame hash must be a string")
    try:
        level = 100 if quality in (None, "") else int(quality)
    except (TypeError, ValueError) as exc:
        raise InvalidData(f"frame quality {quality!r} is not a number") from exc
    if not 0 <= level <= 100:
        raise InvalidData(f"frame quality {level} is outside 0-100")
    return PdqHash(normalize_hex(value), level)


def _json_video(
    line: int, record: Mapping[str, Any], provenance_of: ProvenanceReader
) -> _Video:
    frames = record.get("frames")
    if not isinstance(frames, list) or not frames:
        raise LineError(line, "expected a non-empty 'frames' list")
    try:
        video = _Video(line, provenance_of(record))
        for item in frames:
            if isinstance(item, Mapping):
                video.frames.append(_frame(item.get("hash"), item.get("quality")))
            else:
                video.frames.append(_frame(item, None))
    except InvalidData as exc:
        raise LineError(line, exc.detail) from exc
    return video


def _csv_videos(handle: TextIO, provenance_of: ProvenanceReader) -> Iterator[_Video]:
    reader = csv.DictReader(handle)
    header = [name.strip() for name in reader.fieldnames or []]
    if not {"video", "hash"} <= set(header):
        raise LineError(1, "header needs 'video' and 'hash' columns")
    reader.fieldnames = header
    videos: dict[str, _Video] = {}
    try:
        for record in reader:
            line = reader.line_num
            if None in record or None in record.values():
                raise LineError(line, f"expected {len(header)} fields")
            try:
                name = text_field(record, "video")
                if not name:
                    raise InvalidData("empty 'video' value")
                video = videos.get(name)
                if video is None:
                    video = videos[name] = _Video(line, provenance_of(record))
                video.frames.append(_frame(record["hash"], record.get("quality")))
            except InvalidData as exc:
                raise LineError(line, exc.detail) from exc
    except csv.Error as exc:
        raise LineError(reader.line_num, f"malformed CSV: {exc}") from exc
    yield from videos.values()


def _entries(path: Path, videos: list[_Video]) -> ParsedEntries:
    hexes: list[str] = []
    numbers: list[int] = []
    provenance: list[Provenance] = []
    for number, video in enumerate(videos):
        kept = distinct_frames(video.frames)
        if not kept:
            raise ReaderError(
                path,
                f"line {video.line}",
                "no frame of the video has PDQ quality 50 or more",
            )
        hexes.extend(kept)
        numbers.extend([number] * len(kept))
        provenance.extend([video.provenance] * len(kept))
    return ParsedEntries(
        pack_hex(hexes), provenance, videos=np.asarray(numbers, dtype=np.int32)
    )


def write_video_entries(bank: Bank, path: Path, fmt: BankFileFormat) -> int:
    """Write every video with its provenance; returns the number written."""
    if fmt not in (BankFileFormat.CSV, BankFileFormat.JSONL):
        raise InvalidData("video banks export as csv or jsonl")
    keys = bank.video_keys()
    frames = bank.video_frames()
    first_rows = bank.video_layout().first_rows
    with path.open("w", encoding="utf-8", newline="") as handle:
        if fmt is BankFileFormat.JSONL:
            for key, video, row in zip(keys, frames, first_rows, strict=True):
                prov = bank.provenance(int(row)).to_dict()
                record = {"key": key, "frames": video, **prov}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            columns = ["video", "hash", *PROVENANCE_FIELDS]
            table = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            table.writeheader()
            for key, video, row in zip(keys, frames, first_rows, strict=True):
                prov = bank.provenance(int(row)).to_dict()
                table.writerows({"video": key, "hash": h, **prov} for h in video)
    return len(keys)


def video_queries(path: Path, fmt: BankFileFormat | None = None) -> list[list[str]]:
    """The videos of a vPDQ, CSV or JSON-lines file as distinct frame hashes,
    for matching a video already hashed elsewhere (no vpdq needed)."""
    entries = read_video_entries(path, fmt or detect_format(path), _QUERY_DEFAULTS)
    hexes = lanes_to_hex(entries.rows)
    numbers = entries.videos if entries.videos is not None else np.zeros(0, np.int32)
    videos: list[list[str]] = [[] for _ in range(int(numbers.max(initial=-1)) + 1)]
    for row, number in enumerate(numbers.tolist()):
        videos[number].append(hexes[row])
    return videos


_QUERY_DEFAULTS = ImportDefaults(source="query", agency="", added="1970-01-01")
