"""Author context: a post's text score beside its author's other posts."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from sklearn.metrics import average_precision_score

from accord.cli.main import cli
from accord.errors import ReaderError
from accord.monitoring.classifier import PropagandaModel, TrainConfig, train
from accord.monitoring.context import (
    FEATURES,
    AuthorContext,
    author_features,
    fit_author_context,
)
from accord.monitoring.posts_view import PostView
from accord.monitoring.propaganda import PropagandaDetector
from tests.monitoring.test_classifier import corpus


def test_features_describe_the_authors_other_posts_only() -> None:
    scores = np.array([0.9, 0.1, 0.5, 0.7, 0.3])
    features = author_features(scores, ["a", "a", "a", "b", ""])
    _, mean, highest, log_count, alone = features.T
    assert mean[:3] == pytest.approx([0.3, 0.7, 0.5])
    assert highest[:3] == pytest.approx([0.5, 0.9, 0.9])
    assert np.expm1(log_count).round().tolist() == [2, 2, 2, 0, 0]
    assert alone.tolist() == [0, 0, 0, 1, 1]
    assert features.shape == (5, len(FEATURES))


def synthetic_authors(
    seed: int,
) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Noisy text scores; authors who post propaganda mostly post it."""
    rng = np.random.default_rng(seed)
    scores, authors, target = [], [], []
    for author in range(300):
        bad = author < 60
        for _ in range(4):
            label = int(bad and rng.random() < 0.7)
            signal = 0.25 if label else 0.0
            scores.append(float(np.clip(rng.normal(0.35 + signal, 0.2), 0.01, 0.99)))
            authors.append(f"u{author}")
            target.append(label)
    return np.array(scores), authors, np.array(target)


def test_fitted_context_ranks_better_than_text_alone() -> None:
    scores, authors, target = synthetic_authors(1)
    context = fit_author_context(scores, authors, target)
    assert context is not None
    weights = dict(zip(FEATURES, context.weights, strict=True))
    assert weights["text_logit"] > 0 and weights["others_mean"] > 0
    test_scores, test_authors, test_target = synthetic_authors(2)
    combined = context.scores(test_scores, test_authors)
    assert average_precision_score(test_target, combined) > (
        average_precision_score(test_target, test_scores) + 0.05
    )
    assert AuthorContext.from_dict(context.to_dict()) == context


def test_no_context_without_repeat_authors() -> None:
    scores, _, target = synthetic_authors(3)
    alone = [f"only{n}" for n in range(len(scores))]
    assert fit_author_context(scores, alone, target) is None


WITH_CONTEXT = TrainConfig(author_context=True)


def test_training_with_authors_saves_a_context(tmp_path: Path) -> None:
    texts, labels, groups = corpus()
    with_authors = train(texts, labels, groups, WITH_CONTEXT)
    assert with_authors.context is not None
    assert train(texts, labels, None, WITH_CONTEXT).context is None
    assert train(texts, labels, groups).context is None  # off by default
    path = tmp_path / "m.npz"
    with_authors.save(path)
    assert PropagandaModel.load(path).context == with_authors.context


def post(number: int, text: str, author: str) -> PostView:
    return PostView(f"m{number}", text, str(number), "channel", "c1", author, "")


def test_detector_weighs_the_author_and_says_so() -> None:
    texts, labels, groups = corpus()
    model = train(texts, labels, groups, WITH_CONTEXT)
    assert model.context is not None
    call = "[synthetic] go and attack them at the parade"
    report = "police report an incident near the parade"
    posts = [post(1, call, "u1"), post(2, call, "u1"), post(3, report, "u2")]
    findings = PropagandaDetector(model).detect_posts(posts)
    flagged = {f.subjects[0]: f for f in findings}
    assert set(flagged) == {"m1", "m2"}
    context = flagged["m1"].explanation["author_context"]
    assert context.value == 1.0
    assert "other posts by the author in this run: 1" in context.detail
    assert "text_score" in flagged["m1"].explanation


def test_classify_with_an_author_column(tmp_path: Path) -> None:
    texts, labels, groups = corpus()
    model_path = tmp_path / "model.npz"
    train(texts, labels, groups, WITH_CONTEXT).save(model_path)
    source = tmp_path / "posts.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        table = csv.writer(handle)
        table.writerow(["id", "author", "text"])
        table.writerows((n, "same", t) for n, t in enumerate(texts[:4]))
        table.writerow([9, "other", "[synthetic] strike the parade now"])
    base = ["monitor", "classify", "--model", str(model_path), "--input", str(source)]
    base += ["--text-column", "text", "--id-column", "id"]
    runner = CliRunner()
    plain, authored = tmp_path / "plain.jsonl", tmp_path / "authored.jsonl"
    assert runner.invoke(cli, [*base, "--out", str(plain)]).exit_code == 0
    done = runner.invoke(
        cli, [*base, "--author-column", "author", "--out", str(authored)]
    )
    assert done.exit_code == 0, done.output
    read = [
        [json.loads(line) for line in path.read_text().splitlines()]
        for path in (plain, authored)
    ]
    assert [r["id"] for r in read[0]] == [r["id"] for r in read[1]]
    assert [r["score"] for r in read[0]] != [r["score"] for r in read[1]]
    missing = runner.invoke(
        cli, [*base, "--author-column", "nope", "--out", str(authored)]
    )
    assert isinstance(missing.exception, ReaderError)
    assert "no column(s) nope" in str(missing.exception)


def test_train_command_learns_the_context_only_when_asked(tmp_path: Path) -> None:
    texts, labels, groups = corpus()
    data = tmp_path / "labelled.csv"
    with data.open("w", encoding="utf-8", newline="") as handle:
        table = csv.writer(handle)
        table.writerow(["text", "label", "author"])
        table.writerows(zip(texts, labels, groups, strict=True))
    base = ["monitor", "train", "--data", str(data), "--text-column", "text"]
    base += ["--label-column", "label", "--group-column", "author"]
    runner = CliRunner()
    for flag, expected in (([], False), (["--author-context"], True)):
        out = tmp_path / f"model{len(flag)}.npz"
        done = runner.invoke(cli, [*base, *flag, "--model", str(out)])
        assert done.exit_code == 0, done.output
        assert (PropagandaModel.load(out).context is not None) is expected
    refused = runner.invoke(
        cli,
        ["monitor", "train", "--data", str(data), "--text-column", "text"]
        + ["--label-column", "label", "--author-context", "--model", "x.npz"],
    )
    assert refused.exit_code == 2 and "--group-column" in refused.output
