"""The multi-index hash index returns exactly what a linear scan returns."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import InvalidData
from accord.monitoring.hashing.mih import (
    MultiIndexHashIndex,
    RangeHits,
    default_substrings,
    linear_scan,
)
from accord.monitoring.hashing.pigeonhole import flip_masks, probe_radii


def _as_set(hits: RangeHits) -> set[tuple[int, int, int]]:
    return set(
        zip(hits.query.tolist(), hits.row.tolist(), hits.distance.tolist(), strict=True)
    )


def _flip(lanes: np.ndarray, bits: list[int]) -> np.ndarray:
    flipped = lanes.copy()
    for bit in bits:
        flipped[bit // 64] ^= np.uint64(1) << np.uint64(63 - bit % 64)
    return flipped


@st.composite
def banks_and_queries(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Random hashes, clusters of near-duplicates, and queries near both."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    size = draw(st.integers(1, 300))
    bank = rng.integers(0, 2**64 - 1, size=(size, 4), dtype=np.uint64, endpoint=True)
    clusters = draw(st.integers(0, 5))
    for _ in range(clusters):
        centre = bank[rng.integers(0, size)]
        members = [
            _flip(centre, rng.choice(256, rng.integers(0, 40), replace=False).tolist())
            for _ in range(10)
        ]
        bank = np.vstack([bank, np.array(members, dtype=np.uint64)])
    queries = []
    for _ in range(draw(st.integers(1, 12))):
        if rng.random() < 0.7:
            base = bank[rng.integers(0, len(bank))]
            flips = rng.choice(256, rng.integers(0, 48), replace=False).tolist()
            queries.append(_flip(base, flips))
        else:
            queries.append(
                rng.integers(0, 2**64 - 1, size=4, dtype=np.uint64, endpoint=True)
            )
    radius = draw(st.sampled_from([0, 1, 5, 11, 12, 16, 24, 31, 40]))
    substrings = draw(st.sampled_from([12, 16, 20]))
    return bank, np.array(queries, dtype=np.uint64), radius, substrings


@settings(max_examples=100, deadline=None)
@given(banks_and_queries())
def test_mih_equals_linear_scan(case: tuple[np.ndarray, np.ndarray, int, int]) -> None:
    bank, queries, radius, substrings = case
    index = MultiIndexHashIndex(bank, substrings, scan_share=math.inf)
    found = index.search(queries, radius)
    expected = linear_scan(bank, queries, radius)
    assert _as_set(found) == _as_set(expected)
    assert len(found.row) == len(
        set(zip(found.query.tolist(), found.row.tolist(), strict=True))
    )


def test_results_sorted_by_query_then_distance() -> None:
    rng = np.random.default_rng(3)
    bank = rng.integers(0, 2**64 - 1, size=(500, 4), dtype=np.uint64, endpoint=True)
    queries = np.vstack([_flip(bank[7], [1, 2, 3]), _flip(bank[9], [200])])
    hits = MultiIndexHashIndex(bank, scan_share=math.inf).search(queries, 31)
    assert hits.query.tolist() == [0, 1]
    assert hits.row.tolist() == [7, 9]
    assert hits.distance.tolist() == [3, 1]
    rows, distances = hits.for_query(1)
    assert rows.tolist() == [9] and distances.tolist() == [1]


def test_single_hash_bank_matches() -> None:
    """HMA issue #1318: a bank with one hash returned nothing."""
    bank = np.array([[1, 2, 3, 4]], dtype=np.uint64)
    hits = MultiIndexHashIndex(bank).search(_flip(bank[0], [0, 100])[None, :], 31)
    assert hits.row.tolist() == [0]
    assert hits.distance.tolist() == [2]


def test_empty_bank_and_empty_queries() -> None:
    empty = np.zeros((0, 4), dtype=np.uint64)
    assert (
        len(MultiIndexHashIndex(empty).search(np.ones((2, 4), np.uint64), 31).row) == 0
    )
    bank = np.ones((3, 4), dtype=np.uint64)
    assert len(MultiIndexHashIndex(bank).search(empty, 31).row) == 0


def test_refuses_bad_input() -> None:
    with pytest.raises(InvalidData):
        MultiIndexHashIndex(np.zeros((3, 4), dtype=np.int64))  # type: ignore[arg-type]
    with pytest.raises(InvalidData):
        MultiIndexHashIndex(np.zeros((3, 4), dtype=np.uint64), substrings=8)
    with pytest.raises(InvalidData):
        MultiIndexHashIndex(np.zeros((3, 4), dtype=np.uint64)).search(
            np.zeros((1, 4), np.uint64), -1
        )


@settings(deadline=None)
@given(st.integers(0, 80), st.sampled_from([12, 16, 20]))
def test_probe_radii_keep_the_pigeonhole_guarantee(radius: int, count: int) -> None:
    widths = [64 // (count // 4)] * count
    radii = probe_radii(widths, radius, 10_000_000)
    assert sum(t + 1 for t in radii) >= radius + 1
    assert min(radii) >= -1


def test_probe_radii_at_hma_threshold_lower_some_tables() -> None:
    radii = probe_radii([22, 21, 21] * 4, 31, 10_000_000)
    assert sorted(radii) == [1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2]
    assert probe_radii([16] * 16, 0, 1000).count(0) == 1


def test_flip_masks_count_and_weight() -> None:
    masks = flip_masks(16, 2)
    assert len(masks) == 1 + 16 + 120
    assert len(set(masks.tolist())) == len(masks)
    assert max(int(m).bit_count() for m in masks) == 2


def test_default_substrings_follow_bank_size() -> None:
    assert default_substrings(1) == 16
    assert default_substrings(10_000) == 16
    assert default_substrings(10_000_000) == 12


def test_wide_radius_falls_back_to_scan_with_same_answer() -> None:
    rng = np.random.default_rng(5)
    bank = rng.integers(0, 2**64 - 1, size=(200, 4), dtype=np.uint64, endpoint=True)
    queries = bank[:3]
    index = MultiIndexHashIndex(bank)
    assert _as_set(index.search(queries, 120)) == _as_set(
        linear_scan(bank, queries, 120)
    )
