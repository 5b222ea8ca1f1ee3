"""Quality and speed metrics over the outcomes of one matcher on one slice.

Definitions (the same for every matcher, so the numbers compare):

* recall@k: the expected entity is among the first k results;
* alert rate: the expected entity is returned with a score >= the matcher's
  alert threshold (anywhere in the top 10: an analyst sees every alert);
* hit@1 at threshold: the expected entity is first *and* alerts;
* false-alert rate: the top result of a non-listed name scores >= threshold;
* TPR at FPR <= 1 %: the share of positives whose expected entity scores
  above the lowest cut that keeps at most 1 % of negatives alerting (a
  positive not returned scores 0 and never counts);
* latency: nearest-rank percentiles of per-query wall time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Ranking = list[tuple[str, float]]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a matcher returned for one query, and how long it took."""

    expected: str | None
    ranking: Ranking
    seconds: float = 0.0
    candidates: tuple[str, ...] | None = None
    group: str = ""


def rank_of(outcome: Outcome) -> int | None:
    """1-based rank of the expected entity, None if not returned."""
    for rank, (entity_id, _) in enumerate(outcome.ranking, start=1):
        if entity_id == outcome.expected:
            return rank
    return None


def expected_score(outcome: Outcome) -> float:
    """The expected entity's score, 0.0 if it was not returned."""
    for entity_id, score in outcome.ranking:
        if entity_id == outcome.expected:
            return score
    return 0.0


def top_score(outcome: Outcome) -> float:
    return outcome.ranking[0][1] if outcome.ranking else 0.0


def _share(hits: int, total: int) -> float:
    return hits / total if total else 0.0


def recall_at_k(outcomes: Sequence[Outcome], k: int) -> float:
    ranks = [rank_of(o) for o in outcomes]
    return _share(sum(1 for r in ranks if r is not None and r <= k), len(ranks))


def alert_rate(outcomes: Sequence[Outcome], threshold: float) -> float:
    hits = sum(1 for o in outcomes if expected_score(o) >= threshold)
    return _share(hits, len(outcomes))


def hit1_at_threshold(outcomes: Sequence[Outcome], threshold: float) -> float:
    hits = sum(
        1 for o in outcomes if rank_of(o) == 1 and expected_score(o) >= threshold
    )
    return _share(hits, len(outcomes))


def false_alert_rate(outcomes: Sequence[Outcome], threshold: float) -> float:
    hits = sum(1 for o in outcomes if top_score(o) >= threshold)
    return _share(hits, len(outcomes))


def candidate_recall(outcomes: Sequence[Outcome]) -> float | None:
    """Share of positives whose entity was among the candidates scored, for
    matchers that expose their candidate stage."""
    known = [o for o in outcomes if o.candidates is not None]
    if not known:
        return None
    hits = sum(1 for o in known if o.expected in (o.candidates or ()))
    return _share(hits, len(known))


def fpr_cut(negative_scores: Sequence[float], max_fpr: float) -> float:
    """The lowest score a positive must beat so that at most ``max_fpr`` of
    negatives reach the cut.

    Allowing ``k = floor(max_fpr * n)`` negatives to alert, the cut sits at
    the (k+1)-th highest negative score; a positive alerts if it scores
    strictly above it. Never below 0: an unreturned positive never counts.
    """
    ordered = sorted(negative_scores, reverse=True)
    allowed = math.floor(max_fpr * len(ordered) + 1e-9)
    if allowed >= len(ordered):
        return 0.0
    return max(ordered[allowed], 0.0)


def tpr_at_fpr(
    positive_scores: Sequence[float],
    negative_scores: Sequence[float],
    max_fpr: float = 0.01,
) -> tuple[float, float]:
    """(recall, cut) at the best threshold keeping FPR <= ``max_fpr``."""
    cut = fpr_cut(negative_scores, max_fpr)
    hits = sum(1 for score in positive_scores if score > cut)
    return _share(hits, len(positive_scores)), cut


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(math.ceil(q / 100 * len(ordered)), 1)
    return ordered[rank - 1]


def positive_summary(outcomes: Sequence[Outcome], threshold: float) -> dict[str, float]:
    """Every positive-slice metric except TPR@FPR (which needs negatives)."""
    summary = {
        "n": len(outcomes),
        "recall_at_1": recall_at_k(outcomes, 1),
        "recall_at_10": recall_at_k(outcomes, 10),
        "alert_rate": alert_rate(outcomes, threshold),
        "hit1_at_threshold": hit1_at_threshold(outcomes, threshold),
    }
    found = candidate_recall(outcomes)
    if found is not None:
        summary["candidate_recall"] = found
    return summary


def negative_summary(outcomes: Sequence[Outcome], threshold: float) -> dict[str, float]:
    tops = [top_score(o) for o in outcomes]
    return {
        "n": len(outcomes),
        "false_alert_rate": false_alert_rate(outcomes, threshold),
        "top_score_p50": percentile(tops, 50),
        "top_score_p95": percentile(tops, 95),
    }


def speed_summary(seconds: Sequence[float], wall: float) -> dict[str, float]:
    """Throughput from the wall time of the whole query loop; latency from
    each query's own time."""
    return {
        "queries": len(seconds),
        "seconds": wall,
        "queries_per_s": len(seconds) / wall if wall else 0.0,
        "latency_p50_ms": percentile(seconds, 50) * 1000,
        "latency_p95_ms": percentile(seconds, 95) * 1000,
        "latency_max_ms": max(seconds, default=0.0) * 1000,
    }
