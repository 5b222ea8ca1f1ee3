"""PDQ hashes: computing them from images, and their hex and lane forms.

PDQ is Meta's 256-bit perceptual image hash. Banks keep hashes as four
64-bit lanes (the first hex digit is the most significant bit of lane 0), so
the index can XOR and popcount whole words; the hex form is what partners
exchange. Hashing uses the ``pdqhash`` binding of the reference C++ code on
pixels decoded by Pillow; images whose quality is below 50 are refused, as
the PDQ authors recommend, because flat or tiny images hash alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pdqhash  # type: ignore[import-untyped]  # pdqhash ships no type hints
from PIL import Image, UnidentifiedImageError

from accord.errors import InvalidData, SourceError

HEX_DIGITS = 64
MIN_QUALITY = 50
DEFAULT_THRESHOLD = 31
_HEX = re.compile(r"[0-9a-f]{64}")

Lanes = npt.NDArray[np.uint64]


@dataclass(frozen=True, slots=True)
class PdqHash:
    """One image's hash with its quality (0-100)."""

    hex: str
    quality: int


def normalize_hex(value: str) -> str:
    """Lower-case 64-digit hex, or ``InvalidData`` saying what is wrong."""
    text = value.strip().lower()
    if not _HEX.fullmatch(text):
        raise InvalidData(f"not a PDQ hash (64 hex digits): {value[:80]!r}")
    return text


def is_pdq_hex(value: str) -> bool:
    return _HEX.fullmatch(value.strip().lower()) is not None


def hex_to_lanes(values: list[str]) -> Lanes:
    """``(N, 4)`` uint64 lanes of hex hashes, each validated first."""
    return pack_hex([normalize_hex(value) for value in values])


def pack_hex(normalized: list[str]) -> Lanes:
    """``(N, 4)`` lanes of hashes already through ``normalize_hex``."""
    if not normalized:
        return np.zeros((0, 4), dtype=np.uint64)
    raw = bytes.fromhex("".join(normalized))
    return np.frombuffer(raw, dtype=">u8").reshape(-1, 4).astype(np.uint64)


def lanes_to_hex(lanes: Lanes) -> list[str]:
    """Hex strings of ``(N, 4)`` lanes, in order."""
    raw = lanes.astype(">u8").tobytes()
    return [raw[i : i + 32].hex() for i in range(0, len(raw), 32)]


def bits_to_hex(bits: npt.NDArray[np.generic]) -> str:
    """Hex of pdqhash's 256-element bit vector, most significant bit first:
    the layout of the C++ reference's hex output."""
    packed = np.packbits(np.asarray(bits, dtype=np.uint8))
    return packed.tobytes().hex()


def hash_pixels(pixels: npt.NDArray[np.uint8]) -> PdqHash:
    """PDQ of an ``(H, W, 3)`` RGB array."""
    vector, quality = pdqhash.compute(pixels)
    return PdqHash(bits_to_hex(vector), int(quality))


def dihedral_hashes(pixels: npt.NDArray[np.uint8]) -> list[PdqHash]:
    """The hashes of all eight rotations and flips, for content that has
    been turned or mirrored (PDQ itself is not rotation-invariant)."""
    vectors, quality = pdqhash.compute_dihedral(pixels)
    return [PdqHash(bits_to_hex(vector), int(quality)) for vector in vectors]


def load_rgb(path: Path) -> npt.NDArray[np.uint8]:
    """Decoded RGB pixels, or ``SourceError`` naming the file."""
    try:
        with Image.open(path) as image:
            return np.asarray(image.convert("RGB"), dtype=np.uint8)
    except (OSError, UnidentifiedImageError) as exc:
        raise SourceError(f"{path}: not a readable image ({exc})") from exc


def hash_image_file(path: Path, *, min_quality: int = MIN_QUALITY) -> PdqHash:
    """PDQ of an image file; refuses hashes below ``min_quality``."""
    result = hash_pixels(load_rgb(path))
    if result.quality < min_quality:
        raise InvalidData(
            f"{path}: PDQ quality {result.quality} is below {min_quality}; "
            "the image is too flat or small to match reliably"
        )
    return result
