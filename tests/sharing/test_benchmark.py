"""The sharing benchmark runs end to end on a small store."""

from __future__ import annotations

from benchmarks.sharing.exchange import run


def test_benchmark_reports_clean_exports_and_a_full_sync() -> None:
    result = run(110)
    assert result["stix_validator"]["errors"] == 0
    assert result["releasability_violations"] == 0
    sync = result["taxii_sync"]
    assert sync["imported_entities"] == result["export"]["stix"]["entities"] > 90
    assert sync["objects"] > sync["imported_entities"]
