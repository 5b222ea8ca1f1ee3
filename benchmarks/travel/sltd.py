"""SLTD-style lookup latency against a large list of lost/stolen documents.

Builds a ``DocumentIndex`` of N synthetic listings (10 million by default,
the order of INTERPOL's SLTD), then times single lookups one by one, as a
border post makes them: about 1 in 100 queries is a hit, the rest miss;
numbers come with spacing and lower case, states as ICAO alpha-3 codes, so
normalisation is inside the timing.
"""

from __future__ import annotations

import random
import resource
import time
from typing import Any

from accord.travel.checks import DocumentHit, DocumentIndex, DocumentStatus

_STATES = {"GBR": "gb", "FRA": "fr", "DEU": "de", "D": "de", "TUR": "tr", "SYR": "sy"}
_ALNUM = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
_STATUSES = (DocumentStatus.STOLEN, DocumentStatus.LOST, DocumentStatus.REVOKED)


def _number(rng: random.Random) -> str:
    return "".join(rng.choices(_ALNUM, k=9))


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(size: int, seed: int = 7) -> tuple[DocumentIndex, list[tuple[str, str]]]:
    """The index, and a sample of listed (number, alpha-3 state) for hits."""
    rng = random.Random(seed)
    states = list(_STATES)
    index = DocumentIndex()
    listed: list[tuple[str, str]] = []
    for position in range(size):
        number, state = _number(rng), rng.choice(states)
        status = _STATUSES[position % 3]
        hit = DocumentHit(
            number, _STATES[state], status, "sltd", f"d{position}", "Passport"
        )
        index.add_hit(hit)
        if position % 1000 == 0:
            listed.append((number, state))
    return index, listed


def _percentile(sorted_values: list[float], share: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(share * len(sorted_values)))]


def run(size: int = 10_000_000, lookups: int = 200_000) -> dict[str, Any]:
    rss_before = _rss_mib()
    start = time.perf_counter()
    index, listed = build(size)
    build_s = time.perf_counter() - start
    rss_after = _rss_mib()
    rng = random.Random(11)
    latencies: list[float] = []
    hits = 0
    for query in range(lookups):
        if query % 100 == 0:
            number, state = rng.choice(listed)
            asked = f"{number[:4].lower()} {number[4:]}"  # as typed at a desk
        else:
            asked, state = _number(rng), rng.choice(list(_STATES))
        began = time.perf_counter_ns()
        found = index.check(asked, state)
        latencies.append((time.perf_counter_ns() - began) / 1000)
        hits += found is not None
    latencies.sort()
    return {
        "listed_documents": len(index),
        "build_seconds": round(build_s, 1),
        "index_rss_mib": round(rss_after - rss_before),
        "lookups": lookups,
        "hits": hits,
        "expected_hits": lookups // 100,
        "latency_us_p50": round(_percentile(latencies, 0.50), 2),
        "latency_us_p95": round(_percentile(latencies, 0.95), 2),
        "latency_us_p99": round(_percentile(latencies, 0.99), 2),
        "latency_us_max": round(latencies[-1], 1),
    }
