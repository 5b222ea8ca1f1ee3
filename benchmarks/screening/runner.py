"""Run one matcher over an evaluation set and summarise what it returned.

Each matcher runs in its own fresh (spawned) process, one after the other:
rigour, normality and nomenklatura memoise name analysis by string and by
entity id, so a matcher run second in a shared process would find the
query names already analysed and look faster than it is. The child gets
entities as plain dicts and rebuilds them without touching those caches.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from followthemoney import EntityProxy, model

from benchmarks.screening.adapters import ADAPTERS, MatcherAdapter
from benchmarks.screening.evalset import (
    CROSS,
    DIFFERENT_NAMES,
    NAME_ONLY_POSITIVES,
    NEGATIVE_SLICES,
    NEGATIVES,
    POSITIVE_SLICES,
    VARIANTS,
    EvalSet,
)
from benchmarks.screening.metrics import (
    Outcome,
    expected_score,
    negative_summary,
    percentile,
    positive_summary,
    speed_summary,
    top_score,
    tpr_at_fpr,
)
from benchmarks.screening.queries import EvalQuery, primary_name, query_schema

LIMIT = 10
WARMUP_QUERIES = 20
GROUPED_SLICES = (DIFFERENT_NAMES, CROSS)
# Slices whose names no earlier slice asked: the org and evidence slices
# repeat names, which rigour's string caches then answer faster.
FRESH_SLICES = (VARIANTS, DIFFERENT_NAMES, CROSS, NEGATIVES)
MAX_FPR = 0.01


@dataclass
class MatcherRun:
    """Raw outcomes of one matcher on one evaluation set."""

    matcher: str
    threshold: float
    build_seconds: float
    wall_seconds: float
    outcomes: dict[str, list[Outcome]]


def warmup_queries(entities: Sequence[EntityProxy]) -> list[EvalQuery]:
    """Listed primary names, under ids of their own, to load lazy data
    (ICU transliterators, rigour's taggers) before the clock starts."""
    queries: list[EvalQuery] = []
    for entity in entities:
        schema, name = query_schema(entity), primary_name(entity)
        if schema is not None and name is not None:
            queries.append(EvalQuery(f"warmup-{len(queries)}", name, schema, None))
        if len(queries) >= WARMUP_QUERIES:
            break
    return queries


def search_all(adapter: MatcherAdapter, queries: Sequence[EvalQuery]) -> list[Outcome]:
    """Every query of a slice, each timed on its own."""
    outcomes: list[Outcome] = []
    for query in queries:
        start = time.perf_counter()
        ranking = adapter.search(query, LIMIT)
        seconds = time.perf_counter() - start
        candidates = adapter.last_candidates()
        outcomes.append(
            Outcome(query.expected, ranking, seconds, candidates, query.group)
        )
    return outcomes


def run_matcher(
    name: str, entities: Sequence[EntityProxy], slices: dict[str, list[EvalQuery]]
) -> MatcherRun:
    """Build the matcher's index, warm it up, and answer every slice."""
    adapter: MatcherAdapter = ADAPTERS[name]()
    start = time.perf_counter()
    adapter.build(entities)
    build_seconds = time.perf_counter() - start
    for query in warmup_queries(entities):
        adapter.search(query, LIMIT)
    start = time.perf_counter()
    outcomes = {slice_: search_all(adapter, qs) for slice_, qs in slices.items()}
    wall = time.perf_counter() - start
    return MatcherRun(name, adapter.threshold, build_seconds, wall, outcomes)


def _child(
    name: str, entity_dicts: list[dict[str, Any]], slices: dict[str, list[EvalQuery]]
) -> MatcherRun:
    entities = [model.get_proxy(data) for data in entity_dicts]
    return run_matcher(name, entities, slices)


def run_isolated(name: str, eval_set: EvalSet) -> MatcherRun:
    """``run_matcher`` in a fresh spawned process (see the module docstring)."""
    dicts = [entity.to_dict() for entity in eval_set.entities]
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(_child, (name, dicts, eval_set.slices))


def _grouped(outcomes: dict[str, list[Outcome]]) -> dict[str, list[Outcome]]:
    """Sub-slices by group: overlap/disjoint different names, per script."""
    groups: dict[str, list[Outcome]] = {}
    for slice_ in GROUPED_SLICES:
        for outcome in outcomes.get(slice_, []):
            groups.setdefault(f"{slice_}:{outcome.group}", []).append(outcome)
    return dict(sorted(groups.items()))


def _tpr_table(run: MatcherRun) -> dict[str, dict[str, float]]:
    """TPR at FPR <= 1 % for each name-only positive slice."""
    negatives = [top_score(o) for o in run.outcomes.get(NEGATIVES, [])]
    table: dict[str, dict[str, float]] = {}
    for slice_ in NAME_ONLY_POSITIVES:
        positives = [expected_score(o) for o in run.outcomes.get(slice_, [])]
        if positives and negatives:
            tpr, cut = tpr_at_fpr(positives, negatives, MAX_FPR)
            table[slice_] = {"tpr": tpr, "score_cut": cut}
    return table


def _slice_speed(outcomes: Sequence[Outcome]) -> dict[str, float]:
    seconds = [o.seconds for o in outcomes]
    total = sum(seconds)
    return {
        "queries_per_s": len(seconds) / total if total else 0.0,
        "latency_p95_ms": percentile(seconds, 95) * 1000,
    }


def summarise(run: MatcherRun) -> dict[str, Any]:
    """Per-slice metrics, TPR at 1 % FPR, speed: the JSON of one matcher."""
    slices: dict[str, Any] = {}
    for slice_, outcomes in run.outcomes.items():
        if not outcomes:
            continue  # e.g. no cross-script names on the SDN list
        if slice_ in POSITIVE_SLICES:
            slices[slice_] = positive_summary(outcomes, run.threshold)
        elif slice_ in NEGATIVE_SLICES:
            slices[slice_] = negative_summary(outcomes, run.threshold)
    for group, outcomes in _grouped(run.outcomes).items():
        slices[group] = positive_summary(outcomes, run.threshold)
    for slice_, outcomes in run.outcomes.items():
        if slice_ in slices:
            slices[slice_].update(_slice_speed(outcomes))
    seconds = [o.seconds for outcomes in run.outcomes.values() for o in outcomes]
    fresh = [o.seconds for s in FRESH_SLICES for o in run.outcomes.get(s, [])]
    return {
        "threshold": run.threshold,
        "index_build_seconds": run.build_seconds,
        "speed": speed_summary(seconds, run.wall_seconds),
        "speed_first_seen_names": speed_summary(fresh, sum(fresh)),
        "tpr_at_fpr_1pct": _tpr_table(run),
        "slices": slices,
    }
