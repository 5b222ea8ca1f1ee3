"""Training, thresholds, the model file, and scoring files without labels."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from accord.errors import InvalidData, SourceError
from accord.financing import service
from accord.financing.ledger import transactions_of
from accord.financing.scorer import (
    EARLY_STOP_EVERY,
    EARLY_STOP_MARGIN,
    ScoringModel,
    TrainingParams,
    best_threshold,
)
from accord.financing.watch import Watcher
from tests.financing.support import AMLSIM_2019_EXCERPT, AMLSIM_EXCERPT

FAST = TrainingParams(rounds=40, num_leaves=15, min_data_in_leaf=10)


@pytest.fixture(scope="module")
def model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:

    path = tmp_path_factory.mktemp("model") / "model.json"
    service.train_model(AMLSIM_EXCERPT, "amlsim", path, FAST)
    return path


def test_best_threshold_maximises_f1() -> None:
    labels = np.array([1, 1, 0, 1, 0, 0], dtype=np.int8)
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.2, 0.1])
    threshold, figures = best_threshold(labels, scores)
    assert threshold == 0.6
    assert figures["recall"] == 1.0
    assert figures["precision"] == 0.75


def test_best_threshold_never_splits_tied_scores() -> None:
    labels = np.array([1, 0, 0], dtype=np.int8)
    threshold, figures = best_threshold(labels, np.array([0.5, 0.5, 0.1]))
    assert threshold == 0.5
    assert figures["precision"] == 0.5


def test_training_finds_the_sar_transactions(model_path: Path, tmp_path: Path) -> None:

    model = ScoringModel.load(model_path)
    assert 0.0 < model.threshold < 1.0
    assert model.validation["f1"] > 0.3
    out = tmp_path / "scores.csv"
    scores = service.score_file(model_path, AMLSIM_EXCERPT, "amlsim", out)
    written = pl.read_csv(out, schema_overrides={"tran_id": pl.String})
    assert written.columns == ["tran_id", "score", "flagged"]
    assert written.height == 32_032
    labels = service.load(AMLSIM_EXCERPT, "amlsim")["label"]
    by_label = scores.with_columns(labels).group_by("label").agg(pl.col("score").mean())
    means = dict(by_label.iter_rows())
    assert means[1] > 5 * means[0]


def test_scoring_needs_no_label_column(model_path: Path, tmp_path: Path) -> None:

    scores = service.score_file(
        model_path, AMLSIM_2019_EXCERPT, "amlsim", tmp_path / "s.csv"
    )
    assert scores.height == 300
    assert set(scores["flagged"].unique().to_list()) <= {0, 1}


def test_a_model_for_other_features_is_refused(
    model_path: Path, tmp_path: Path
) -> None:
    document = json.loads(model_path.read_text())
    document["features"] = document["features"][:-1]
    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps(document))
    with pytest.raises(InvalidData, match="other features"):
        ScoringModel.load(stale)
    junk = tmp_path / "junk.json"
    junk.write_text("[]")
    with pytest.raises(SourceError):
        ScoringModel.load(junk)


def test_training_needs_labels(tmp_path: Path) -> None:

    with pytest.raises(InvalidData, match="no label column"):
        service.train_model(AMLSIM_2019_EXCERPT, "amlsim", tmp_path / "m.json", FAST)


def test_streaming_scores_equal_batch_scores(model_path: Path) -> None:

    model = ScoringModel.load(model_path)
    ledger = service.load(AMLSIM_EXCERPT, "amlsim").head(3_000)
    watcher = Watcher(model, batch_size=64)
    alerts = list(watcher.run(transactions_of(ledger)))
    batch = service.score_ledger(model, ledger)
    streamed = np.array([watcher.scores[t] for t in batch["tran_id"]])
    np.testing.assert_allclose(streamed, batch["score"].to_numpy(), rtol=1e-9)
    learned = {a.tran_ids[0] for a in alerts if a.typology == "learned_score"}
    assert learned == set(batch.filter(pl.col("flagged") == 1)["tran_id"].to_list())
    assert len(watcher.latencies) == 3_000


def test_early_stopped_scores_keep_the_flags(model_path: Path) -> None:
    """Cutting clear cases short must not move a row across the threshold."""
    model = ScoringModel.load(model_path)
    assert model.early_stop == (EARLY_STOP_EVERY, EARLY_STOP_MARGIN)
    _, matrix = service.feature_matrix(service.load(AMLSIM_EXCERPT, "amlsim"))
    # This small test model never reaches the default margin; a tight one
    # exercises the same mechanism.
    fast = ScoringModel(model.booster, model.threshold, early_stop=(5, 7.0))
    full = ScoringModel(model.booster, model.threshold, early_stop=(0, 0.0))
    fast, exact = fast.predict(matrix), full.predict(matrix)
    assert not np.array_equal(fast, exact)  # some rows really were cut short
    flips = (fast >= model.threshold) != (exact >= model.threshold)
    assert int(flips.sum()) <= len(matrix) // 1000


def test_a_model_file_without_early_stopping_scores_every_tree(
    model_path: Path, tmp_path: Path
) -> None:
    document = json.loads(model_path.read_text())
    del document["early_stop"]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(document))
    assert ScoringModel.load(old).early_stop == (0, 0.0)
