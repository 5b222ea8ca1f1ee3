"""Precision, recall and F1 at transaction and account level."""

from __future__ import annotations

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
