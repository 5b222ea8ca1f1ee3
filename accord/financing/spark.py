"""The Spark engine: the features of ``features`` for volumes beyond one machine.

The same definitions as the Polars engine, as Spark window functions: each
window sum is a ``rangeBetween(-span, -1)`` frame over the account's events
ordered by ``order_key``, which is exactly "earlier, within the window".
PySpark is imported only here, and only when this module is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import polars as pl

from accord.financing import features as ft
from accord.financing.ledger import AMOUNT, BENE, LEDGER_SCHEMA, ORIG, TRAN_ID, TS

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, SparkSession

ROW = "row_"
KEY = "key_"
ACCT, PARTY, FLOW, NEW = "acct_", "party_", "flow_", "new_"


def to_spark(spark: SparkSession, ledger: pl.DataFrame) -> DataFrame:
    """A Polars ledger as a Spark frame (for tests and small hand-offs)."""
    columns = list(LEDGER_SCHEMA)
    return spark.createDataFrame(ledger.select(columns).rows(), schema=_schema())


def _schema() -> Any:
    from pyspark.sql import types as st  # noqa: PLC0415 - optional dependency

    kinds = {pl.String(): st.StringType(), pl.Float64(): st.DoubleType()}
    kinds[pl.Int64()] = st.LongType()
    fields = [st.StructField(n, kinds[t], True) for n, t in LEDGER_SCHEMA.items()]
    return st.StructType(fields)


def _window(*partition: str, low: int | None, sort: str = KEY) -> Any:
    from pyspark.sql import Window  # noqa: PLC0415 - optional dependency

    frame = Window.unboundedPreceding if low is None else -low
    return Window.partitionBy(*partition).orderBy(sort).rangeBetween(frame, -1)


def _keyed(frame: DataFrame) -> DataFrame:
    """Row number and order key, with ties in time kept in input order."""
    from pyspark.sql import Window  # noqa: PLC0415
    from pyspark.sql import functions as F  # noqa: PLC0415

    ordered = frame.withColumn(ROW, F.monotonically_increasing_id())
    position = F.row_number().over(Window.partitionBy(TS).orderBy(ROW)) - 1
    return ordered.withColumn(KEY, F.col(TS) * ft.ORDER_SLOTS + position)


def _events(tx: DataFrame) -> DataFrame:
    from pyspark.sql import Window  # noqa: PLC0415
    from pyspark.sql import functions as F  # noqa: PLC0415

    common = [F.col(ROW), F.col(KEY), F.col(TS), F.col(AMOUNT)]
    out = tx.select(
        *common,
        F.col(ORIG).alias(ACCT),
        F.col(BENE).alias(PARTY),
        F.lit("out").alias(FLOW),
    )
    inward = tx.select(
        *common,
        F.col(BENE).alias(ACCT),
        F.col(ORIG).alias(PARTY),
        F.lit("in").alias(FLOW),
    )
    first = F.row_number().over(Window.partitionBy(ACCT, PARTY, FLOW).orderBy(KEY)) == 1
    return out.unionByName(inward).withColumn(NEW, first.cast("double"))


def _account_columns() -> list[Column]:
    from pyspark.sql import functions as F  # noqa: PLC0415

    value = {
        ft.Measure.COUNT: F.lit(1.0),
        ft.Measure.AMOUNT: F.col(AMOUNT),
        ft.Measure.NEW_PARTY: F.col(NEW),
    }
    columns = []
    for w in ft.WINDOW_SUMS:
        if w.side is not ft.Side.ORIG:
            continue
        measured = F.when(F.col(FLOW) == w.flow.value, value[w.measure]).otherwise(0.0)
        span = None if w.days == ft.ALL_HISTORY else ft.window_span(w.days, 0)
        summed = F.coalesce(F.sum(measured).over(_window(ACCT, low=span)), F.lit(0.0))
        if w.days == ft.ALL_HISTORY:
            summed = F.least(summed, F.lit(ft.COUNT_CAP))
        columns.append(summed.alias(w.name.split("_", 1)[1]))
    dormancy = ft.DORMANCY_HORIZON_DAYS * ft.DAY * ft.ORDER_SLOTS
    last = F.max(TS).over(_window(ACCT, low=dormancy))
    gap = F.coalesce((F.col(TS) - last) / float(ft.DAY), F.lit(-1.0))
    columns.append(gap.alias("gap_days"))
    for flow in ft.Flow:
        stamped = F.when(F.col(FLOW) == flow.value, F.col(TS)).otherwise(F.lit(0))
        flow_last = F.max(stamped).over(_window(ACCT, low=dormancy))
        days = (F.col(TS) - flow_last) / float(ft.DAY)
        flow_gap = F.when(flow_last > 0, days).otherwise(F.lit(-1.0))
        columns.append(flow_gap.alias(f"gap_{flow}_days"))
    columns.append(_previous_gap().alias("prev_gap_days"))
    return columns


def _previous_gap() -> Column:
    """Days between the two earlier events of the event's own flow; one
    account never has two events of one flow at one key, so row lags are
    exact."""
    from pyspark.sql import Window  # noqa: PLC0415
    from pyspark.sql import functions as F  # noqa: PLC0415

    own = Window.partitionBy(ACCT, FLOW).orderBy(KEY)
    gap = (F.lag(TS, 1).over(own) - F.lag(TS, 2).over(own)) / float(ft.DAY)
    return F.coalesce(gap, F.lit(-1.0))


def _side(per_event: DataFrame, side: ft.Side) -> DataFrame:
    from pyspark.sql import functions as F  # noqa: PLC0415

    flow = "out" if side is ft.Side.ORIG else "in"
    rows = per_event.filter(F.col(FLOW) == flow).drop(FLOW)
    named = {"prev_gap_days": f"{side}_prev_gap_{flow}_days"}
    return rows.select(
        ROW,
        *(
            F.col(c).alias(named.get(c, f"{side}_{c}"))
            for c in rows.columns
            if c != ROW
        ),
    )


def _pair_and_row_columns() -> list[Column]:
    from pyspark.sql import functions as F  # noqa: PLC0415

    forward = F.col(ORIG) == F.col("low_")
    pair = _window(ORIG, BENE, low=None)
    unordered = _window("low_", "high_", low=None)
    seen_forward = F.sum(forward.cast("double")).over(unordered)
    seen_backward = F.sum((~forward).cast("double")).over(unordered)
    reverse = F.when(forward, seen_backward).otherwise(seen_forward)
    amount = F.col(AMOUNT)
    band = F.lit(False)
    for threshold in ft.REPORTING_THRESHOLDS:
        band = band | (
            (amount >= threshold * (1.0 - ft.STRUCTURING_BAND)) & (amount < threshold)
        )
    whole = (amount >= 100.0) & (amount % 100.0 == 0.0)
    cap = F.lit(ft.COUNT_CAP)
    prior = F.coalesce(F.count(F.lit(1)).over(pair).cast("double"), F.lit(0.0))
    last_paid = F.max(TS).over(pair)
    return [
        F.least(prior, cap).alias("pair_prior"),
        F.least(F.coalesce(reverse, F.lit(0.0)), cap).alias("pair_reverse_prior"),
        F.coalesce((F.col(TS) - last_paid) / float(ft.DAY), F.lit(-1.0)).alias(
            "pair_gap_days"
        ),
        band.cast("double").alias("near_threshold"),
        whole.cast("double").alias("round_amount"),
        (F.col(ORIG) == F.col(BENE)).cast("double").alias("self_transfer"),
    ]


def compute_features_spark(ledger: DataFrame) -> DataFrame:
    """``tran_id``, the row number and every feature, one row per transaction.

    ``ledger`` must be in time order (ties in file order), as for the Polars
    engine; the result is ordered by the row number.
    """
    from pyspark.sql import functions as F  # noqa: PLC0415

    tx = _keyed(ledger).withColumns(
        {"low_": F.least(ORIG, BENE), "high_": F.greatest(ORIG, BENE)}
    )
    events = _events(tx)
    per_event = events.select(ROW, FLOW, *_account_columns())
    tx = (
        tx.select(ROW, KEY, TRAN_ID, TS, ORIG, BENE, AMOUNT, "low_", "high_")
        .select("*", *_pair_and_row_columns())
        .join(_side(per_event, ft.Side.ORIG), on=ROW)
        .join(_side(per_event, ft.Side.BENE), on=ROW)
    )
    columns = {name: F.col(name) for name in tx.columns}
    derived = {d.name: d.formula(columns) for d in ft.DERIVED}
    tx = tx.withColumns(derived)
    return tx.select(
        ROW, TRAN_ID, *(F.col(n).cast("double").alias(n) for n in ft.FEATURE_NAMES)
    ).orderBy(ROW)


def collect_features(frame: DataFrame) -> pl.DataFrame:
    """A Spark feature frame back as Polars, in row order."""
    names = [TRAN_ID, *ft.FEATURE_NAMES]
    rows = [tuple(row[name] for name in names) for row in frame.collect()]
    schema = {TRAN_ID: pl.String(), **dict.fromkeys(ft.FEATURE_NAMES, pl.Float64())}
    return pl.DataFrame(rows, schema=schema, orient="row")
