"""Financing benchmark: accord against plain LightGBM on window features.

Run:

    .venv/bin/python -m benchmarks.financing [--stream-limit N]
        [--quality-only] [--out PATH]

Trains both on the earlier 80 % (time order) of ``amlsim_tf_eval`` and
tests on the latest 20 %, with AMLSim's labels as generated; then again
with corrected labels (``labels.py``: AMLSim logs the payments of its
bipartite and stack alerts as normal), both models retrained on them
(``corrected.py``); then applies the first models, unchanged, to the three
``amlsim_samples_2019`` sets (another AMLSim version, seed and typology mix,
labelled by account); trains on each 2019 set and tests on the other two
(another seed and typology mix, same version); and measures batch and
streaming speed, unless ``--quality-only`` (the timings need a quiet
machine). Prints JSON and writes ``benchmarks/results/financing.json``, or
``--out``.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import polars as pl

from accord.financing.ledger import transactions_of
from accord.financing.scorer import ScoringModel, TrainingParams, train
from accord.financing.service import feature_matrix, load
from accord.financing.stream import is_compiled
from accord.financing.watch import Watcher
from benchmarks.financing.baseline import baseline_features, train_baseline
from benchmarks.financing.corrected import Split, corrected_evaluation
from benchmarks.financing.metrics import (
    account_level,
    false_positive_kinds,
    label_ceiling,
    prf,
    sar_accounts,
)

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "financing"
RESULTS = Path(__file__).resolve().parents[1] / "results" / "financing.json"
TEST_SHARE = 0.2
SAMPLES = ("20K_fanin200", "20K_cycle200", "20K_fanin200cycle200")


def evaluate(
    ledger: pl.DataFrame, scores: np.ndarray, threshold: float, bad: set[str]
) -> dict[str, Any]:
    flagged = scores >= threshold
    truth = ledger["label"].to_numpy() == 1
    return {
        "transaction": prf(truth, flagged),
        "account": account_level(ledger, flagged, bad),
    }


def on_samples(
    model: ScoringModel, booster: lgb.Booster, threshold: float
) -> dict[str, Any]:
    """Both models, trained on ``amlsim_tf_eval``, on AMLSim's 2019 samples."""
    results: dict[str, Any] = {}
    for name in SAMPLES:
        ledger, bad = _sample(name)
        results[name] = both_models(ledger, bad, model, booster, threshold)
    return results


def both_models(
    ledger: pl.DataFrame,
    bad: set[str],
    model: ScoringModel,
    booster: lgb.Booster,
    threshold: float,
) -> dict[str, Any]:
    """Accord's model and the baseline, each at its own threshold, on one
    labelled ledger."""
    baseline_scores = np.asarray(booster.predict(baseline_features(ledger)))
    return {
        "accord": evaluate(
            ledger, model.predict(feature_matrix(ledger)[1]), model.threshold, bad
        ),
        "baseline": evaluate(ledger, baseline_scores, threshold, bad),
    }


def early_stopping_effect(
    model: ScoringModel, matrix: np.ndarray, labels: np.ndarray
) -> dict[str, Any]:
    """How many test flags prediction early stopping moves, against scoring
    every tree, and the F1 both ways."""
    every_tree = ScoringModel(model.booster, model.threshold, early_stop=(0, 0.0))
    fast = model.predict(matrix) >= model.threshold
    full = every_tree.predict(matrix) >= model.threshold
    truth = labels == 1
    return {
        "setting": list(model.early_stop),
        "flags_moved": int((fast != full).sum()),
        "positives_moved": int(((fast != full) & truth).sum()),
        "f1_early_stopped": prf(truth, fast)["f1"],
        "f1_every_tree": prf(truth, full)["f1"],
    }


def _timed(step: Callable[[], object]) -> float:
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def _sample(name: str) -> tuple[pl.DataFrame, set[str]]:
    """A 2019 sample as a ledger whose label marks payments between two
    labelled accounts (the files label accounts only), and those accounts."""
    folder = DATA / "amlsim_samples_2019" / name
    ledger = load(folder / "transactions.csv.gz", "amlsim")
    nodes = pl.read_csv(folder / "nodes.csv.gz")
    bad = set(nodes.filter(pl.col("isFraud") == 1)["nodeid"].cast(pl.String))
    both = pl.col("orig").is_in(list(bad)) & pl.col("bene").is_in(list(bad))
    return ledger.with_columns(both.cast(pl.Int8).alias("label")), bad


def across_samples() -> dict[str, Any]:
    """Train on one 2019 sample, test on each other one: another seed and
    another typology mix (fan-in only, cycles only, both), same simulator
    version. Both models, same files, same thresholds rule."""
    samples = {name: _sample(name) for name in SAMPLES}
    results: dict[str, Any] = {}
    for trained_on, (ledger, _) in samples.items():
        labels = ledger["label"].to_numpy().astype(np.int8)
        model = train(feature_matrix(ledger)[1], labels, TrainingParams())
        booster, threshold = train_baseline(baseline_features(ledger), labels)
        for tested_on, (test, bad) in samples.items():
            if tested_on == trained_on:
                continue
            results[f"{trained_on} -> {tested_on}"] = both_models(
                test, bad, model, booster, threshold
            )
    return results


def batch_speed(
    path: Path, model: ScoringModel, booster: lgb.Booster, repeats: int = 3
) -> dict[str, Any]:
    """Each step ``repeats`` times, in turn; the best and median run of the
    whole scoring path are reported, since the shared machine's speed
    varies from run to run."""
    every_tree = ScoringModel(model.booster, model.threshold, early_stop=(0, 0.0))
    runs: list[dict[str, float]] = []
    ledger = load(path, "amlsim")
    matrix = feature_matrix(ledger)[1]
    for _ in range(repeats):
        runs.append(
            {
                "load": _timed(lambda: load(path, "amlsim")),
                "features": _timed(lambda: feature_matrix(ledger)),
                "predict": _timed(lambda: model.predict(matrix)),
                "every_tree": _timed(lambda: every_tree.predict(matrix)),
                "baseline": _timed(lambda: booster.predict(baseline_features(ledger))),
            }
        )
    n = ledger.height
    scoring = sorted(runs, key=lambda run: run["features"] + run["predict"])
    best, median = scoring[0], scoring[len(scoring) // 2]
    return {
        "transactions": n,
        "repeats": repeats,
        "load_seconds": round(median["load"], 2),
        "accord_features_seconds_best_median": [
            round(best["features"], 2),
            round(median["features"], 2),
        ],
        "accord_predict_seconds_best_median": [
            round(best["predict"], 2),
            round(median["predict"], 2),
        ],
        "accord_predict_every_tree_seconds": round(median["every_tree"], 2),
        "accord_score_tx_per_s_best_median": [
            round(n / (best["features"] + best["predict"])),
            round(n / (median["features"] + median["predict"])),
        ],
        "accord_load_and_score_tx_per_s_median": round(
            n / (median["load"] + median["features"] + median["predict"])
        ),
        "baseline_features_and_predict_tx_per_s_median": round(
            n / sorted(run["baseline"] for run in runs)[len(runs) // 2]
        ),
    }


def stream_speed(ledger: pl.DataFrame, model: ScoringModel) -> dict[str, Any]:
    rows = transactions_of(ledger)
    watcher = Watcher(model, batch_size=256)
    start = time.perf_counter()
    alerts = sum(1 for _ in watcher.run(rows))
    seconds = time.perf_counter() - start
    latency = np.array(watcher.latencies) * 1000
    return {
        "transactions": len(rows),
        "alerts": alerts,
        "tx_per_s": round(len(rows) / seconds),
        "latency_ms_p50": round(float(np.percentile(latency, 50)), 3),
        "latency_ms_p99": round(float(np.percentile(latency, 99)), 3),
        "batch_size": 256,
        "engine": "compiled (mypyc)" if is_compiled() else "source (interpreted)",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stream-limit", type=int, default=200_000)
    parser.add_argument(
        "--quality-only",
        action="store_true",
        help="skip the batch and streaming speed measurements",
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    path = DATA / "amlsim_tf_eval" / "transactions.csv.gz"
    ledger = load(path, "amlsim")
    labels = ledger["label"].to_numpy().astype(np.int8)
    cut = int(ledger.height * (1 - TEST_SHARE))
    _, ours = feature_matrix(ledger)
    theirs = baseline_features(ledger)
    start = time.perf_counter()
    model = train(ours[:cut], labels[:cut], TrainingParams())
    train_s = time.perf_counter() - start
    booster, threshold = train_baseline(theirs[:cut], labels[:cut])
    test = ledger.slice(cut)
    bad = sar_accounts(test)
    result: dict[str, Any] = {
        "machine": {"cpus": 2, "python": platform.python_version()},
        "split": {
            "train": cut,
            "test": test.height,
            "test_sar": int(labels[cut:].sum()),
        },
        "amlsim_tf_eval_test": {
            "accord": evaluate(test, model.predict(ours[cut:]), model.threshold, bad),
            "baseline": evaluate(
                test, np.asarray(booster.predict(theirs[cut:])), threshold, bad
            ),
        },
        "accord_false_positives": false_positive_kinds(
            test, model.predict(ours[cut:]) >= model.threshold, path.parent
        ),
        "label_ceiling": label_ceiling(test, path.parent),
        "accord_threshold": round(model.threshold, 4),
        "early_stopping": early_stopping_effect(model, ours[cut:], labels[cut:]),
        "accord_train_seconds": round(train_s, 1),
        "amlsim_tf_eval_corrected_labels": corrected_evaluation(
            Split(ledger, ours, theirs, cut), model, (booster, threshold), path.parent
        ),
        "amlsim_samples_2019": on_samples(model, booster, threshold),
        "across_2019_samples": across_samples(),
    }
    if args.quality_only:
        result["speed"] = "not measured (--quality-only)"
    else:
        result["batch"] = batch_speed(path, model, booster)
        result["stream"] = stream_speed(
            ledger.slice(ledger.height - args.stream_limit), model
        )
    text = json.dumps(result, indent=2)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
