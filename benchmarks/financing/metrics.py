"""Precision, recall and F1 at transaction and account level."""

from __future__ import annotations

from itertools import product
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl


def prf(truth: npt.NDArray[np.bool_], flagged: npt.NDArray[np.bool_]) -> dict[str, Any]:
    hits = int((truth & flagged).sum())
    precision = hits / max(int(flagged.sum()), 1)
    recall = hits / max(int(truth.sum()), 1)
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "flagged": int(flagged.sum()),
        "positives": int(truth.sum()),
    }


def account_level(
    ledger: pl.DataFrame, flagged: npt.NDArray[np.bool_], bad_accounts: set[str]
) -> dict[str, Any]:
    """An account is flagged when any of its transactions is; it is truly
    bad when it is in ``bad_accounts``. Only accounts in ``ledger`` count."""
    accounts = set(ledger["orig"].to_list()) | set(ledger["bene"].to_list())
    hit = ledger.filter(pl.Series(flagged))
    chosen = set(hit["orig"].to_list()) | set(hit["bene"].to_list())
    names = sorted(accounts)
    truth = np.array([a in bad_accounts for a in names])
    marked = np.array([a in chosen for a in names])
    return prf(truth, marked)


def sar_accounts(ledger: pl.DataFrame, label: str = "label") -> set[str]:
    """Accounts that take part in a labelled transaction."""
    bad = ledger.filter(pl.col(label) == 1)
    return set(bad["orig"].to_list()) | set(bad["bene"].to_list())


def false_positive_kinds(
    test: pl.DataFrame, flagged: npt.NDArray[np.bool_], folder: Path
) -> dict[str, int]:
    """Where the false positives of a test period come from, read from
    AMLSim's own alert files (evaluation only, never features).

    ``false_alert``: payments of AMLSim's non-SAR alerts, the same shapes as
    SAR ones with ``is_sar`` False; ``between_sar_accounts``: payments
    between two accounts of SAR alerts that the alert files do not list;
    ``other``: the rest. False alerts are indistinguishable from positives
    by any payment feature, which bounds the reachable precision.
    """
    alerts = pl.read_csv(folder / "alert_transactions.csv.gz")
    false_alert = set(alerts.filter(~pl.col("is_sar"))["tran_id"].cast(pl.String))
    members = pl.read_csv(folder / "alert_accounts.csv.gz").filter(pl.col("is_sar"))
    sar_members = set(members["acct_id"].cast(pl.String))
    wrong = test.filter(pl.Series(flagged) & (pl.col("label") == 0))
    kinds = {"false_alert": 0, "between_sar_accounts": 0, "other": 0}
    for tran_id, orig, bene in wrong.select("tran_id", "orig", "bene").iter_rows():
        if tran_id in false_alert:
            kinds["false_alert"] += 1
        elif orig in sar_members and bene in sar_members:
            kinds["between_sar_accounts"] += 1
        else:
            kinds["other"] += 1
    return kinds


def label_ceiling(test: pl.DataFrame, folder: Path) -> dict[str, Any]:
    """The best F1 a model can reach when it flags every positive and, as it
    must, every payment of AMLSim's false alerts (the same shapes with
    ``is_sar`` False)."""
    everything = np.ones(test.height, dtype=bool)
    alike = false_positive_kinds(test, everything, folder)["false_alert"]
    positives = int((test["label"] == 1).sum())
    precision = positives / (positives + alike)
    return {
        "positives": positives,
        "false_alert_payments": alike,
        "f1_ceiling": round(2 * precision / (precision + 1.0), 4),
    }


def shape_ceiling(test: pl.DataFrame, folder: Path) -> dict[str, Any]:
    """The best F1 a model can reach that tells every typology shape apart
    from ordinary payments but, as it must, cannot tell a SAR alert from a
    false alert of the same shape: it flags whole shapes, and each flagged
    shape brings its false-alert payments along. Shapes without false
    alerts are always flagged; of the others, the best subset is chosen.

    A positive payment's shape is its ``alert_type`` in AMLSim's
    ``alert_transactions`` file (evaluation only, never features), or
    ``unlisted`` for positives the file does not list (such as the
    relabelled bipartite and stack payments of ``labels.py``)."""
    alerts = pl.read_csv(folder / "alert_transactions.csv.gz").select(
        pl.col("tran_id").cast(pl.String), "alert_type", "is_sar"
    )
    rows = test.select("tran_id", "label").join(alerts, on="tran_id", how="left")
    positive = rows.filter(pl.col("label") == 1).with_columns(
        pl.col("alert_type").fill_null("unlisted")
    )
    alike = rows.filter((pl.col("label") == 0) & ~pl.col("is_sar"))
    true_n = dict(positive.group_by("alert_type").len().iter_rows())
    false_n = dict(alike.group_by("alert_type").len().iter_rows())
    shapes = sorted(set(true_n) | set(false_n))
    mixed = [s for s in shapes if false_n.get(s, 0)]
    total = positive.height
    best: tuple[float, list[str]] = (0.0, [])
    for choice in product((False, True), repeat=len(mixed)):
        chosen = [s for s in shapes if s not in mixed] + [
            s for s, take in zip(mixed, choice, strict=True) if take
        ]
        hits = sum(true_n.get(s, 0) for s in chosen)
        wrong = sum(false_n.get(s, 0) for s in chosen)
        f1 = 2 * hits / (hits + wrong + total) if hits else 0.0
        if f1 > best[0]:
            best = (f1, sorted(chosen))
    return {
        "positives": total,
        "per_shape": {
            s: {"positive": true_n.get(s, 0), "false_alert": false_n.get(s, 0)}
            for s in shapes
        },
        "flagged_shapes": best[1],
        "f1_ceiling": round(best[0], 4),
    }
