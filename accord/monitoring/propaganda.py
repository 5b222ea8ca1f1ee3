"""The propaganda classifier as a detector.

The default model ships inside the package (``models/propaganda.npz``);
``accord monitor scan --model`` swaps in one trained on an agency's own
labels. A post scoring at or above the model's threshold becomes a finding
whose explanation lists the n-grams and cues that raised the score, so a
reviewer sees why the model thinks so.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from accord.model.finding import Feature, Finding
from accord.monitoring.classifier import PropagandaModel, default_model_path
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
        findings: list[Finding] = []
        for start in range(0, len(posts), BATCH):
            batch = posts[start : start + BATCH]
            scores = self.model.scores([post.text for post in batch])
            for post, score in zip(batch, scores.tolist(), strict=True):
                if score >= self.model.threshold:
                    findings.append(self._finding(post, score))
        return findings

    def _finding(self, post: PostView, score: float) -> Finding:
        threshold = self.model.threshold
        explanation = {
            "model_score": Feature(
                round(score, 4),
                f"calibrated model score; flagged at >= {threshold:.3f}",
            )
        }
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
