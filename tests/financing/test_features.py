"""The feature definitions, and the batch and streaming engines that compute them."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import InvalidData
from accord.financing import features as ft
from accord.financing.batch import compute_features
from accord.financing.ledger import LABEL, Transaction, in_time_order, transactions_of
from accord.financing.sources import read_ledger
from accord.financing.stream import FeatureStream
from tests.financing.support import AMLSIM_EXCERPT, tx


def ledger_of(rows: list[Transaction]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "tran_id": [r.tran_id for r in rows],
            "orig": [r.orig for r in rows],
            "bene": [r.bene for r in rows],
            "amount": [r.amount for r in rows],
            "currency": [r.currency for r in rows],
            "ts": [r.ts for r in rows],
            "tx_type": [r.tx_type for r in rows],
        }
    )


def streamed(rows: list[Transaction]) -> np.ndarray:
    stream = FeatureStream()
    features = [stream.update(row) for row in rows]
    return np.array([[f[n] for n in ft.FEATURE_NAMES] for f in features], dtype=float)


def batched(ledger: pl.DataFrame) -> np.ndarray:
    return compute_features(ledger).select(ft.FEATURE_NAMES).to_numpy()


@pytest.fixture(scope="module")
def excerpt() -> pl.DataFrame:
    return in_time_order(read_ledger(AMLSIM_EXCERPT, "amlsim")).head(12_000)


def test_streaming_and_batch_give_the_same_features(excerpt: pl.DataFrame) -> None:
    stream = streamed(transactions_of(excerpt))
    batch = batched(excerpt)
    assert stream.shape == batch.shape == (12_000, len(ft.FEATURE_NAMES))
    np.testing.assert_allclose(stream, batch, rtol=1e-9, atol=1e-6)
    assert batch[:, ft.FEATURE_NAMES.index("pair_prior")].max() > 0
    assert batch[:, ft.FEATURE_NAMES.index("orig_out_new_party_7d")].max() > 1


def test_features_never_see_later_transactions(excerpt: pl.DataFrame) -> None:
    """Changing or dropping the future leaves every earlier row unchanged."""
    cut = 6_000
    full = batched(excerpt)[:cut]
    truncated = batched(excerpt.head(cut))
    future = excerpt.with_columns(
        pl.when(pl.int_range(pl.len()) >= cut)
        .then(pl.col("amount") * 7)
        .otherwise(pl.col("amount"))
        .alias("amount")
    )
    np.testing.assert_allclose(truncated, full, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(batched(future)[:cut], full, rtol=1e-9, atol=1e-6)


def test_labels_are_not_features(excerpt: pl.DataFrame) -> None:
    flipped = excerpt.with_columns((1 - pl.col(LABEL)).alias(LABEL))
    assert compute_features(flipped).equals(compute_features(excerpt))
    assert not any("label" in n or "sar" in n or "alert" in n for n in ft.FEATURE_NAMES)


def test_a_small_ledger_by_hand() -> None:
    rows = [
        tx("1", "a", "hub", 100.0, 0),
        tx("2", "b", "hub", 50.0, 0),  # same timestamp, later in the file
        tx("3", "a", "hub", 20.0, 2),
        tx("4", "hub", "a", 160.0, 3),
        tx("5", "hub", "c", 9_500.0, 40),
        tx("6", "hub", "c", 10.0, 45),
    ]
    features = compute_features(ledger_of(rows)).rows(named=True)
    second, third, fourth, fifth = features[1], features[2], features[3], features[4]
    sixth = features[5]
    assert second["bene_in_count_1d"] == 1.0  # the first payment, same second
    assert second["bene_in_new_party_7d"] == 1.0
    assert third["pair_prior"] == 1.0
    assert third["bene_in_amount_7d"] == 150.0
    assert third["orig_gap_days"] == 2.0
    assert fourth["pair_reverse_prior"] == 2.0
    assert fourth["orig_in_amount_7d"] == 170.0
    assert fourth["orig_pass_through_7d"] == pytest.approx(0.0)
    assert fifth["near_threshold"] == 1.0
    assert fifth["orig_in_amount_30d"] == 0.0  # 37+ days ago: outside 30 days
    assert fifth["orig_in_count_90d"] == 3.0
    assert fifth["orig_out_count_all"] == 1.0
    assert fifth["bene_gap_days"] == -1.0  # never seen before
    assert third["pair_gap_days"] == 2.0
    assert fifth["pair_gap_days"] == -1.0
    assert third["orig_prev_gap_out_days"] == -1.0  # one earlier payment only
    assert third["bene_prev_gap_in_days"] == 0.0  # hub's receipts on day 0 and 0
    assert sixth["orig_prev_gap_out_days"] == 37.0  # hub paid on days 3 and 40
    assert sixth["pair_gap_days"] == 5.0
    np.testing.assert_allclose(streamed(rows), batched(ledger_of(rows)))


def test_lifetime_and_pair_counts_stop_at_the_cap() -> None:
    rows = [tx(str(n), "a", "b", 10.0, n) for n in range(6)]
    last = compute_features(ledger_of(rows)).rows(named=True)[-1]
    assert last["pair_prior"] == ft.COUNT_CAP
    assert last["orig_out_count_all"] == ft.COUNT_CAP
    assert last["orig_out_count_7d"] == 5.0  # windows are not capped
    np.testing.assert_allclose(streamed(rows), batched(ledger_of(rows)))


def test_self_transfers_agree_between_engines() -> None:
    rows = [
        tx("1", "a", "a", 10.0, 0),
        tx("2", "a", "a", 10.0, 0),
        tx("3", "a", "b", 5, 1),
    ]
    np.testing.assert_allclose(streamed(rows), batched(ledger_of(rows)))


def test_the_stream_refuses_to_go_back_in_time() -> None:
    stream = FeatureStream()
    stream.update(tx("1", "a", "b", 10.0, 5))
    with pytest.raises(InvalidData, match="time order"):
        stream.update(tx("2", "a", "b", 10.0, 4))


def test_derived_formulas_run_on_floats_and_expressions() -> None:
    values = dict.fromkeys(ft.FEATURE_NAMES, 1.0)
    for derived in ft.DERIVED:
        assert isinstance(derived.formula(values), float)
        assert isinstance(derived.formula({n: pl.col(n) for n in values}), pl.Expr)


@st.composite
def small_ledgers(draw: st.DrawFn) -> list[Transaction]:
    """Few accounts, many repeats, shared timestamps and self-transfers:
    the cases where window edges and equal keys matter."""
    accounts = ["a", "b", "c", "d"]
    count = draw(st.integers(min_value=1, max_value=40))
    days = sorted(
        draw(
            st.lists(
                st.sampled_from([0, 0.5, 1, 1, 7, 8, 30, 31, 90, 91, 200, 450, 451]),
                min_size=count,
                max_size=count,
            )
        )
    )
    return [
        tx(
            str(n),
            draw(st.sampled_from(accounts)),
            draw(st.sampled_from(accounts)),
            draw(st.sampled_from([1.0, 99.5, 2_950.0, 9_500.0])),
            day,
        )
        for n, day in enumerate(days)
    ]


@settings(max_examples=150, deadline=None)
@given(small_ledgers())
def test_both_engines_agree_on_any_small_ledger(rows: list[Transaction]) -> None:
    np.testing.assert_allclose(
        streamed(rows), batched(ledger_of(rows)), rtol=1e-9, atol=1e-9
    )
