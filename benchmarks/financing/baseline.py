"""The anchor: plain LightGBM on per-account 30-day window features.

This is the baseline of ``../shared/notes/financing.md`` section 3: features
per (account, calendar 30-day window), so a transaction sees its whole
window, later payments included, as a batch job over a month would; pair
count, reciprocity and amount share per transaction; the size of the
strongly connected component of the window's graph. Default LightGBM
settings, 300 rounds, threshold chosen on the latest 20 % of the training
part, as for accord.
"""

from __future__ import annotations

import lightgbm as lgb
import numpy as np
import numpy.typing as npt
import polars as pl
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from accord.financing.scorer import best_threshold

WINDOW_S = 30 * 86_400


def _scc_sizes(ledger: pl.DataFrame) -> pl.DataFrame:
    """Size of each account's strongly connected component, per window."""
    parts = []
    for (window,), rows in ledger.group_by("window"):
        names = pl.concat([rows["orig"], rows["bene"]]).unique()
        index = {name: i for i, name in enumerate(names.to_list())}
        src = np.array([index[a] for a in rows["orig"].to_list()])
        dst = np.array([index[a] for a in rows["bene"].to_list()])
        graph = coo_matrix((np.ones(len(src)), (src, dst)), shape=(len(index),) * 2)
        _, labels = connected_components(graph, directed=True, connection="strong")
        sizes = np.bincount(labels)[labels]
        parts.append(
            pl.DataFrame({"window": window, "acct": names, "scc": sizes.astype(float)})
        )
    return pl.concat(parts)


def _account_windows(ledger: pl.DataFrame) -> pl.DataFrame:
    out = ledger.group_by("orig", "window").agg(
        pl.len().alias("out_n"),
        pl.col("bene").n_unique().alias("out_deg"),
        pl.col("amount").sum().alias("out_sum"),
        pl.col("amount").std().fill_null(0).alias("out_std"),
    )
    inward = ledger.group_by("bene", "window").agg(
        pl.len().alias("in_n"),
        pl.col("orig").n_unique().alias("in_deg"),
        pl.col("amount").sum().alias("in_sum"),
        pl.col("amount").std().fill_null(0).alias("in_std"),
    )
    accounts = (
        out.rename({"orig": "acct"})
        .join(
            inward.rename({"bene": "acct"}),
            on=["acct", "window"],
            how="full",
            coalesce=True,
        )
        .fill_null(0)
        .with_columns(
            (pl.col("out_sum") / (pl.col("in_sum") + 1.0)).alias("pass_ratio")
        )
    )
    return accounts.join(_scc_sizes(ledger), on=["acct", "window"], how="left")


def baseline_features(ledger: pl.DataFrame) -> npt.NDArray[np.float64]:
    """One row per transaction of ``ledger``, in its order."""
    ledger = ledger.with_row_index("row").with_columns(
        (pl.col("ts") // WINDOW_S).alias("window")
    )
    accounts = _account_windows(ledger)
    pairs = ledger.group_by("orig", "bene", "window").agg(pl.len().alias("pair_n"))
    reverse = pairs.rename({"orig": "bene", "bene": "orig", "pair_n": "reverse_n"})
    table = (
        ledger.join(
            accounts.rename(lambda c: f"o_{c}"),
            left_on=["orig", "window"],
            right_on=["o_acct", "o_window"],
            how="left",
        )
        .join(
            accounts.rename(lambda c: f"b_{c}"),
            left_on=["bene", "window"],
            right_on=["b_acct", "b_window"],
            how="left",
        )
        .join(pairs, on=["orig", "bene", "window"], how="left")
        .join(reverse, on=["orig", "bene", "window"], how="left")
        .with_columns(
            (pl.col("amount") / (pl.col("b_in_sum") + 1.0)).alias("amount_share"),
            pl.col("reverse_n").fill_null(0),
        )
        .sort("row")
    )
    drop = {
        "row",
        "tran_id",
        "orig",
        "bene",
        "currency",
        "ts",
        "tx_type",
        "label",
        "window",
    }
    columns = [c for c in table.columns if c not in drop]
    return table.select(columns).fill_null(0).to_numpy().astype(np.float64)


def train_baseline(matrix: np.ndarray, labels: np.ndarray) -> tuple[lgb.Booster, float]:
    cut = int(len(labels) * 0.8)
    params = {"objective": "binary", "verbose": -1, "num_threads": 2, "seed": 7}
    booster = lgb.train(params, lgb.Dataset(matrix[:cut], labels[:cut]), 300)
    threshold, _ = best_threshold(
        labels[cut:], np.asarray(booster.predict(matrix[cut:]))
    )
    return booster, threshold
