"""How often the rule detectors fire on labelled posts.

The rule detectors look for behaviours (calls to attack, recruitment,
fundraising, instructions), which the tweet sets do not label, so this is
not a precision measure; it shows how rarely they fire on the hard
negatives (posts about terrorism that are not propaganda) compared with the
positives.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from followthemoney import StatementEntity
from followthemoney.dataset import Dataset

from accord.monitoring.detectors import (
    CallToAttackDetector,
    CueDetector,
    FundraisingDetector,
    InstructionsDetector,
    RecruitmentDetector,
)
from benchmarks.monitoring.data import LabelledPost

DATASET = Dataset.make({"name": "bench", "title": "bench"})
DETECTORS: tuple[CueDetector, ...] = (
    CallToAttackDetector(),
    RecruitmentDetector(),
    FundraisingDetector(),
    InstructionsDetector(),
)


def as_message(index: int, post: LabelledPost) -> StatementEntity:
    entity = StatementEntity(DATASET, {"schema": "Message", "id": f"p{index}"})
    entity.add("bodyText", post.text)
    return entity


def rule_flag_rates(posts: Sequence[LabelledPost]) -> dict[str, Any]:
    entities = [as_message(index, post) for index, post in enumerate(posts)]
    label_of = {f"p{index}": post.label for index, post in enumerate(posts)}
    negatives = sum(1 for post in posts if post.label == 0)
    positives = len(posts) - negatives
    rates: dict[str, Any] = {}
    for detector in DETECTORS:
        flagged = [label_of[f.subjects[0]] for f in detector.detect(entities)]
        rates[detector.NAME] = {
            "flagged_positives": sum(flagged),
            "flagged_negatives": len(flagged) - sum(flagged),
            "share_of_negatives_flagged": round(
                (len(flagged) - sum(flagged)) / max(1, negatives), 4
            ),
            "share_of_positives_flagged": round(sum(flagged) / max(1, positives), 4),
        }
    return rates
