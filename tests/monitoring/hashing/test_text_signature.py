"""Text signatures: normalisation, stability, near-duplicate matching, LSH."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import InvalidData
from accord.monitoring.hashing.text import (
    NUM_PERM,
    SignatureIndex,
    band_shape,
    normalize_text,
    required_signature,
    signature,
    signature_from_hex,
    signature_to_hex,
    similarity,
)

# Neutral sentences: the tests need text, not propaganda.
BASE = (
    "The committee will meet on Tuesday at the town hall to discuss the new "
    "bridge, the budget for the library and the summer festival programme."
)
REWORDED = (
    "the committee will meet on tuesday, at the Town Hall, to discuss the new "
    "bridge; the budget for the library & the summer festival program!! "
    "https://example.org/minutes @clerk"
)
OTHER = (
    "Heavy rain is expected across the northern valleys overnight, with local "
    "flooding possible near rivers and on low roads until Thursday morning."
)


def test_normalisation_drops_noise_but_keeps_scripts() -> None:
    assert normalize_text("Héllo,  WORLD! https://t.me/x @someone") == "hello world"
    assert normalize_text("مَرْحَبًا ـــ بكم") == "مرحبا بكم"
    assert normalize_text("Привет, мир") == "привет мир"


def test_signature_is_pinned() -> None:
    """Signatures are exchanged between partners: the algorithm must not drift."""
    sig = signature("The quick brown fox jumps over the lazy dog.")
    assert sig is not None
    assert sig[:4].tolist() == [154808754, 318527636, 93778517, 17077781]


def test_near_duplicate_is_similar_and_unrelated_is_not() -> None:
    base, reworded, other = (required_signature(t) for t in (BASE, REWORDED, OTHER))
    scores = similarity(np.stack([reworded, other]), base)
    assert scores[0] >= 0.6
    assert scores[1] < 0.1


def test_short_text_has_no_signature() -> None:
    assert signature("too short") is None
    with pytest.raises(InvalidData, match="too short"):
        required_signature("  !!  short  ")


@settings(deadline=None)
@given(st.lists(st.integers(0, 2**32 - 1), min_size=NUM_PERM, max_size=NUM_PERM))
def test_hex_round_trip(values: list[int]) -> None:
    sig = np.array(values, dtype=np.uint32)
    assert np.array_equal(signature_from_hex(signature_to_hex(sig)), sig)


def test_bad_signature_hex_is_refused() -> None:
    with pytest.raises(InvalidData):
        signature_from_hex("00" * 10)


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.6, 0.8, 0.95])
def test_band_shape_catches_pairs_at_the_threshold(threshold: float) -> None:
    bands, rows = band_shape(threshold)
    assert bands * rows <= NUM_PERM
    assert 1 - (1 - threshold**rows) ** bands >= 0.99


def _variants(text: str, count: int, rng: np.random.Generator) -> list[str]:
    """Copies with a few words dropped or swapped, as reposts look."""
    words = text.split()
    out = []
    for _ in range(count):
        kept = [w for w in words if rng.random() > 0.08]
        if len(kept) > 3:
            i = int(rng.integers(0, len(kept) - 1))
            kept[i], kept[i + 1] = kept[i + 1], kept[i]
        out.append(" ".join(kept))
    return out


def test_lsh_finds_near_duplicates_among_many() -> None:
    rng = np.random.default_rng(11)
    vocabulary = [f"word{n}" for n in range(3000)]
    documents = [" ".join(rng.choice(vocabulary, 30)) for _ in range(400)]
    bank = np.stack([required_signature(d) for d in documents])
    index = SignatureIndex(bank, 0.6)
    found = 0
    trials = 0
    for row in range(0, 400, 20):
        for variant in _variants(documents[row], 3, rng):
            query = required_signature(variant)
            exact = similarity(bank, query)
            if exact[row] < 0.6:
                continue
            trials += 1
            hits = index.search(query)
            assert all(hit.similarity >= 0.6 for hit in hits)
            found += any(hit.row == row for hit in hits)
    assert trials >= 30
    assert found == trials


def test_index_refuses_bad_threshold() -> None:
    with pytest.raises(InvalidData):
        SignatureIndex(np.zeros((0, NUM_PERM), np.uint32), 0.0)
