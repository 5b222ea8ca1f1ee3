"""The convention by which readers hand media hashes to the detector.

FtM entities carry no media bytes, and FtM has no property for perceptual
hashes (``contentHash`` is the SHA-1 Aleph uses to fetch a blob, so a PDQ
value there would break Aleph's archive lookups). A reader that has the
media file therefore hashes it and records the hashes in the Message's
``metadata`` property (FtM type ``json``) as ``{"pdq": ["<64 hex>", ...]}``,
and each attached video as its seconds of frame hashes, ``{"vpdq":
[[["<64 hex>", ...], ...], ...]}`` (a flat list of hashes is read as one
frame a second). ``pdq_metadata`` builds the image value;
``media_pdq_hashes`` and ``media_videos`` read them back.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from followthemoney import StatementEntity

from accord.errors import AccordError
from accord.monitoring.hashing.pdq import (
    MIN_QUALITY,
    PdqHash,
    hash_image_file,
    is_pdq_hex,
)
from accord.monitoring.hashing.video import QuerySeconds, as_seconds
from accord.monitoring.hashing.video_hashing import hash_video_query

MEDIA_PROPERTY = "metadata"
PDQ_KEY = "pdq"
VPDQ_KEY = "vpdq"


def pdq_metadata(hashes: Sequence[PdqHash]) -> str | None:
    """The ``metadata`` value for a message's media; None when no hash is
    good enough to match on (quality below 50)."""
    good = sorted({h.hex for h in hashes if h.quality >= MIN_QUALITY})
    return json.dumps({PDQ_KEY: good}) if good else None


def hash_media_file(path: Path) -> PdqHash | None:
    """PDQ of an exported photo, or None when it is missing, not an image
    or too flat to match (a video, a sticker, a file the export left out)."""
    try:
        return hash_image_file(path)
    except AccordError:
        return None


def hash_video_media(path: Path) -> QuerySeconds | None:
    """An exported video hashed for matching (``video_hashing``), or None
    when the file is not a readable video or no frame is good enough to
    match on."""
    try:
        return hash_video_query(path)
    except AccordError:
        return None


def media_pdq_hashes(entity: StatementEntity) -> list[str]:
    """PDQ hashes a reader recorded for the entity's media; malformed
    metadata is skipped, since the reader accepted it and it is not the
    detector's to reject."""
    found: set[str] = set()
    for data in _media_records(entity):
        found.update(_hexes(data.get(PDQ_KEY, [])))
    return sorted(found)


def media_videos(entity: StatementEntity) -> list[QuerySeconds]:
    """Each video a reader recorded for the entity, as its seconds of frame
    hashes; a flat list of hashes is read as one frame a second."""
    videos: list[QuerySeconds] = []
    for data in _media_records(entity):
        items = data.get(VPDQ_KEY, [])
        for video in items if isinstance(items, list) else []:
            kept = _seconds(video)
            if kept and kept not in videos:
                videos.append(kept)
    return videos


def _seconds(video: object) -> QuerySeconds:
    if not isinstance(video, list):
        return []
    if all(isinstance(item, str) for item in video):
        return as_seconds(_hexes(video))
    return [kept for second in video if (kept := _hexes(second))]


def _media_records(entity: StatementEntity) -> list[dict[str, object]]:
    if MEDIA_PROPERTY not in entity.schema.properties:
        return []
    records: list[dict[str, object]] = []
    for raw in entity.get(MEDIA_PROPERTY, quiet=True):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            continue
        if isinstance(data, dict):
            records.append(data)
    return records


def _hexes(values: object) -> list[str]:
    """The well-formed PDQ hex values of a metadata value, distinct, in order."""
    items = [values] if isinstance(values, str) else values
    if not isinstance(items, list):
        return []
    kept = (v.lower() for v in items if isinstance(v, str) and is_pdq_hex(v))
    return list(dict.fromkeys(kept))
