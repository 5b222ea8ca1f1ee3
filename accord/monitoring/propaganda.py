"""The propaganda classifier as a detector.

The default model ships inside the package (``models/propaganda.npz``);
``accord monitor scan --model`` swaps in one trained on an agency's own
labels. A post scoring at or above the model's threshold becomes a finding
whose explanation lists the n-grams and cues that raised the score, so a
reviewer sees why the model thinks so. A model trained with authors also
weighs each post beside its author's other posts in the same run
(``accord.monitoring.context``); the finding then shows both scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from accord.model.finding import Feature, Finding
from accord.monitoring.classifier import PropagandaModel, default_model_path
from accord.monitoring.context import author_features
from accord.monitoring.detectors import MonitoringDetector
from accord.monitoring.posts_view import PostView

BATCH = 4096
EXPLAINED_CONTRIBUTIONS = 5


@cache
def _cached_model(path: Path) -> PropagandaModel:
    return PropagandaModel.load(path)


class PropagandaDetector(MonitoringDetector):
    """Posts the text model scores as pro-terrorist propaganda."""

    NAME = "propaganda_classifier"
    TITLE = "Propaganda classifier (hashed character n-grams and cues, linear)"

    def __init__(self, model: PropagandaModel | None = None) -> None:
        self._model = model

    @property
    def model(self) -> PropagandaModel:
        if self._model is None:
            self._model = _cached_model(default_model_path())
        return self._model

    def detect_posts(self, posts: Sequence[PostView]) -> list[Finding]:
        """Every post scored by its text, then beside its author's other
        posts in the same run when the model has an author context."""
        text_scores = np.concatenate(
            [np.zeros(0)]
            + [
                self.model.scores([post.text for post in posts[start : start + BATCH]])
                for start in range(0, len(posts), BATCH)
            ]
        )
        authored = author_features(text_scores, [post.author_id for post in posts])
        context, threshold = self.model.context, self.model.flag_threshold
        scores = context.combine(authored) if context is not None else text_scores
        return [
            self._finding(post, float(scores[row]), authored[row], threshold)
            for row, post in enumerate(posts)
            if scores[row] >= threshold
        ]

    def _finding(
        self, post: PostView, score: float, authored: np.ndarray, threshold: float
    ) -> Finding:
        """``authored`` is the post's row of ``context.author_features``."""
        explanation = {
            "model_score": Feature(
                round(score, 4),
                f"calibrated model score; flagged at >= {threshold:.3f}",
            )
        }
        if self.model.context is not None:
            text_logit, mean, highest, log_count, _ = authored.tolist()
            others = round(float(np.expm1(log_count)))
            text_score = 1 / (1 + np.exp(-text_logit))
            explanation["text_score"] = Feature(
                round(float(text_score), 4), "the post's text alone"
            )
            explanation["author_context"] = Feature(
                float(others),
                f"other posts by the author in this run: {others}"
                + (
                    f", text scores mean {mean:.2f}, highest {highest:.2f}"
                    if others
                    else ""
                ),
            )
        for item in self.model.explain(post.text, EXPLAINED_CONTRIBUTIONS):
            explanation[item.name] = Feature(round(item.weight, 4), "raised the score")
        return Finding(
            detector=self.NAME,
            subjects=(post.entity_id,),
            score=min(1.0, max(0.0, round(score, 4))),
            summary=f"likely propaganda in {post.label()} (score {score:.2f})",
            explanation=explanation,
            evidence=(post.entity_id,),
        )
