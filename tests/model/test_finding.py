"""Findings validate their score and explanation and keep stable ids."""

from __future__ import annotations

import pytest

from accord.errors import InvalidData
from accord.model.finding import Feature, Finding


def _finding(score: float = 0.5, **kwargs: object) -> Finding:
    explanation = {"shared_identifier": Feature(0.5, "same passport")}
    return Finding(
        detector="d",
        subjects=("b", "a"),
        score=score,
        summary="s",
        explanation=explanation,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("score", [-0.01, 1.01])
def test_score_outside_unit_interval_is_refused(score: float) -> None:
    with pytest.raises(InvalidData, match="outside"):
        _finding(score)


def test_finding_needs_an_explanation() -> None:
    with pytest.raises(InvalidData, match="explain"):
        Finding(detector="d", subjects=("a",), score=0.5, summary="", explanation={})


def test_id_is_stable_and_order_free() -> None:
    first = _finding()
    second = Finding(
        detector="d",
        subjects=("a", "b"),
        score=0.9,
        summary="other",
        explanation={"x": Feature(1.0, "y")},
    )
    assert first.id == second.id
    assert (
        first.id
        != Finding(
            detector="e",
            subjects=("a", "b"),
            score=0.9,
            summary="",
            explanation=second.explanation,
        ).id
    )
