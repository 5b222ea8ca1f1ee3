"""The propaganda classifier: a linear model over hashed n-grams and cues.

A linear model is the right size for the job: it scores tens of thousands of
posts a second on one core, it ships as a small file inside the package,
users can retrain it on their own labels in seconds, and every score can be
explained by the n-grams and cues that pushed it up. The decision
threshold is chosen on the training data by grouped cross-validation
(grouped by author when authors are given), so it is not tuned on the posts
it will be judged on. The same held-out margins calibrate the scores (Platt
scaling): balanced class weights push every margin towards the rare class,
so the raw sigmoid overstates how likely a flag is to be right; the
calibrated score estimates that chance at the training data's prevalence.
When authors are given and asked for, the held-out scores also fit the
author context (``context``): how a post's score combines with its author's
other posts.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse  # type: ignore[import-untyped]  # scipy ships no stubs
from sklearn.linear_model import (  # type: ignore[import-untyped]  # no stubs
    LogisticRegression,
)
from sklearn.model_selection import GroupKFold  # type: ignore[import-untyped]

from accord.errors import InvalidData, SourceError
from accord.monitoring.context import (
    AuthorContext,
    best_f1_threshold,
    fit_author_context,
)
from accord.monitoring.features import FeatureConfig, Featuriser
from accord.monitoring.text import normalise

DEFAULT_MODEL = "propaganda.npz"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class TrainConfig:
    features: FeatureConfig = field(default_factory=FeatureConfig)
    regularisation: float = 0.5
    threshold_folds: int = 3
    idf: bool = True
    author_context: bool = False
    """Also fit the author context (``context``) when authors are given. Off
    by default: it lifts ranking within one source, and lowers it across
    time and sources (docs/monitoring.md, measured)."""


@dataclass(frozen=True, slots=True)
class Contribution:
    """One reason behind a score: an n-gram or a cue and its weight."""

    name: str
    weight: float


class PropagandaModel:
    """Weights, bias and threshold over a fixed ``FeatureConfig``."""

    def __init__(
        self,
        config: FeatureConfig,
        weights: np.ndarray,
        bias: float,
        threshold: float,
        calibration: tuple[float, float] = (1.0, 0.0),
        context: AuthorContext | None = None,
    ) -> None:
        self.config = config
        self.weights = weights.astype(np.float32)
        self.bias = float(bias)
        self.threshold = float(threshold)
        self.calibration = (float(calibration[0]), float(calibration[1]))
        self.context = context
        self.info: dict[str, Any] = {}
        self.featuriser = Featuriser(config)

    def margins(self, texts: Sequence[str]) -> np.ndarray:
        normalised = [normalise(text) for text in texts]
        base = 1 << self.config.bits
        grams = self.featuriser.ngram_matrix(normalised) @ self.weights[:base]
        cues = self.featuriser.cue_matrix(normalised) @ self.weights[base:]
        margins: np.ndarray = np.asarray(grams + cues, dtype=np.float64)
        return margins + self.bias

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated scores in [0, 1], one per text."""
        slope, intercept = self.calibration
        logits = slope * self.margins(texts) + intercept
        scores: np.ndarray = 1.0 / (1.0 + np.exp(-logits))
        return scores

    def in_context(self, text_scores: np.ndarray, authors: Sequence[str]) -> np.ndarray:
        """Text scores weighed with their authors' other posts, when the
        model has an author context; the text scores as they are otherwise.
        Flag them at ``flag_threshold``."""
        if self.context is None:
            return text_scores
        return self.context.scores(text_scores, authors)

    @property
    def flag_threshold(self) -> float:
        """The threshold for ``in_context`` scores."""
        return self.context.threshold if self.context is not None else self.threshold

    def explain(self, text: str, top: int = 5) -> list[Contribution]:
        """The n-grams and cues that raised this text's score the most."""
        normalised = normalise(text)
        row = self.featuriser.transform([normalised])
        values = dict(zip(row.indices.tolist(), row.data.tolist(), strict=True))
        names = self._column_names(normalised)
        contributions = [
            Contribution(
                names.get(column, f"column {column}"),
                value * float(self.weights[column]),
            )
            for column, value in values.items()
        ]
        contributions.sort(key=lambda item: -item.weight)
        return [item for item in contributions[:top] if item.weight > 0]

    def _column_names(self, normalised: str) -> dict[int, str]:
        padded = f" {normalised} "
        names: dict[int, str] = {}
        for size in self.config.ngrams:
            for start in range(len(padded) - size + 1):
                gram = padded[start : start + size]
                names.setdefault(self.featuriser.ngram_index(gram), f"ngram {gram!r}")
        base = 1 << self.config.bits
        for offset, cue in enumerate(self.config.cues):
            names[base + offset] = f"cue {cue}"
        return names

    def save(self, path: Path) -> None:
        """Only non-zero weights are written: unseen hash buckets stay zero."""
        nonzero = np.flatnonzero(self.weights)
        header = {
            "format": FORMAT_VERSION,
            "features": asdict(self.config),
            "bias": self.bias,
            "threshold": self.threshold,
            "calibration": list(self.calibration),
            "info": self.info,
        }
        if self.context is not None:
            header["context"] = self.context.to_dict()
        with path.open("wb") as handle:
            np.savez_compressed(
                handle,
                header=np.frombuffer(
                    json.dumps(header).encode("utf-8"), dtype=np.uint8
                ),
                indices=nonzero.astype(np.int32),
                values=self.weights[nonzero].astype(np.float16),
            )

    @classmethod
    def load(cls, path: Path) -> PropagandaModel:
        try:
            with np.load(path, allow_pickle=False) as data:
                header = json.loads(data["header"].tobytes().decode("utf-8"))
                indices, values = data["indices"], data["values"]
        except (OSError, ValueError, KeyError) as exc:
            raise SourceError(f"{path}: not a propaganda model: {exc}") from exc
        if header.get("format") != FORMAT_VERSION:
            raise SourceError(
                f"{path}: model format {header.get('format')} is not supported"
            )
        features = header["features"]
        config = FeatureConfig(
            bits=int(features["bits"]),
            ngrams=tuple(features["ngrams"]),
            cue_weight=float(features["cue_weight"]),
            # models saved before the stance columns existed have none
            stance=bool(features.get("stance", False)),
        )
        weights = np.zeros(config.width, dtype=np.float32)
        weights[indices] = values.astype(np.float32)
        slope, intercept = header.get("calibration", (1.0, 0.0))
        try:
            # models saved before author context have none
            context = (
                AuthorContext.from_dict(header["context"])
                if "context" in header
                else None
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise SourceError(f"{path}: unreadable author context: {exc}") from exc
        model = cls(
            config,
            weights,
            header["bias"],
            header["threshold"],
            (slope, intercept),
            context,
        )
        model.info.update(header.get("info") or {})
        return model


def default_model_path() -> Path:
    return Path(str(files("accord.monitoring.models").joinpath(DEFAULT_MODEL)))


def load_default_model() -> PropagandaModel:
    return PropagandaModel.load(default_model_path())


def train(
    texts: Sequence[str],
    labels: Sequence[int],
    groups: Sequence[str] | None = None,
    config: TrainConfig | None = None,
) -> PropagandaModel:
    """Fit on all of ``texts``; pick the threshold by grouped cross-validation.

    ``groups`` are the posts' authors (accounts), when known: they are held
    out together, and with ``config.author_context`` they teach the author
    context."""
    config = config or TrainConfig()
    target = np.asarray(labels, dtype=np.int64)
    _check_labels(target)
    featuriser = Featuriser(config.features)
    matrix = featuriser.transform([normalise(text) for text in texts])
    scale = inverse_document_frequency(matrix) if config.idf else None
    if scale is not None:
        matrix = matrix @ sparse.diags(scale)
    groups_array = np.asarray(groups if groups is not None else range(len(texts)))
    margins = _held_out_margins(matrix, target, groups_array, config)
    calibration = platt(target, margins) if margins is not None else (1.0, 0.0)
    threshold = 0.5
    context = None
    if margins is not None:
        slope, intercept = calibration
        calibrated = 1.0 / (1.0 + np.exp(-(slope * margins + intercept)))
        threshold = best_f1_threshold(target, calibrated)
        if groups is not None and config.author_context:
            authors = [str(group) for group in groups]
            context = fit_author_context(calibrated, authors, target)
    fitted = _fit(matrix, target, config)
    weights = fitted.coef_[0] * scale if scale is not None else fitted.coef_[0]
    model = PropagandaModel(
        config.features,
        weights,
        float(fitted.intercept_[0]),
        threshold,
        calibration,
        context,
    )
    model.info.update(posts=len(target), positives=int(target.sum()))
    return model


def inverse_document_frequency(matrix: Any) -> np.ndarray:
    """Smoothed IDF per column, as TF-IDF uses. It is folded into the
    weights after fitting (a linear model over idf-scaled columns equals one
    with idf-scaled weights), so scoring costs nothing extra; what it changes
    is the regularisation, which then penalises rare, telling n-grams less
    than ubiquitous ones."""
    present = matrix.copy()
    present.data[:] = 1.0
    frequency = np.asarray(present.sum(axis=0)).ravel()
    rows = matrix.shape[0]
    idf: np.ndarray = np.log((1 + rows) / (1 + frequency)) + 1.0
    return idf


def _check_labels(target: np.ndarray) -> None:
    if not set(np.unique(target).tolist()) <= {0, 1}:
        raise InvalidData("labels must be 0 or 1")
    if target.sum() == 0 or target.sum() == len(target):
        raise InvalidData("training needs both positive and negative posts")


def _fit(matrix: Any, target: np.ndarray, config: TrainConfig) -> LogisticRegression:
    model = LogisticRegression(
        C=config.regularisation,
        class_weight="balanced",
        solver="liblinear",
        max_iter=200,
    )
    return model.fit(matrix, target)


def _held_out_margins(
    matrix: Any, target: np.ndarray, groups: np.ndarray, config: TrainConfig
) -> np.ndarray | None:
    """Margins of every training post from a model that did not see its
    group; None when the data are too small to hold groups out."""
    folds = min(config.threshold_folds, len(np.unique(groups)))
    if folds < 2 or min(target.sum(), len(target) - target.sum()) < folds:
        return None
    held_out = np.zeros(len(target))
    for train_rows, test_rows in GroupKFold(n_splits=folds).split(
        matrix, target, groups
    ):
        if len(np.unique(target[train_rows])) < 2:
            return None
        fold_model = _fit(matrix[train_rows], target[train_rows], config)
        held_out[test_rows] = fold_model.decision_function(matrix[test_rows])
    return held_out


def platt(target: np.ndarray, margins: np.ndarray) -> tuple[float, float]:
    """Slope and intercept mapping margins to calibrated log-odds (Platt
    scaling), fitted on held-out margins without class weights, so the
    scores reflect the training data's prevalence. The default L2 penalty
    keeps the slope finite when a small training set separates perfectly."""
    fitted = LogisticRegression(solver="lbfgs").fit(margins.reshape(-1, 1), target)
    return float(fitted.coef_[0, 0]), float(fitted.intercept_[0])
