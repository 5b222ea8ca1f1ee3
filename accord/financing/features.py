"""The transaction features, defined once for every engine.

Each transaction is seen from both ends: its sender (``orig``) and its
receiver (``bene``). Every feature is *causal*: it reads only transactions
strictly earlier in time order, never the one being scored nor any later.
Time order is ``order_key``: the timestamp, then the position among
transactions sharing that timestamp, so a day's 500 payments are not all
"simultaneous" (AMLSim stamps a whole day with one time).

The definitions below are data: the Polars engine (``batch``), the
incremental engine (``stream``) and the Spark engine (``spark``) each
compute them from these objects, and tests check the three agree. Derived
features are formulas written only with arithmetic, so the same function
runs on Polars expressions, Spark columns and plain floats.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from accord.financing.native import check_fresh

# Every engine imports this module first: a compiled copy of it, or of the
# streaming engine, must not be older than its source (see ``native``).
check_fresh()

DAY: Final = 86_400
ORDER_SLOTS: Final = 1 << 20  # transactions allowed to share one timestamp
DORMANCY_HORIZON_DAYS: Final = 400
WINDOW_DAYS: Final[tuple[int, ...]] = (1, 7, 30, 90)
ALL_HISTORY: Final = 0
# Lifetime and pair counts stop at this: "never, once, twice, three or more".
# Uncapped, they grow with the age of the data, so a model trained on earlier
# months meets larger values in later ones (measured on AMLSim: a 100-tree
# model scored F1 0.69 on its validation months and 0.38 on the next ones
# with raw counts, 0.69 and 0.67 with capped ones).
COUNT_CAP: Final = 3.0
# Thresholds above which many jurisdictions require a cash or wire report;
# structuring keeps amounts just below them.
REPORTING_THRESHOLDS: tuple[float, ...] = (3_000.0, 10_000.0, 15_000.0)
STRUCTURING_BAND: Final = 0.10


class Side(StrEnum):
    """Which end of the transaction a feature looks at."""

    ORIG = "orig"
    BENE = "bene"


class Flow(StrEnum):
    """Which of that account's past transactions: paid out, or received."""

    OUT = "out"
    IN = "in"


class Measure(StrEnum):
    """What is summed over the window."""

    COUNT = "count"
    AMOUNT = "amount"
    NEW_PARTY = "new_party"  # transfers with a counterparty never seen before


@dataclass(frozen=True, slots=True)
class WindowSum:
    """Sum of ``measure`` over the account's earlier ``flow`` transactions
    within ``days`` days before this one (``ALL_HISTORY``: no limit)."""

    side: Side
    flow: Flow
    measure: Measure
    days: int

    @property
    def name(self) -> str:
        span = "all" if self.days == ALL_HISTORY else f"{self.days}d"
        return f"{self.side}_{self.flow}_{self.measure}_{span}"


@dataclass(frozen=True, slots=True)
class Derived:
    """A feature computed from others by arithmetic only."""

    name: str
    formula: Callable[[Mapping[str, Any]], Any]
    detail: str


def _window_sums() -> tuple[WindowSum, ...]:
    """Every measure over every window, plus lifetime counts.

    Lifetime counts ("has this account ever paid anyone?") are among the
    strongest signals on AMLSim; they are capped at ``COUNT_CAP``, and
    lifetime amounts are left out, because both only grow with the age of
    the data.
    """
    sums = []
    for side in Side:
        for flow in Flow:
            for measure in Measure:
                for days in WINDOW_DAYS:
                    sums.append(WindowSum(side, flow, measure, days))
            sums.append(WindowSum(side, flow, Measure.COUNT, ALL_HISTORY))
    return tuple(sums)


WINDOW_SUMS = _window_sums()

# Per-transaction values that need no history.
ROW_FEATURES = ("amount", "near_threshold", "round_amount", "self_transfer")
# History of the pair and of each account beyond window sums.
HISTORY_FEATURES = (
    # Earlier payments from this sender to this receiver, and the other way,
    # up to COUNT_CAP.
    "pair_prior",
    "pair_reverse_prior",
    "orig_gap_days",  # days since the sender's last transaction, -1 if none
    "bene_gap_days",  # days since the receiver's last transaction, -1 if none
    # The same per direction: how soon money received is paid on (FATF: quick
    # withdrawal), and how long since an account last paid or was paid.
    "orig_gap_in_days",
    "orig_gap_out_days",
    "bene_gap_in_days",
    "bene_gap_out_days",
    # The rhythm before this payment: days between the sender's two previous
    # payments and between the receiver's two previous receipts (-1 if fewer
    # than two). Ordinary standing payments keep a cadence; a payment that
    # breaks it, or a first contact, stands out against it.
    "orig_prev_gap_out_days",
    "bene_prev_gap_in_days",
    "pair_gap_days",  # days since this sender last paid this receiver, -1 if never
)

DERIVED = (
    Derived(
        "orig_pass_through_7d",
        lambda f: f["orig_out_amount_7d"] / (f["orig_in_amount_7d"] + 1.0),
        "what the sender paid out in 7 days over what it received",
    ),
    Derived(
        "orig_forward_share_1d",
        lambda f: f["amount"] / (f["orig_in_amount_1d"] + 1.0),
        "this payment against what the sender received in the last day",
    ),
    Derived(
        "bene_in_share_30d",
        lambda f: f["amount"] / (f["bene_in_amount_30d"] + f["amount"] + 1.0),
        "this payment's share of the receiver's 30-day inflow",
    ),
    Derived(
        "orig_amount_vs_mean_30d",
        lambda f: (
            f["amount"]
            * (f["orig_out_count_30d"] + 1.0)
            / (f["orig_out_amount_30d"] + f["amount"] + 1.0)
        ),
        "this payment against the sender's mean payment over 30 days",
    ),
    Derived(
        "bene_new_sender_ratio_7d",
        lambda f: f["bene_in_new_party_7d"] / (f["bene_in_count_7d"] + 1.0),
        "share of the receiver's 7-day inflows from first-time senders",
    ),
    Derived(
        "orig_new_receiver_ratio_7d",
        lambda f: f["orig_out_new_party_7d"] / (f["orig_out_count_7d"] + 1.0),
        "share of the sender's 7-day payments to first-time receivers",
    ),
    Derived(
        "orig_burst_7d_vs_90d",
        lambda f: f["orig_out_count_7d"] * 100.0 / (f["orig_out_count_90d"] + 1.0),
        "the sender's 7-day activity against its last 90 days",
    ),
    Derived(
        "bene_burst_7d_vs_90d",
        lambda f: f["bene_in_count_7d"] * 100.0 / (f["bene_in_count_90d"] + 1.0),
        "the receiver's 7-day inflows against its last 90 days",
    ),
)

FEATURE_NAMES: tuple[str, ...] = (
    *ROW_FEATURES,
    *HISTORY_FEATURES,
    *[window.name for window in WINDOW_SUMS],
    *[derived.name for derived in DERIVED],
)


class _NameRecorder(dict[str, float]):
    """A mapping that answers 1.0 to any name and remembers what was asked."""

    def __missing__(self, name: str) -> float:
        self[name] = 1.0
        return 1.0


def derived_inputs() -> tuple[str, ...]:
    """The features the derived formulas read, in ``FEATURE_NAMES`` order.

    Found by running each formula on a recording mapping, so the formulas
    stay the one place that says what they need.
    """
    recorder = _NameRecorder()
    for derived in DERIVED:
        derived.formula(recorder)
    return tuple(name for name in FEATURE_NAMES if name in recorder)


def near_threshold(amount: float) -> float:
    """1.0 when the amount sits within 10 % below a reporting threshold."""
    for threshold in REPORTING_THRESHOLDS:
        if threshold * (1.0 - STRUCTURING_BAND) <= amount < threshold:
            return 1.0
    return 0.0


def round_amount(amount: float) -> float:
    """1.0 for whole hundreds: people pick round sums, simulators rarely do."""
    return 1.0 if amount >= 100.0 and amount % 100.0 == 0.0 else 0.0


def order_key(ts: int, position: int) -> int:
    """The time-order key: timestamp first, then position within it."""
    return ts * ORDER_SLOTS + position


def window_span(days: int, horizon: int) -> int:
    """The width of a window in order-key units; all history is ``horizon``."""
    return horizon if days == ALL_HISTORY else days * DAY * ORDER_SLOTS
