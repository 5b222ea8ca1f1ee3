"""The classifier and the bundled model on the real labelled tweets.

These need ``../shared/data/propaganda`` and skip without it. They print
nothing from the posts: only scores and counts are asserted.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import average_precision_score

from accord.monitoring.classifier import load_default_model, train
from tests.conftest import SHARED_DATA

ISEXTREME = (
    SHARED_DATA / "propaganda" / "isis_tweets" / "isextreme_added_scraped_labelled.csv"
)

needs_tweets = pytest.mark.skipif(
    not ISEXTREME.exists(), reason=f"the labelled tweets are not present at {ISEXTREME}"
)


def labelled_rows(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["label"] in {"0", "1"}]


@pytest.mark.shared_data
@pytest.mark.slow
@needs_tweets
def test_model_ranks_posts_of_unseen_accounts_far_above_chance() -> None:
    rows = labelled_rows(ISEXTREME)
    accounts = sorted({row["username"] for row in rows})
    held_out = set(accounts[::2])
    train_rows = [row for row in rows if row["username"] not in held_out]
    test_rows = [row for row in rows if row["username"] in held_out]
    model = train(
        [row["tweet"] for row in train_rows],
        [int(row["label"]) for row in train_rows],
        [row["username"] for row in train_rows],
    )
    target = np.array([int(row["label"]) for row in test_rows])
    scores = model.scores([row["tweet"] for row in test_rows])
    base_rate = target.mean()
    assert average_precision_score(target, scores) > 6 * base_rate


@pytest.mark.shared_data
@needs_tweets
def test_bundled_model_scores_every_post_in_range() -> None:
    rows = labelled_rows(ISEXTREME)[:2000]
    scores = load_default_model().scores([row["tweet"] for row in rows])
    assert scores.shape == (len(rows),)
    assert float(scores.min()) >= 0.0
    assert float(scores.max()) <= 1.0
    positives = np.array([int(row["label"]) for row in rows]) == 1
    assert scores[positives].mean() > scores[~positives].mean()
