"""Metric functions on toy rankings with answers worked out by hand."""

from __future__ import annotations

import pytest

from benchmarks.screening.metrics import (
    Outcome,
    alert_rate,
    candidate_recall,
    expected_score,
    false_alert_rate,
    fpr_cut,
    hit1_at_threshold,
    negative_summary,
    percentile,
    positive_summary,
    rank_of,
    recall_at_k,
    speed_summary,
    top_score,
    tpr_at_fpr,
)

# Expected entity "a" at rank 1, 2, 11 and not returned.
POSITIVES = [
    Outcome("a", [("a", 0.9), ("b", 0.5)]),
    Outcome("a", [("b", 0.8), ("a", 0.75)]),
    Outcome("a", [(f"x{i}", 0.5) for i in range(10)] + [("a", 0.4)]),
    Outcome("a", [("b", 0.95)]),
]
NEGATIVES = [
    Outcome(None, [("b", 0.95)]),
    Outcome(None, [("c", 0.7), ("d", 0.2)]),
    Outcome(None, [("e", 0.3)]),
    Outcome(None, []),
]


def test_rank_and_scores() -> None:
    assert [rank_of(o) for o in POSITIVES] == [1, 2, 11, None]
    assert [expected_score(o) for o in POSITIVES] == [0.9, 0.75, 0.4, 0.0]
    assert [top_score(o) for o in NEGATIVES] == [0.95, 0.7, 0.3, 0.0]


def test_recall_at_k() -> None:
    assert recall_at_k(POSITIVES, 1) == 0.25
    assert recall_at_k(POSITIVES, 2) == 0.5
    assert recall_at_k(POSITIVES, 10) == 0.5
    assert recall_at_k(POSITIVES, 11) == 0.75
    assert recall_at_k([], 1) == 0.0


def test_alert_rates_use_the_threshold_inclusively() -> None:
    assert alert_rate(POSITIVES, 0.75) == 0.5  # 0.9 and 0.75
    assert hit1_at_threshold(POSITIVES, 0.75) == 0.25  # only rank 1 counts
    assert false_alert_rate(NEGATIVES, 0.7) == 0.5
    assert false_alert_rate(NEGATIVES, 0.96) == 0.0


def test_fpr_cut_allows_floor_of_max_fpr_negatives() -> None:
    negatives = [i / 100 for i in range(100)]  # 0.00 .. 0.99
    assert fpr_cut(negatives, 0.01) == 0.98  # only 0.99 may reach the cut
    assert fpr_cut(negatives, 0.05) == 0.94
    assert fpr_cut(negatives, 0.0) == 0.99
    assert fpr_cut([0.5, 0.4], 0.01) == 0.5  # fewer than 100: none may alert
    assert fpr_cut([], 0.01) == 0.0


def test_tpr_at_fpr() -> None:
    negatives = [i / 100 for i in range(100)]
    tpr, cut = tpr_at_fpr([0.985, 0.98, 0.5, 1.0], negatives, 0.01)
    assert cut == 0.98
    assert tpr == 0.5  # 0.985 and 1.0 are strictly above the cut


def test_tpr_at_fpr_never_counts_unreturned_positives() -> None:
    tpr, cut = tpr_at_fpr([0.0, 0.2], [0.0] * 50, 0.01)
    assert cut == 0.0
    assert tpr == 0.5


def test_tpr_with_tied_negatives_is_conservative() -> None:
    # 200 negatives, 2 may alert; the 3rd highest is tied with the top two.
    negatives = [0.9, 0.9, 0.9] + [0.1] * 197
    tpr, cut = tpr_at_fpr([0.9, 0.95], negatives, 0.01)
    assert cut == 0.9
    assert tpr == 0.5


def test_candidate_recall() -> None:
    outcomes = [
        Outcome("a", [], candidates=("a", "b")),
        Outcome("a", [], candidates=("b",)),
    ]
    assert candidate_recall(outcomes) == 0.5
    assert candidate_recall(POSITIVES) is None


def test_percentile_is_nearest_rank() -> None:
    values = [float(i) for i in range(1, 101)]
    assert percentile(values, 95) == 95.0
    assert percentile(values, 50) == 50.0
    assert percentile(values, 100) == 100.0
    assert percentile([3.0], 95) == 3.0
    assert percentile([], 95) == 0.0


def test_summaries() -> None:
    summary = positive_summary(POSITIVES, 0.7)
    assert summary["n"] == 4
    assert summary["recall_at_10"] == 0.5
    assert "candidate_recall" not in summary
    assert negative_summary(NEGATIVES, 0.7)["false_alert_rate"] == 0.5
    speed = speed_summary([0.01, 0.03], wall=0.05)
    assert speed["queries_per_s"] == pytest.approx(40.0)
    assert speed["latency_p95_ms"] == pytest.approx(30.0)
