"""The second ``amlsim_tf_eval`` evaluation: on corrected labels.

The first evaluation takes AMLSim's ``is_sar`` as generated. This one also
counts as positive the payments inside bipartite and stack SAR alerts,
which AMLSim logs as normal (``labels.py`` says why). Both accord's model
(``accord.financing.scorer.train`` with the project's ``TrainingParams``,
as in the first evaluation) and the baseline are trained again on the
corrected training labels, with the same split and the same threshold rule
(the latest 20 % of the training part, never the test period).

Every model is scored in three readings of the same test period:
``as_generated`` (AMLSim's labels), ``corrected`` (the relabelled payments
positive) and ``relabelled_excluded`` (AMLSim's labels, the relabelled
payments left out of the test, so the two readings agree on every payment
that remains). AMLSim's alert files are read only to build these labels
and to count where errors fall; they are never features.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import numpy.typing as npt
import polars as pl

from accord.financing.scorer import ScoringModel, TrainingParams, train
from benchmarks.financing.baseline import train_baseline
from benchmarks.financing.labels import (
    corrected_labels,
    inside_alert,
    read_alert_accounts,
)
from benchmarks.financing.metrics import (
    account_level,
    false_positive_kinds,
    label_ceiling,
    prf,
    sar_accounts,
    shape_ceiling,
)


@dataclass(frozen=True)
class Split:
    """The time-ordered ledger, both feature matrices and the test start."""

    ledger: pl.DataFrame
    ours: npt.NDArray[np.float64]
    theirs: npt.NDArray[np.float64]
    cut: int


@dataclass(frozen=True)
class Readings:
    """The test period under the three readings."""

    as_generated: pl.DataFrame
    corrected: pl.DataFrame
    keep: npt.NDArray[np.bool_]

    def score(
        self, scores: npt.NDArray[np.float64], threshold: float
    ) -> dict[str, Any]:
        flagged = scores >= threshold
        kept = self.as_generated.filter(pl.Series(self.keep))
        return {
            name: _levels(test, flags)
            for name, test, flags in (
                ("as_generated", self.as_generated, flagged),
                ("corrected", self.corrected, flagged),
                ("relabelled_excluded", kept, flagged[self.keep]),
            )
        }


def _levels(test: pl.DataFrame, flagged: npt.NDArray[np.bool_]) -> dict[str, Any]:
    truth = test["label"].to_numpy() == 1
    return {
        "transaction": prf(truth, flagged),
        "account": account_level(test, flagged, sar_accounts(test)),
    }


def corrected_evaluation(
    split: Split,
    model: ScoringModel,
    baseline: tuple[lgb.Booster, float],
    folder: Path,
) -> dict[str, Any]:
    """Both models trained on corrected labels, and the first evaluation's
    models (trained as generated), in all three readings of the test."""
    ledger, cut = split.ledger, split.cut
    members = read_alert_accounts(folder)
    inside = inside_alert(ledger, members).to_numpy()
    fixed = corrected_labels(ledger, members).to_numpy().astype(np.int8)
    original = ledger.slice(cut)
    readings = Readings(
        as_generated=original,
        corrected=original.with_columns(pl.Series("label", fixed[cut:])),
        keep=~inside[cut:],
    )
    fixed_model = train(split.ours[:cut], fixed[:cut], TrainingParams())
    fixed_booster, fixed_threshold = train_baseline(split.theirs[:cut], fixed[:cut])
    booster, threshold = baseline
    ours_test, theirs_test = split.ours[cut:], split.theirs[cut:]
    fixed_flags = fixed_model.predict(ours_test) >= fixed_model.threshold
    return {
        "labels": {
            "rule": "positive if is_sar, or payer and payee are both members "
            "of the same bipartite or stack SAR alert (alert_accounts)",
            "relabelled_payments": int(inside.sum()),
            "relabelled_in_train": int(inside[:cut].sum()),
            "relabelled_in_test": int(inside[cut:].sum()),
            "test_positives_as_generated": int(original["label"].sum()),
            "test_positives_corrected": int(fixed[cut:].sum()),
            "train_positives_corrected": int(fixed[:cut].sum()),
        },
        "trained_on_corrected": {
            "accord": readings.score(
                fixed_model.predict(ours_test), fixed_model.threshold
            ),
            "baseline": readings.score(
                np.asarray(fixed_booster.predict(theirs_test)), fixed_threshold
            ),
            "accord_threshold": round(fixed_model.threshold, 4),
            "accord_false_positives_corrected": false_positive_kinds(
                readings.corrected, fixed_flags, folder
            ),
        },
        "trained_as_generated": {
            "accord": readings.score(model.predict(ours_test), model.threshold),
            "baseline": readings.score(
                np.asarray(booster.predict(theirs_test)), threshold
            ),
        },
        "ceiling": {
            "corrected_flag_every_shape": label_ceiling(readings.corrected, folder),
            "corrected_best_shapes": shape_ceiling(readings.corrected, folder),
            "as_generated_best_shapes": shape_ceiling(original, folder),
        },
    }
