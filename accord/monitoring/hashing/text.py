"""Text signatures: MinHash over normalised character shingles, with LSH.

Partners can share the signature of a known propaganda text (a statement, a
target list, a call to attack) without sharing the text: a signature is 128
32-bit minima, from which the text cannot be read back. Two texts' Jaccard
similarity over their 5-character shingles is estimated by the share of
equal minima, so reworded, re-punctuated or re-spaced copies still match.

The algorithm is fixed and versioned (``SIGNATURE_ALGORITHM``) because
signatures are exchanged: a partner must compute the same numbers from the
same text. It is written out in numpy rather than taken from datasketch,
whose permutations depend on its version and scheme; every step is integer
arithmetic modulo 2^64 that any language reproduces:

1. normalise: NFKC, case-fold, drop URLs and @mentions, drop combining marks
   (diacritics, Arabic harakat) and tatweel, every other non-letter/digit
   becomes a space, runs of spaces collapse;
2. shingle: every run of 5 code points; shingle hash
   ``h = mix64(sum(cp[k] * P^(4-k)))`` with ``P = 1_000_003``;
3. permutation ``i`` (0..127): ``a_i = mix64(2i + 1) | 1``,
   ``b_i = mix64(2i + 2)``; minimum ``i`` is ``min((a_i * h + b_i) >> 32)``.

``mix64`` is the SplitMix64 finaliser.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.errors import InvalidData

SIGNATURE_ALGORITHM = "minhash-c5-128-v1"
NUM_PERM = 128
SHINGLE = 5
MIN_TEXT_CHARS = 20
DEFAULT_TEXT_THRESHOLD = 0.6
_PRIME = np.uint64(1_000_003)
_URL = re.compile(
    r"(?:https?://|www\.)\S+|\S+\.(?:com|org|net|me|io)/\S*", re.IGNORECASE
)
_MENTION = re.compile(r"@\w+")
_TATWEEL = "\u0640"

Signature = npt.NDArray[np.uint32]
Signatures = npt.NDArray[np.uint32]


def mix64(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """SplitMix64's finaliser: spreads every input bit over the output."""
    z = values.astype(np.uint64)
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _permutations() -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    index = np.arange(NUM_PERM, dtype=np.uint64)
    a = mix64(2 * index + np.uint64(1)) | np.uint64(1)
    b = mix64(2 * index + np.uint64(2))
    return a, b


_A, _B = _permutations()


def normalize_text(text: str) -> str:
    """The form signatures are computed on (step 1 of the algorithm)."""
    text = _MENTION.sub(" ", _URL.sub(" ", unicodedata.normalize("NFKC", text)))
    decomposed = unicodedata.normalize("NFD", text.casefold())
    kept = []
    for char in decomposed:
        if unicodedata.category(char) == "Mn" or char == _TATWEEL:
            continue
        kept.append(char if char.isalnum() else " ")
    return " ".join(unicodedata.normalize("NFC", "".join(kept)).split())


def shingle_hashes(normalized: str) -> npt.NDArray[np.uint64]:
    """64-bit hashes of every 5-code-point shingle (step 2)."""
    points = np.frombuffer(normalized.encode("utf-32-le"), dtype=np.uint32)
    points = points.astype(np.uint64)
    count = len(points) - SHINGLE + 1
    if count < 1:
        return np.zeros(0, dtype=np.uint64)
    combined = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(SHINGLE):
            combined = combined * _PRIME + points[offset : offset + count]
    return np.unique(mix64(combined))


def signature(text: str, *, min_chars: int = MIN_TEXT_CHARS) -> Signature | None:
    """The text's signature, or None when it is too short to be distinctive
    (short phrases such as slogans are shared by far too many posts)."""
    normalized = normalize_text(text)
    if len(normalized) < min_chars:
        return None
    hashes = shingle_hashes(normalized)
    with np.errstate(over="ignore"):
        permuted = hashes[:, None] * _A[None, :] + _B[None, :]
    minima: Signature = (permuted >> np.uint64(32)).min(axis=0).astype(np.uint32)
    return minima


def required_signature(text: str) -> Signature:
    """A signature for a bank entry, or ``InvalidData`` if the text is too short."""
    found = signature(text)
    if found is None:
        raise InvalidData(
            f"text too short for a signature: under {MIN_TEXT_CHARS} characters "
            "once normalised"
        )
    return found


def signature_to_hex(sig: Signature) -> str:
    return sig.astype(">u4").tobytes().hex()


def signature_from_hex(value: str) -> Signature:
    """A signature from its 1,024-digit hex form."""
    text = value.strip().lower()
    if len(text) != NUM_PERM * 8 or not re.fullmatch(r"[0-9a-f]+", text):
        raise InvalidData(f"not a {SIGNATURE_ALGORITHM} signature ({NUM_PERM * 8} hex)")
    return np.frombuffer(bytes.fromhex(text), dtype=">u4").astype(np.uint32)


def similarity(signatures: Signatures, query: Signature) -> npt.NDArray[np.float64]:
    """Estimated Jaccard similarity of each row with ``query``."""
    return np.asarray((signatures == query[None, :]).mean(axis=1), dtype=np.float64)


def band_shape(threshold: float) -> tuple[int, int]:
    """``(bands, rows)`` with the most rows per band that still makes a pair
    at exactly ``threshold`` a candidate with probability >= 0.99."""
    for rows in range(16, 0, -1):
        bands = NUM_PERM // rows
        if 1 - (1 - threshold**rows) ** bands >= 0.99:
            return bands, rows
    return NUM_PERM, 1


@dataclass(frozen=True, slots=True)
class TextHit:
    row: int
    similarity: float


class SignatureIndex:
    """Locality-sensitive hashing over signatures, verified exactly.

    Each band of ``rows`` minima is hashed to one 64-bit key; two texts
    become candidates when any band key agrees, and candidates are then
    kept only if their estimated similarity reaches the threshold. Keys are
    sorted arrays searched with ``searchsorted``, as the PDQ index does.
    """

    def __init__(self, signatures: Signatures, threshold: float) -> None:
        if not 0.0 < threshold <= 1.0:
            raise InvalidData(f"text threshold {threshold} is outside (0, 1]")
        self.signatures = signatures
        self.threshold = threshold
        self.bands, self.rows = band_shape(threshold)
        keys = self._band_keys(signatures)
        self.order = np.argsort(keys, axis=0, kind="stable")
        self.sorted_keys = np.take_along_axis(keys, self.order, axis=0)

    def _band_keys(self, signatures: Signatures) -> npt.NDArray[np.uint64]:
        used = signatures[:, : self.bands * self.rows].astype(np.uint64)
        shaped = used.reshape(len(signatures), self.bands, self.rows)
        weights = _A[: self.rows]
        with np.errstate(over="ignore"):
            combined = (shaped * weights[None, None, :]).sum(axis=2, dtype=np.uint64)
        return mix64(combined)

    def search(self, query: Signature) -> list[TextHit]:
        """Rows at or above the threshold, most similar first."""
        if len(self.signatures) == 0:
            return []
        keys = self._band_keys(query[None, :])[0]
        found: list[npt.NDArray[np.int64]] = []
        for band in range(self.bands):
            column = self.sorted_keys[:, band]
            lo = np.searchsorted(column, keys[band], side="left")
            hi = np.searchsorted(column, keys[band], side="right")
            found.append(self.order[lo:hi, band])
        candidates = np.unique(np.concatenate(found))
        if len(candidates) == 0:
            return []
        scores = similarity(self.signatures[candidates], query)
        keep = scores >= self.threshold
        hits = [
            TextHit(int(r), float(s))
            for r, s in zip(candidates[keep], scores[keep], strict=False)
        ]
        return sorted(hits, key=lambda hit: (-hit.similarity, hit.row))
