"""The Polars engine: every feature of ``features`` over a whole ledger.

Each transaction becomes two account events (paid out by its sender,
received by its receiver); window sums are left-closed rolling sums over
each account's events keyed by ``order_key``, which is exactly "earlier
transactions within the window", the same set the streaming engine keeps.
"""

from __future__ import annotations

import polars as pl

from accord.financing import features as ft
from accord.financing.ledger import AMOUNT, BENE, ORIG, TRAN_ID, TS

_ROW = "__row"
KEY = "__key"
_ACCT = "__acct"
_CP = "__cp"
_FLOW = "__flow"
_NEW = "__new"


def with_order_key(ledger: pl.DataFrame) -> pl.DataFrame:
    """Row index and order key; the ledger must already be in time order."""
    if not ledger[TS].is_sorted():
        ledger = ledger.sort(TS, maintain_order=True)
    position = pl.int_range(pl.len()).over(TS)
    return ledger.with_row_index(_ROW).with_columns(
        (pl.col(TS) * ft.ORDER_SLOTS + position).alias(KEY)
    )


def _events(tx: pl.DataFrame) -> pl.DataFrame:
    """Two rows per transaction, one per end, with first-contact flags."""
    common = [pl.col(_ROW), pl.col(KEY), pl.col(TS), pl.col(AMOUNT)]
    out = tx.select(
        *common,
        pl.col(ORIG).alias(_ACCT),
        pl.col(BENE).alias(_CP),
        pl.lit(ft.Flow.OUT.value).alias(_FLOW),
    )
    inward = tx.select(
        *common,
        pl.col(BENE).alias(_ACCT),
        pl.col(ORIG).alias(_CP),
        pl.lit(ft.Flow.IN.value).alias(_FLOW),
    )
    events = pl.concat([out, inward]).sort(KEY, _FLOW, descending=[False, True])
    first = pl.int_range(pl.len()).over(_ACCT, _CP, _FLOW) == 0
    return events.with_columns(first.cast(pl.Float64).alias(_NEW))


def _measure(flow: ft.Flow, measure: ft.Measure) -> pl.Expr:
    value = {
        ft.Measure.COUNT: pl.lit(1.0),
        ft.Measure.AMOUNT: pl.col(AMOUNT),
        ft.Measure.NEW_PARTY: pl.col(_NEW),
    }[measure]
    return pl.when(pl.col(_FLOW) == flow.value).then(value).otherwise(0.0)


def _account_features(events: pl.DataFrame, horizon: int) -> pl.DataFrame:
    """Window sums and dormancy gap per event, named without the side."""
    events = events.sort(_ACCT, KEY)
    sums = [
        _measure(w.flow, w.measure)
        .rolling_sum_by(KEY, f"{ft.window_span(w.days, horizon)}i", closed="left")
        .over(_ACCT)
        .fill_null(0.0)
        .alias(w.name.split("_", 1)[1])
        for w in ft.WINDOW_SUMS
        if w.side is ft.Side.ORIG
    ]
    dormancy = ft.DORMANCY_HORIZON_DAYS * ft.DAY * ft.ORDER_SLOTS
    last = (
        pl.col(TS)
        .rolling_max_by(KEY, f"{dormancy}i", closed="left")
        .over(_ACCT)
        .cast(pl.Float64)
    )
    gap = ((pl.col(TS) - last) / ft.DAY).fill_null(-1.0).alias("gap_days")
    gaps = [_flow_gap(flow, dormancy).alias(f"gap_{flow}_days") for flow in ft.Flow]
    return events.select(_ROW, _FLOW, *sums, gap, *gaps)


def _flow_gap(flow: ft.Flow, dormancy: int) -> pl.Expr:
    """Days since the account last paid (or was paid); -1 if not within the
    horizon. Other events count as time 0, which no real payment has."""
    stamped = pl.when(pl.col(_FLOW) == flow.value).then(pl.col(TS)).otherwise(0)
    last = stamped.rolling_max_by(KEY, f"{dormancy}i", closed="left").over(_ACCT)
    days = (pl.col(TS) - last).cast(pl.Float64) / ft.DAY
    return pl.when(last > 0).then(days).otherwise(-1.0)


def _side(features: pl.DataFrame, side: ft.Side) -> pl.DataFrame:
    flow = ft.Flow.OUT if side is ft.Side.ORIG else ft.Flow.IN
    rows = features.filter(pl.col(_FLOW) == flow.value).drop(_FLOW)
    return rows.rename({c: f"{side}_{c}" for c in rows.columns if c != _ROW})


def _pair_history() -> list[pl.Expr]:
    low = pl.min_horizontal(ORIG, BENE)
    high = pl.max_horizontal(ORIG, BENE)
    forward = (pl.col(ORIG) == low).cast(pl.Float64)
    backward = 1.0 - forward
    seen_forward = (forward.cum_sum() - forward).over(low, high)
    seen_backward = (backward.cum_sum() - backward).over(low, high)
    is_forward = pl.col(ORIG) == low
    return [
        pl.int_range(pl.len()).over(ORIG, BENE).cast(pl.Float64).alias("pair_prior"),
        pl.when(is_forward)
        .then(seen_backward)
        .otherwise(seen_forward)
        .alias("pair_reverse_prior"),
    ]


def _row_features() -> list[pl.Expr]:
    amount = pl.col(AMOUNT)
    band = pl.lit(False)
    for threshold in ft.REPORTING_THRESHOLDS:
        low = threshold * (1.0 - ft.STRUCTURING_BAND)
        band = band | ((amount >= low) & (amount < threshold))
    whole = (amount >= 100.0) & (amount % 100.0 == 0.0)
    return [
        band.cast(pl.Float64).alias("near_threshold"),
        whole.cast(pl.Float64).alias("round_amount"),
        (pl.col(ORIG) == pl.col(BENE)).cast(pl.Float64).alias("self_transfer"),
    ]


def compute_features(ledger: pl.DataFrame) -> pl.DataFrame:
    """``tran_id`` and every feature, one row per transaction in time order."""
    tx = with_order_key(ledger)
    if tx.height == 0:
        schema = {TRAN_ID: pl.String(), **dict.fromkeys(ft.FEATURE_NAMES, pl.Float64())}
        return pl.DataFrame(schema=schema)
    keys = tx[KEY].to_numpy()
    horizon = int(keys.max() - keys.min()) + 1
    per_event = _account_features(_events(tx), horizon)
    tx = (
        tx.sort(KEY)
        .with_columns(*_pair_history(), *_row_features())
        .join(_side(per_event, ft.Side.ORIG), on=_ROW)
        .join(_side(per_event, ft.Side.BENE), on=_ROW)
        .sort(_ROW)
    )
    columns = {name: pl.col(name) for name in tx.columns}
    derived = [d.formula(columns).alias(d.name) for d in ft.DERIVED]
    tx = tx.with_columns(*derived)
    return tx.select(TRAN_ID, *(pl.col(n).cast(pl.Float64) for n in ft.FEATURE_NAMES))
