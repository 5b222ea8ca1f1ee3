"""Corrected evaluation labels for ``amlsim_tf_eval``: the payments of
AMLSim's bipartite and stack alerts, which the simulator logs as normal.

AMLSim's Java ``BipartiteTypology`` and ``StackTypology`` (commit 7338a4b,
the version that generated the file) create their payments with the
four-argument ``makeTransaction``, the overload that logs ``isSAR=false``
and ``alertID=-1``. Their payments therefore reach ``transactions.csv`` as
ordinary payments and never reach ``alert_transactions.csv``, which is why
``SOURCES.md`` reports those alerts as having "produced 0 transactions".
They did produce payments: in this file, 78 of the 80 bipartite and stack
SAR alerts have payments whose payer and payee are both members of the
alert (5,357 payments), and they look like typology payments, not normal
ones (a median of one day between payments of the same pair against seven
for ordinary ones, 3-5 payments a day by one payer per alert).

These labels are read from ``alert_accounts.csv.gz`` for evaluation and
training labels only; nothing here is, or may become, a feature.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

MISLABELLED_TYPES = ("bipartite", "stack")
ALERT_ACCOUNTS = "alert_accounts.csv.gz"


def inside_alert(
    ledger: pl.DataFrame,
    alert_accounts: pl.DataFrame,
    types: tuple[str, ...] = MISLABELLED_TYPES,
) -> pl.Series:
    """Per row of ``ledger`` (columns ``orig``, ``bene``), whether payer and
    payee are both members of one and the same SAR alert of one of
    ``types`` in ``alert_accounts`` (AMLSim's columns ``alert_id``,
    ``alert_type``, ``acct_id``, ``is_sar``). Members of two different
    alerts do not count, nor do false alerts (``is_sar`` False)."""
    members = alert_accounts.filter(
        pl.col("alert_type").is_in(list(types)) & pl.col("is_sar")
    ).select(
        pl.col("alert_id").cast(pl.String),
        pl.col("acct_id").cast(pl.String),
    )
    rows = ledger.select(pl.int_range(pl.len()).alias("row"), "orig", "bene")
    inside = (
        rows.join(members.rename({"acct_id": "orig"}), on="orig")
        .join(members.rename({"acct_id": "bene"}), on=["bene", "alert_id"])
        .select("row")
        .unique()
    )
    mask = np.zeros(ledger.height, dtype=bool)
    mask[inside["row"].to_numpy()] = True
    return pl.Series("inside", mask)


def corrected_labels(ledger: pl.DataFrame, alert_accounts: pl.DataFrame) -> pl.Series:
    """``label`` 1 where AMLSim set ``is_sar``, or where the payment runs
    inside a bipartite or stack SAR alert (see the module docstring)."""
    inside = inside_alert(ledger, alert_accounts)
    fixed = ledger.select(
        pl.when(inside).then(1).otherwise(pl.col("label")).cast(pl.Int8).alias("label")
    )
    return fixed["label"]


def read_alert_accounts(folder: Path) -> pl.DataFrame:
    """AMLSim's alert membership file: for evaluation labels only."""
    return pl.read_csv(folder / ALERT_ACCOUNTS)
