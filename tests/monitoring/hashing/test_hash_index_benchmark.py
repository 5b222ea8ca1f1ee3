"""The benchmark's own checks, on banks small enough for a unit test."""

from __future__ import annotations

import pytest

from benchmarks.monitoring.hash_index import measure_pdq, text_index


@pytest.mark.parametrize("distribution", ["random", "clustered", "biased", "extreme"])
def test_benchmark_compares_mih_with_the_scan(distribution: str) -> None:
    result = measure_pdq(3000, distribution, queries=64, scan_queries=16)
    assert result["same_hits_as_scan"] is True
    assert result["scan_hits_compared"] > 0
    assert result["index_bytes"] > 3000 * 32


def test_text_benchmark_recall() -> None:
    result = text_index(size=2000, queries=100)
    assert result["near_duplicates_at_or_above_threshold"] > 50
    assert result["recall"] >= 0.95
