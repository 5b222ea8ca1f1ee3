"""Command line: ``python -m benchmarks.screening [--list un|sdn|both]``.

Builds each list's evaluation set once, runs every matcher on it in its own
process, and prints one JSON object (also written to ``--out``). Progress
goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from benchmarks.screening.adapters import LOGIC_V2_THRESHOLD, YENTE_CANDIDATES
from benchmarks.screening.evalset import (
    DEFAULT_SEED,
    NEGATIVES,
    VARIANTS,
    EvalConfig,
    EvalSet,
    build_eval_set,
)
from benchmarks.screening.lists import READERS, ListUnavailable, list_names
from benchmarks.screening.runner import (
    LIMIT,
    WARMUP_QUERIES,
    run_isolated,
    summarise,
)

MATCHERS = ("accord", "logic-v2")
METHOD = {
    "queries_per_request_limit": LIMIT,
    "logic_v2_candidates": YENTE_CANDIDATES,
    "logic_v2_threshold": LOGIC_V2_THRESHOLD,
    "logic_v2_retrieval": "benchmarks.screening.blocking.NameBlocker (yente-style)",
    "accord_threshold": "ScreeningIndex.threshold",
    "isolation": "each matcher in its own spawned process, one after the other",
    "warmup_queries": WARMUP_QUERIES,
    "speed_first_seen_names": "only slices whose names no earlier slice asked",
}
PACKAGES = ("followthemoney", "nomenklatura", "rigour", "rapidfuzz")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.screening")
    parser.add_argument("--list", choices=("un", "sdn", "both"), default="un")
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    parser.add_argument(
        "--matchers",
        default=",".join(MATCHERS),
        help="comma-separated, from: " + ", ".join(MATCHERS),
    )
    parser.add_argument("--max-per-slice", type=int, default=2000)
    parser.add_argument("--negatives", type=int, default=2000)
    parser.add_argument("--seed", default=DEFAULT_SEED)
    return parser.parse_args(argv)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def environment() -> dict[str, Any]:
    versions: dict[str, str] = {}
    for package in PACKAGES:
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = "missing"
    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "packages": versions,
    }


def eval_set_report(eval_set: EvalSet, seconds: float) -> dict[str, Any]:
    return {
        "indexed_entities": len(eval_set.entities),
        "slice_sizes": eval_set.sizes(),
        "available_before_sampling": eval_set.available,
        "skipped_aliases": eval_set.skipped,
        "build_seconds": seconds,
    }


def run_matchers(eval_set: EvalSet, matchers: list[str]) -> dict[str, Any]:
    """Each matcher's summary, or why it could not run."""
    results: dict[str, Any] = {}
    for matcher in matchers:
        log(f"[{eval_set.list_name}] running {matcher}...")
        try:
            run = run_isolated(matcher, eval_set)
        except ImportError as exc:
            results[matcher] = {"unavailable": str(exc)}
            continue
        results[matcher] = summarise(run)
        log(f"[{eval_set.list_name}] {matcher}: {headline(results[matcher])}")
    return results


def headline(summary: dict[str, Any]) -> str:
    """One progress line: the numbers people ask for first."""
    slices = summary["slices"]
    recall = slices.get(VARIANTS, {}).get("recall_at_1", 0.0)
    fpr = slices.get(NEGATIVES, {}).get("false_alert_rate", 0.0)
    speed = summary["speed"]["queries_per_s"]
    return f"variants R@1 {recall:.3f}, FPR {fpr:.3f}, {speed:.0f} q/s"


def run_list(name: str, config: EvalConfig, matchers: list[str]) -> dict[str, Any]:
    """Read one list, build its eval set, run the matchers."""
    try:
        watchlist = READERS[name]()
    except ListUnavailable as exc:
        return {"unavailable": str(exc)}
    log(f"[{name}] {len(watchlist.entities)} screenable entities")
    start = time.perf_counter()
    eval_set = build_eval_set(name, watchlist.entities, config)
    report = eval_set_report(eval_set, time.perf_counter() - start)
    log(f"[{name}] eval set: {report['slice_sizes']}")
    return {
        "file": str(watchlist.path),
        "eval_set": report,
        "matchers": run_matchers(eval_set, matchers),
    }


def rounded(value: Any) -> Any:
    """Floats to 4 decimals, recursively, so the JSON stays readable."""
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {key: rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [rounded(item) for item in value]
    return value


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # The readers log every value FtM rejects (SDN: ~60 phone numbers);
    # the benchmark is not where to read them.
    logging.basicConfig(level=logging.ERROR)
    matchers = [m.strip() for m in args.matchers.split(",") if m.strip()]
    unknown = sorted(set(matchers) - set(MATCHERS))
    if unknown:
        log(f"unknown matcher(s): {', '.join(unknown)}")
        return 2
    config = EvalConfig(args.max_per_slice, args.negatives, args.seed)
    report = {
        "benchmark": "screening",
        "config": {
            "max_per_slice": config.max_per_slice,
            "negatives": config.negatives,
            "seed": config.seed,
        },
        "method": METHOD,
        "environment": environment(),
        "lists": {
            name: run_list(name, config, matchers) for name in list_names(args.list)
        },
    }
    text = json.dumps(rounded(report), indent=2, ensure_ascii=False)
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
