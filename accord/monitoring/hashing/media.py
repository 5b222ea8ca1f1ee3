"""The convention by which readers hand media hashes to the detector.

FtM entities carry no media bytes, and FtM has no property for perceptual
hashes (``contentHash`` is the SHA-1 Aleph uses to fetch a blob, so a PDQ
value there would break Aleph's archive lookups). A reader that has the
media file therefore hashes it and records the hashes in the Message's
``metadata`` property (FtM type ``json``) as ``{"pdq": ["<64 hex>", ...]}``,
and the distinct frame hashes of each attached video as ``{"vpdq": [["<64
hex>", ...], ...]}``. ``pdq_metadata`` builds the image value;
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
from accord.monitoring.hashing.video import (
    distinct_frames,
    hash_video_file,
    vpdq_available,
)

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


def hash_video_media(path: Path) -> list[str] | None:
    """Distinct frame hashes of an exported video, or None when it cannot be
    hashed here: vpdq is not installed, the file is not a readable video, or
    no frame is good enough to match on."""
    if not vpdq_available():
        return None
    try:
        frames = distinct_frames(hash_video_file(path))
    except AccordError:
        return None
    return frames or None


def media_pdq_hashes(entity: StatementEntity) -> list[str]:
    """PDQ hashes a reader recorded for the entity's media; malformed
    metadata is skipped, since the reader accepted it and it is not the
    detector's to reject."""
    found: set[str] = set()
    for data in _media_records(entity):
        found.update(_hexes(data.get(PDQ_KEY, [])))
    return sorted(found)


def media_videos(entity: StatementEntity) -> list[list[str]]:
    """The frame hashes of each video a reader recorded for the entity."""
    videos: list[list[str]] = []
    for data in _media_records(entity):
        items = data.get(VPDQ_KEY, [])
        for frames in items if isinstance(items, list) else []:
            kept = _hexes(frames)
            if kept and kept not in videos:
                videos.append(kept)
    return videos


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
