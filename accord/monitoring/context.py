"""Author context: a post read beside the same author's other posts.

A monitor never sees one post alone: it scans a channel, and an account
that has posted propaganda before is more likely to be posting it again. So
the classifier's text score is combined with what the same author's *other*
posts in the scan score: their mean, their maximum, how many there are.
The combination is a logistic regression over five numbers, fitted on
held-out text scores of the training posts (each from a model that never saw
that post's author), so it learns how much an author's record is worth
without learning the authors themselves. A post whose author has no other
post keeps a score from its text alone, through the same five numbers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.linear_model import (  # type: ignore[import-untyped]  # no stubs
    LogisticRegression,
)

FEATURES = ("text_logit", "others_mean", "others_max", "others_log_count", "alone")
_EPSILON = 1e-6


def logit(scores: np.ndarray) -> np.ndarray:
    clipped = np.clip(scores, _EPSILON, 1 - _EPSILON)
    result: np.ndarray = np.log(clipped / (1 - clipped))
    return result


def author_features(scores: np.ndarray, authors: Sequence[str]) -> np.ndarray:
    """``(N, 5)``: each post's text log-odds, then the mean, maximum and
    log(1 + count) of the text scores of its author's other posts, and 1 when
    there are none. An empty author is nobody: such posts stand alone."""
    rows: dict[str, list[int]] = defaultdict(list)
    for row, author in enumerate(authors):
        if author:
            rows[author].append(row)
    others_mean = np.zeros(len(scores))
    others_max = np.zeros(len(scores))
    others = np.zeros(len(scores))
    for members in rows.values():
        if len(members) < 2:
            continue
        index = np.asarray(members)
        values = scores[index]
        total, count = float(values.sum()), len(members)
        order = np.argsort(-values)
        top, second = values[order[0]], values[order[1]]
        others_mean[index] = (total - values) / (count - 1)
        others_max[index] = np.where(index == index[order[0]], second, top)
        others[index] = count - 1
    return np.column_stack(
        [logit(scores), others_mean, others_max, np.log1p(others), others == 0]
    ).astype(np.float64)


@dataclass(frozen=True, slots=True)
class AuthorContext:
    """The fitted combination, and the threshold for flagging its scores."""

    weights: tuple[float, ...]
    bias: float
    threshold: float

    def scores(self, text_scores: np.ndarray, authors: Sequence[str]) -> np.ndarray:
        return self.combine(author_features(text_scores, authors))

    def combine(self, features: np.ndarray) -> np.ndarray:
        """Scores of rows of ``author_features``."""
        logits = features @ np.asarray(self.weights) + self.bias
        result: np.ndarray = 1.0 / (1.0 + np.exp(-logits))
        return result

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(FEATURES),
            "weights": list(self.weights),
            "bias": self.bias,
            "threshold": self.threshold,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AuthorContext:
        if list(data.get("features", [])) != list(FEATURES):
            raise ValueError(f"author context over {data.get('features')!r}")
        return cls(
            tuple(float(w) for w in data["weights"]),
            float(data["bias"]),
            float(data["threshold"]),
        )


def fit_author_context(
    held_out_scores: np.ndarray, authors: Sequence[str], target: np.ndarray
) -> AuthorContext | None:
    """The combination fitted on held-out text scores; None when no training
    post has another post by its author to learn from."""
    features = author_features(held_out_scores, authors)
    if features[:, -1].all():
        return None
    fitted = LogisticRegression(solver="lbfgs", max_iter=1000).fit(features, target)
    combined = fitted.predict_proba(features)[:, 1]
    return AuthorContext(
        tuple(float(w) for w in fitted.coef_[0]),
        float(fitted.intercept_[0]),
        best_f1_threshold(target, combined),
    )


def best_f1_threshold(target: np.ndarray, scores: np.ndarray) -> float:
    """The score at which flagging everything at or above it gives the best
    F1 on ``target``."""
    order = np.argsort(-scores)
    ranked = target[order]
    true_positives = np.cumsum(ranked)
    precision = true_positives / np.arange(1, len(ranked) + 1)
    recall = true_positives / max(1, ranked.sum())
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    best = int(np.argmax(f1))
    return float(scores[order][best])
