"""The learned scorer: LightGBM over the causal features, with its threshold.

Training holds out the latest part of the training file, in time order, and
chooses the flagging threshold there (the F1-best one), never on the data a
user will evaluate on. The model file is one JSON document: the LightGBM
model text, the threshold, the feature names it was trained with, and the
validation figures, so a model trained with other features is refused
instead of silently scoring garbage.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import numpy.typing as npt

from accord.errors import InvalidData, SourceError
from accord.financing import features as ft

MODEL_FORMAT = "accord-finance-model/1"
VALIDATION_SHARE = 0.2
MIN_POSITIVES = 5
EXPLAINED = 10  # features, by gain, an explanation looks at
# LightGBM's prediction early stopping: every 20 trees, a row whose raw score
# (log-odds) is already beyond +-12 is not evaluated further. Nearly every
# payment is a clear negative after the first trees, so scoring does a
# fraction of the work. On AMLSim (300 trees, threshold near log-odds -2.4)
# it is 14x faster, changes 10 of 606,194 flags and leaves test F1 as it
# was. The margin must lie well beyond the threshold's log-odds; the
# benchmark reports how many flags it moves.
EARLY_STOP_EVERY = 20
EARLY_STOP_MARGIN = 12.0


@dataclass(frozen=True)
class TrainingParams:
    """LightGBM settings; the defaults were chosen on AMLSim's time split."""

    rounds: int = 300
    learning_rate: float = 0.05
    num_leaves: int = 127
    min_data_in_leaf: int = 50
    threads: int = 2
    seed: int = 7

    def lightgbm(self) -> dict[str, Any]:
        return {
            "objective": "binary",
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            "min_data_in_leaf": self.min_data_in_leaf,
            "min_sum_hessian_in_leaf": 1e-3,
            "feature_fraction": 0.8,
            "bagging_fraction": 0.8,
            "bagging_freq": 1,
            "num_threads": self.threads,
            "seed": self.seed,
            "deterministic": True,
            "verbose": -1,
        }


@dataclass
class ScoringModel:
    """A trained booster and the threshold at which it flags a transaction."""

    booster: lgb.Booster
    threshold: float
    features: tuple[str, ...] = ft.FEATURE_NAMES
    validation: dict[str, float] = field(default_factory=dict)
    typical: tuple[float, ...] = ()  # training medians, for explanations
    early_stop: tuple[int, float] = (EARLY_STOP_EVERY, EARLY_STOP_MARGIN)

    def predict(
        self, matrix: npt.NDArray[np.float64], threads: int = 0
    ) -> npt.NDArray[np.float64]:
        """Scores; ``threads=1`` avoids OpenMP start-up on small batches.

        Scores of clear cases are cut short (``EARLY_STOP_*``), the same way
        in batch and streaming, so both give the same score for a row.
        """
        every, margin = self.early_stop
        scores = self.booster.predict(
            matrix,
            num_threads=threads,
            pred_early_stop=every > 0,
            pred_early_stop_freq=max(every, 1),
            pred_early_stop_margin=margin,
        )
        return np.asarray(scores, dtype=np.float64)

    @cached_property
    def explained(self) -> npt.NDArray[np.intp]:
        """The columns of the model's main features, by gain, most first."""
        gain = self.booster.feature_importance("gain")
        return np.argsort(-gain)[:EXPLAINED]

    def explain(self, row: npt.NDArray[np.float64]) -> dict[str, float]:
        """How much each of the model's main features moves this row's score."""
        [reasons] = self.explain_rows(row[None, :])
        return reasons

    def explain_rows(self, rows: npt.NDArray[np.float64]) -> list[dict[str, float]]:
        """``explain`` for each row, in one prediction call.

        Occlusion: the score minus the score with that one feature set to
        its training median. TreeSHAP would be exact but costs ~15 ms a row
        on this model, too slow for a stream; this costs one small batch.
        """
        order = self.explained
        per_row = len(order) + 1
        variants = np.repeat(rows, per_row, axis=0)
        for n, index in enumerate(order, start=1):
            variants[n::per_row, index] = self.typical[index]
        scores = self.predict(variants, threads=1).reshape(len(rows), per_row)
        return [
            {
                self.features[i]: float(row_scores[0] - row_scores[n])
                for n, i in enumerate(order, 1)
            }
            for row_scores in scores
        ]

    def save(self, path: Path) -> None:
        document = {
            "format": MODEL_FORMAT,
            "threshold": self.threshold,
            "features": list(self.features),
            "validation": self.validation,
            "typical": list(self.typical),
            "early_stop": list(self.early_stop),
            "booster": self.booster.model_to_string(),
        }
        path.write_text(json.dumps(document), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> ScoringModel:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SourceError(f"{path}: not a readable model file: {exc}") from exc
        if not isinstance(document, dict) or document.get("format") != MODEL_FORMAT:
            raise SourceError(f"{path}: not an {MODEL_FORMAT} model file")
        if tuple(document["features"]) != ft.FEATURE_NAMES:
            raise InvalidData(
                f"{path}: the model was trained with other features; retrain it"
            )
        booster = lgb.Booster(model_str=document["booster"])
        return cls(
            booster,
            float(document["threshold"]),
            validation=document["validation"],
            typical=tuple(document["typical"]),
            early_stop=_early_stop(document.get("early_stop", [0, 0.0])),
        )


def _early_stop(value: object) -> tuple[int, float]:
    """The model file's early-stopping setting; absent means none."""
    if not isinstance(value, list) or len(value) != 2:
        raise SourceError(f"bad early_stop setting in the model file: {value!r}")
    every, margin = value
    return int(every), float(margin)


def best_threshold(
    labels: npt.NDArray[np.int8], scores: npt.NDArray[np.float64]
) -> tuple[float, dict[str, float]]:
    """The score threshold with the best F1, and precision/recall/F1 there."""
    order = np.argsort(-scores, kind="stable")
    ranked, hits = scores[order], labels[order].astype(np.float64)
    true_pos = np.cumsum(hits)
    precision = true_pos / np.arange(1, len(ranked) + 1)
    recall = true_pos / max(hits.sum(), 1.0)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    # Only cut between distinct scores, or ties would be split arbitrarily.
    distinct = np.append(ranked[1:] < ranked[:-1], True)
    best = int(np.argmax(np.where(distinct, f1, -1.0)))
    figures = {
        "precision": float(precision[best]),
        "recall": float(recall[best]),
        "f1": float(f1[best]),
    }
    return float(ranked[best]), figures


def train(
    matrix: npt.NDArray[np.float64],
    labels: npt.NDArray[np.int8],
    params: TrainingParams | None = None,
) -> ScoringModel:
    """Train on the earlier rows, choose the threshold on the latest ones.

    ``matrix`` rows must be in time order (as ``batch.compute_features``
    returns them).
    """
    params = params or TrainingParams()
    cut = int(len(labels) * (1.0 - VALIDATION_SHARE))
    for part, name in ((labels[:cut], "training"), (labels[cut:], "validation")):
        if int(part.sum()) < MIN_POSITIVES:
            raise InvalidData(
                f"the {name} part (time order) has {int(part.sum())} positive "
                f"labels; at least {MIN_POSITIVES} are needed"
            )
    data = lgb.Dataset(matrix[:cut], labels[:cut], feature_name=list(ft.FEATURE_NAMES))
    booster = lgb.train(params.lightgbm(), data, num_boost_round=params.rounds)
    typical = tuple(float(v) for v in np.median(matrix[:cut], axis=0))
    model = ScoringModel(booster, 0.0, typical=typical)
    threshold, figures = best_threshold(labels[cut:], model.predict(matrix[cut:]))
    model.threshold, model.validation = threshold, figures
    return model
