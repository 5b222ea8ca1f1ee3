"""The propaganda classifier: features, training, persistence, explanations.

Training data here is synthetic: a call-to-action template against a
news-report template over the same topic words, so the model must learn the
form of the post, not its topic.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import InvalidData, SourceError
from accord.monitoring.classifier import (
    PropagandaModel,
    TrainConfig,
    load_default_model,
    platt,
    train,
)
from accord.monitoring.context import best_f1_threshold
from accord.monitoring.features import FeatureConfig, Featuriser
from accord.monitoring.text import normalise

PLACES = ["stadium", "station", "market", "airport", "bridge", "festival", "concert"]
CALLS = [
    "[synthetic] go and attack them at the {}",
    "[synthetic] brothers, strike the {} now",
]
NEWS = [
    "police report an incident near the {}",
    "officials reopened the {} after the attack",
]


def corpus() -> tuple[list[str], list[int], list[str]]:
    texts: list[str] = []
    labels: list[int] = []
    groups: list[str] = []
    for index, place in enumerate(PLACES):
        for template in CALLS:
            texts.append(template.format(place))
            labels.append(1)
            groups.append(f"caller{index}")
        for template in NEWS:
            texts.append(template.format(place))
            labels.append(0)
            groups.append(f"reporter{index}")
    return texts, labels, groups


@pytest.fixture(scope="module")
def model() -> PropagandaModel:
    texts, labels, groups = corpus()
    return train(texts, labels, groups)


def test_trained_model_separates_calls_from_reports(model: PropagandaModel) -> None:
    scores = model.scores(
        [
            "[synthetic] go and attack them at the parade",
            "police report an incident near the parade",
        ]
    )
    assert scores[0] > scores[1]
    assert 0.0 < model.threshold < 1.0


def test_save_and_load_keep_scores(model: PropagandaModel, tmp_path: Path) -> None:
    path = tmp_path / "model.npz"
    model.save(path)
    loaded = PropagandaModel.load(path)
    texts = ["[synthetic] strike the bridge", "officials reopened the bridge"]
    # weights are stored as float16, so scores agree to about three decimals
    assert np.allclose(loaded.scores(texts), model.scores(texts), atol=2e-3)
    assert loaded.threshold == model.threshold
    assert loaded.info["posts"] == 28


def test_explanations_name_ngrams_that_raised_the_score(model: PropagandaModel) -> None:
    reasons = model.explain("[synthetic] go and attack them at the museum")
    assert reasons
    assert all(reason.weight > 0 for reason in reasons)
    assert any(reason.name.startswith(("ngram", "cue")) for reason in reasons)


def test_scalar_ngram_index_matches_the_batch_hash() -> None:
    featuriser = Featuriser(FeatureConfig(bits=12, ngrams=(3,), cue_weight=0.0))
    row = featuriser.ngram_matrix(["abc"])
    # " abc " has the trigrams " ab", "abc", "bc "
    expected = sorted({featuriser.ngram_index(g) for g in (" ab", "abc", "bc ")})
    assert sorted(row.indices.tolist()) == expected


def test_cue_columns_are_language_independent() -> None:
    featuriser = Featuriser(FeatureConfig())
    english = featuriser.cue_matrix([normalise("go and kill them")]).toarray()
    russian = featuriser.cue_matrix([normalise("Убивайте")]).toarray()
    assert english.any()
    assert np.array_equal(english > 0, russian > 0)


def stance_columns(text: str) -> set[str]:
    featuriser = Featuriser(FeatureConfig())
    row = featuriser.cue_matrix([normalise(text)]).toarray()[0]
    names = list(FeatureConfig().cues)
    return {names[index] for index in np.flatnonzero(row)}


def test_stance_columns_tell_insiders_from_outsiders_in_any_language() -> None:
    assert "outsider_names" in stance_columns("police say daesh claimed the attack")
    assert "reporting_voice" in stance_columns("police say daesh claimed the attack")
    assert "outsider_names" in stance_columns("боевики ИГИЛ, запрещенной в России")
    assert "out_group_slurs" in stance_columns("the rafidah and the murtaddin")
    assert "out_group_slurs" in stance_columns("الرافضه والمرتدين")
    assert "martyrdom_and_prayer" in stance_columns("تقبله الله")
    assert "in_group_names" in stance_columns("les soldats du califat")
    assert not stance_columns("the weather is fine today")


def test_models_saved_without_stance_columns_still_load(tmp_path: Path) -> None:
    texts, labels, groups = corpus()
    config = TrainConfig(features=FeatureConfig(bits=12, stance=False))
    old = train(texts, labels, groups, config)
    path = tmp_path / "old.npz"
    old.save(path)
    with np.load(path) as data:
        header = json.loads(data["header"].tobytes().decode("utf-8"))
        indices, values = data["indices"], data["values"]
    del header["features"]["stance"]
    np.savez(
        path,
        header=np.frombuffer(json.dumps(header).encode("utf-8"), dtype=np.uint8),
        indices=indices,
        values=values,
    )
    loaded = PropagandaModel.load(path)
    assert not loaded.config.stance
    assert loaded.weights.shape == old.weights.shape
    assert np.allclose(loaded.scores(texts), old.scores(texts), atol=2e-3)


def test_platt_scaling_recovers_the_log_odds() -> None:
    rng = np.random.default_rng(3)
    margins = rng.normal(0.0, 2.0, 20_000)
    target = rng.random(margins.size) < 1 / (1 + np.exp(-(0.5 * margins - 2.0)))
    slope, intercept = platt(target.astype(np.int64), margins)
    assert slope == pytest.approx(0.5, abs=0.05)
    assert intercept == pytest.approx(-2.0, abs=0.1)


def test_calibration_is_saved_and_scores_follow_it(
    model: PropagandaModel, tmp_path: Path
) -> None:
    assert model.calibration != (1.0, 0.0)
    path = tmp_path / "model.npz"
    model.save(path)
    assert PropagandaModel.load(path).calibration == model.calibration
    text = ["[synthetic] strike the bridge"]
    slope, intercept = model.calibration
    expected = 1 / (1 + np.exp(-(slope * model.margins(text) + intercept)))
    assert np.allclose(model.scores(text), expected)


def test_training_needs_both_classes() -> None:
    with pytest.raises(InvalidData):
        train(["a", "b"], [1, 1])
    with pytest.raises(InvalidData):
        train(["a", "b"], [0, 2])


def test_best_threshold_maximises_f1() -> None:
    target = np.array([1, 1, 0, 0, 1, 0])
    scores = np.array([0.9, 0.8, 0.7, 0.2, 0.6, 0.1])
    assert best_f1_threshold(target, scores) == 0.6


def test_a_file_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bogus.npz"
    path.write_bytes(b"not a model")
    with pytest.raises(SourceError):
        PropagandaModel.load(path)


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(st.text(max_size=60), min_size=1, max_size=6))
def test_any_text_gets_one_score_in_range(texts: list[str]) -> None:
    scores = bundled().scores(texts)
    assert scores.shape == (len(texts),)
    assert np.all((scores >= 0.0) & (scores <= 1.0))


@cache
def bundled() -> PropagandaModel:
    return load_default_model()
