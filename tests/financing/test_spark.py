"""The Spark engine gives the Polars engine's features (local mode, one session)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from accord.financing import features as ft
from accord.financing.batch import compute_features
from accord.financing.ledger import in_time_order
from accord.financing.sources import read_ledger
from accord.financing.spark import collect_features, compute_features_spark, to_spark
from tests.financing.support import AMLSIM_EXCERPT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java and no `java` is on PATH")
    session_module = pytest.importorskip("pyspark.sql")
    session = (
        session_module.SparkSession.builder.master("local[2]")
        .appName("accord-financing-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    yield session
    session.stop()


def test_spark_and_polars_give_the_same_features(spark: Any) -> None:
    ledger = in_time_order(read_ledger(AMLSIM_EXCERPT, "amlsim")).head(4_000)
    on_spark = collect_features(compute_features_spark(to_spark(spark, ledger)))
    on_polars = compute_features(ledger)
    assert on_spark["tran_id"].to_list() == on_polars["tran_id"].to_list()
    np.testing.assert_allclose(
        on_spark.select(ft.FEATURE_NAMES).to_numpy(),
        on_polars.select(ft.FEATURE_NAMES).to_numpy(),
        rtol=1e-9,
        atol=1e-6,
    )
