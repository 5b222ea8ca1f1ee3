"""The financing benchmark's corrected labels on a hand-made ledger."""

from __future__ import annotations

import gzip
from pathlib import Path

import polars as pl

from benchmarks.financing.labels import corrected_labels, inside_alert
from benchmarks.financing.metrics import shape_ceiling

# alert_id, alert_type, acct_id, is_sar: AMLSim's alert_accounts columns.
MEMBERS = [
    (1, "bipartite", 10, True),
    (1, "bipartite", 11, True),
    (2, "bipartite", 20, True),
    (2, "bipartite", 21, True),
    (3, "stack", 30, True),
    (3, "stack", 31, True),
    (3, "stack", 32, True),
    (4, "fan_in", 40, True),
    (4, "fan_in", 41, True),
    (5, "bipartite", 50, False),
    (5, "bipartite", 51, False),
]

# orig, bene, label (AMLSim's is_sar), whether the corrected label is 1.
PAYMENTS = [
    ("10", "11", 0, True),  # inside bipartite alert 1
    ("11", "10", 0, True),  # the other way round, same alert
    ("10", "20", 0, False),  # members of two different bipartite alerts
    ("21", "11", 0, False),  # ... and back
    ("30", "32", 0, True),  # inside stack alert 3
    ("40", "41", 0, False),  # inside a fan_in alert: its payments are listed
    ("40", "41", 1, True),  # a listed SAR payment stays positive
    ("50", "51", 0, False),  # inside a bipartite false alert (is_sar False)
    ("10", "99", 0, False),  # a member paying an outsider
    ("98", "99", 0, False),  # two outsiders
    ("30", "30", 0, True),  # an account paying itself inside a stack alert
]


def alert_accounts() -> pl.DataFrame:
    return pl.DataFrame(
        MEMBERS,
        schema={
            "alert_id": pl.Int64,
            "alert_type": pl.String,
            "acct_id": pl.Int64,
            "is_sar": pl.Boolean,
        },
        orient="row",
    )


def ledger() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "tran_id": [str(i) for i in range(len(PAYMENTS))],
            "orig": [p[0] for p in PAYMENTS],
            "bene": [p[1] for p in PAYMENTS],
            "label": pl.Series([p[2] for p in PAYMENTS], dtype=pl.Int8),
        }
    )


def test_only_inside_one_bipartite_or_stack_sar_alert_is_relabelled() -> None:
    fixed = corrected_labels(ledger(), alert_accounts())
    assert fixed.dtype == pl.Int8
    assert fixed.to_list() == [int(p[3]) for p in PAYMENTS]


def test_inside_marks_relabelled_payments_not_listed_ones() -> None:
    inside = inside_alert(ledger(), alert_accounts()).to_list()
    expected = [p[3] and p[2] == 0 for p in PAYMENTS]
    assert inside == expected


def test_an_account_in_two_alerts_counts_for_each() -> None:
    # AMLSim's file has no such account, but the rule must not depend on it:
    # 10 is also in stack alert 3, so 10 -> 31 runs inside alert 3.
    members = pl.concat(
        [alert_accounts(), alert_accounts().filter(pl.col("acct_id") == 10)]
    ).with_columns(
        pl.when(pl.int_range(pl.len()) == len(MEMBERS))
        .then(pl.lit("stack"))
        .otherwise(pl.col("alert_type"))
        .alias("alert_type"),
        pl.when(pl.int_range(pl.len()) == len(MEMBERS))
        .then(3)
        .otherwise(pl.col("alert_id"))
        .alias("alert_id"),
    )
    payments = pl.DataFrame(
        {"orig": ["10", "10", "10"], "bene": ["31", "11", "20"], "label": [0, 0, 0]}
    )
    assert inside_alert(payments, members).to_list() == [True, True, False]
    assert inside_alert(payments.head(0), members).to_list() == []


def test_shape_ceiling_flags_the_shapes_worth_their_false_alerts(
    tmp_path: Path,
) -> None:
    # Test period: cycle 4 SAR + 1 false alert payments, fan_in 1 SAR + 3
    # false, 2 unlisted positives (relabelled), 5 ordinary payments.
    ids = [str(i) for i in range(16)]
    labels = [1] * 4 + [0] + [1] + [0] * 3 + [1] * 2 + [0] * 5
    test = pl.DataFrame({"tran_id": ids, "label": labels})
    alerts = pl.DataFrame(
        {
            "tran_id": list(range(9)),
            "alert_type": ["cycle"] * 5 + ["fan_in"] * 4,
            "is_sar": [True] * 4 + [False] + [True] + [False] * 3,
        }
    )
    with gzip.open(tmp_path / "alert_transactions.csv.gz", "wt") as out:
        out.write(alerts.write_csv())
    ceiling = shape_ceiling(test, tmp_path)
    assert ceiling["positives"] == 7
    assert ceiling["flagged_shapes"] == ["cycle", "unlisted"]
    # 6 hits, 1 false alert, 7 positives: F1 = 12 / (7 + 7).
    assert ceiling["f1_ceiling"] == round(12 / 14, 4)
    assert ceiling["per_shape"]["fan_in"] == {"positive": 1, "false_alert": 3}
