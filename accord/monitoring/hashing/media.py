"""The convention by which readers hand media hashes to the detector.

FtM entities carry no media bytes, and FtM has no property for perceptual
hashes (``contentHash`` is the SHA-1 Aleph uses to fetch a blob, so a PDQ
value there would break Aleph's archive lookups). A reader that has the
media file therefore hashes it and records the hashes in the Message's
``metadata`` property (FtM type ``json``) as ``{"pdq": ["<64 hex>", ...]}``.
``pdq_metadata`` builds that value; ``media_pdq_hashes`` reads it back.
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

MEDIA_PROPERTY = "metadata"
PDQ_KEY = "pdq"


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


def media_pdq_hashes(entity: StatementEntity) -> list[str]:
    """PDQ hashes a reader recorded for the entity's media; malformed
    metadata is skipped, since the reader accepted it and it is not the
    detector's to reject."""
    if MEDIA_PROPERTY not in entity.schema.properties:
        return []
    found: set[str] = set()
    for raw in entity.get(MEDIA_PROPERTY, quiet=True):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            continue
        values = data.get(PDQ_KEY, []) if isinstance(data, dict) else []
        values = [values] if isinstance(values, str) else values
        if isinstance(values, list):
            found.update(
                v.lower() for v in values if isinstance(v, str) and is_pdq_hex(v)
            )
    return sorted(found)
