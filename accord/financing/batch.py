"""The columnar engine: every feature of ``features`` over a whole ledger.

Each transaction becomes two account events (paid out by its sender,
received by its receiver). Events are sorted once by account and time
order; "the account's earlier events within N days" is then a contiguous
run ``[start, end)`` of that order, found by binary search, and a window
sum is the difference of two per-account running sums. This computes all
windows of all accounts at once: Polars' ``rolling_sum_by(...).over()``
gives the same numbers but regroups the events once per feature, which is
ten times slower on a 600,000-transaction ledger. Polars reads, orders and
encodes the ledger and counts pairs; the index arithmetic is NumPy over
the sorted columns, and ``spark`` is the engine for ledgers beyond one
machine.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor

import numpy as np
import numpy.typing as npt
import polars as pl

from accord.errors import InvalidData
from accord.financing import features as ft
from accord.financing.ledger import AMOUNT, BENE, ORIG, TRAN_ID, TS

_ROW = "__row"
KEY = "__key"
_INDEX_BITS = 62  # account code and time rank share one int64 search key
_BLOCK_ROWS = 4096

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Flags = npt.NDArray[np.bool_]
# The running sums kept per event, in this column order.
_MEASURES = tuple((flow, measure) for flow in ft.Flow for measure in ft.Measure)


def with_order_key(ledger: pl.DataFrame) -> pl.DataFrame:
    """Row index and order key; the ledger must already be in time order."""
    if not ledger[TS].is_sorted():
        ledger = ledger.sort(TS, maintain_order=True)
    ts = ledger[TS].to_numpy()
    # The position among equal timestamps; the frame is sorted by time, so
    # it is the distance from the start of the run of equal stamps.
    rows = np.arange(len(ts))
    run_start = np.maximum.accumulate(
        np.where(np.diff(ts, prepend=ts[:1] - 1) != 0, rows, 0)
    )
    keys = ts * ft.ORDER_SLOTS + (rows - run_start)
    return ledger.with_row_index(_ROW).with_columns(pl.Series(KEY, keys))


def _account_codes(tx: pl.DataFrame) -> tuple[Ints, Ints]:
    """Integer codes for senders and receivers, one code per account."""
    both = pl.concat([tx[ORIG], tx[BENE]]).cast(pl.Categorical).to_physical()
    codes = both.cast(pl.Int64).to_numpy()
    return codes[: tx.height], codes[tx.height :]


class _Events:
    """Both ends of every transaction, sorted by (account, time order).

    A transaction's row number is its rank in time order, so
    ``account << bits | row`` is ascending in the sort order, and "the
    account's first event at or after row r" is one ``searchsorted``.
    """

    def __init__(self, keys: Ints, orig: Ints, bene: Ints, amount: Floats) -> None:
        rows = len(keys)
        self.bits = max(rows.bit_length(), 1)
        accounts = int(max(orig.max(), bene.max())) + 1
        if accounts.bit_length() + self.bits + 1 > _INDEX_BITS:
            raise InvalidData(
                "too many accounts and transactions for one machine's batch "
                "features; use accord.financing.spark"
            )
        row = np.arange(rows, dtype=np.int64)
        account = np.concatenate((orig, bene))
        unsorted = (account << self.bits) | np.concatenate((row, row))
        self.order = np.argsort(unsorted, kind="stable")
        self.search: Ints = unsorted[self.order]
        self.account = account[self.order]
        self.row = self.search & ((1 << self.bits) - 1)
        self.outward: Flags = self.order < rows
        party = np.concatenate((bene, orig))[self.order]
        self.amount = np.concatenate((amount, amount))[self.order]
        self.keys = keys
        changes = np.cumsum(self.account[1:] != self.account[:-1])
        self.dense: Ints = np.concatenate(([0], changes)).astype(np.int64)
        self.end = np.searchsorted(self.search, self.search)
        contact = (self.account * accounts + party) * 2 + self.outward
        self.new_party = pl.Series(contact).is_first_distinct().to_numpy()

    def start(self, span: int) -> Ints:
        """Each event's first same-account event with key ≥ its key − span."""
        rank = np.searchsorted(self.keys, self.keys - span)
        wanted = (self.account << self.bits) | rank[self.row]
        found: Ints = np.searchsorted(self.search, wanted)
        return found

    def running_sums(self) -> Floats:
        """Per-account sums of each measure in ``_MEASURES`` over the events
        before each slot.

        Each account's events get one extra slot after its last, holding
        its total, so the sums before any position of the account, from its
        first event to one past its last, are one row lookup
        (``slot(position, at)``). Sums are segmented per account, so an
        account's figures depend only on its own events: transactions
        elsewhere cannot shift their rounding.
        """
        dense = self.dense
        slots = np.arange(len(self.search)) + dense
        width = len(self.search) + int(dense[-1]) + 1
        segment = np.zeros(width, dtype=np.int64)
        segment[slots] = dense
        segment[slots + 1] = dense  # the account's closing slot
        columns: dict[str, npt.NDArray[np.generic]] = {"segment": segment}
        new_party = self.new_party.astype(np.float64)
        measured: dict[ft.Measure, Floats] = {
            ft.Measure.COUNT: np.ones(len(slots)),
            ft.Measure.AMOUNT: self.amount,
            ft.Measure.NEW_PARTY: new_party,
        }
        for index, (flow, measure) in enumerate(_MEASURES):
            value = measured[measure]
            column = np.zeros(width)
            column[slots] = np.where(self.outward == (flow is ft.Flow.OUT), value, 0.0)
            columns[str(index)] = column
        frame = pl.DataFrame(columns)
        measures = [str(i) for i in range(len(_MEASURES))]
        before = frame.select(
            # Shifted, not "cum_sum minus own value": that would leave
            # rounding residue where an empty window must read exactly 0.
            pl.col(measures).cum_sum().shift(1, fill_value=0.0).over("segment")
        )
        running: Floats = before.to_numpy()
        return running

    def slot(self, position: Ints, at: Ints | slice) -> Ints:
        """The running-sum row for ``position`` in the account of event(s) ``at``."""
        found: Ints = position + self.dense[at]
        return found


def _latest_where(mask: Flags) -> Ints:
    """For each position, the last position at or before it where ``mask``
    holds (-1 if none)."""
    positions = np.where(mask, np.arange(len(mask)), -1)
    latest: Ints = np.maximum.accumulate(positions)
    return latest


def _before(latest: Ints, position: Ints) -> Ints:
    """``_latest_where`` read strictly before each ``position`` (-1 at 0)."""
    found: Ints = np.where(position > 0, latest[np.maximum(position - 1, 0)], -1)
    return found


def _last_before(mask: Flags, end: Ints) -> Ints:
    """For each event, the last position before its ``end`` where ``mask``
    holds (-1 if none): events sharing its key, such as the other end of a
    self-transfer, are not before it."""
    return _before(_latest_where(mask), end)


# Per-event account features, named without the side, in this column order.
_EVENT_WINDOWS = tuple(w for w in ft.WINDOW_SUMS if w.side is ft.Side.ORIG)
_EVENT_COLUMNS = (
    *(w.name.split("_", 1)[1] for w in _EVENT_WINDOWS),
    "gap_days",
    *(f"gap_{flow}_days" for flow in ft.Flow),
    "prev_gap_days",  # between the two earlier events of the event's own flow
)
# Whose own flow a side reads: the sender's payments, the receiver's receipts.
_OWN_FLOW = {ft.Side.ORIG: ft.Flow.OUT, ft.Side.BENE: ft.Flow.IN}
_COLUMN = {name: index for index, name in enumerate(ft.FEATURE_NAMES)}


def _window_span_of(side: ft.Side) -> tuple[int, int]:
    """Where a side's window sums sit in ``FEATURE_NAMES``: adjacent, in
    ``_EVENT_WINDOWS`` order (checked, as the writer relies on it)."""
    names = [w.name for w in ft.WINDOW_SUMS if w.side is side]
    first = _COLUMN[names[0]]
    if [_COLUMN[n] - first for n in names] != list(range(len(names))):
        raise AssertionError(f"the {side} window sums are not adjacent")
    return first, first + len(names)


_WINDOW_SPANS = {side: _window_span_of(side) for side in ft.Side}


class _AccountWindows:
    """Window sums and dormancy gaps of every event, computed in event
    order, where an event's window and its running sums lie next to it in
    memory; ``write`` then picks each side's row for a block of
    transactions (one random read per side instead of one per window)."""

    def __init__(self, events: _Events, ts: Ints, horizon: int, pool: Executor) -> None:
        self.rows = len(ts)
        self.position = np.empty(2 * self.rows, dtype=np.int64)
        self.position[events.order] = np.arange(2 * self.rows)
        self.per_event = self._per_event(events, ts, horizon, pool)

    @staticmethod
    def _per_event(events: _Events, ts: Ints, horizon: int, pool: Executor) -> Floats:
        running_sums = pool.submit(events.running_sums)
        days = sorted({w.days for w in _EVENT_WINDOWS})
        spans = [ft.window_span(d, horizon) for d in days]
        spans.append(ft.DORMANCY_HORIZON_DAYS * ft.DAY * ft.ORDER_SLOTS)
        *found, recent = pool.map(events.start, spans)
        starts = dict(zip(days, found, strict=True))
        lasts = [
            events.end - 1,
            *(
                _last_before(events.outward == (flow is ft.Flow.OUT), events.end)
                for flow in ft.Flow
            ),
        ]
        event_ts = ts[events.row]
        previous_gap = _previous_gap(events, event_ts)
        values: Floats = np.empty((len(event_ts), len(_EVENT_COLUMNS)))
        running = running_sums.result()

        def fill(at: slice) -> None:
            upto = running[events.slot(events.end[at], at)]
            block = values[at]
            sums = {
                days: upto - running[events.slot(start[at], at)]
                for days, start in starts.items()
            }
            for index, w in enumerate(_EVENT_WINDOWS):
                summed = sums[w.days][:, _MEASURES.index((w.flow, w.measure))]
                if w.days == ft.ALL_HISTORY:
                    summed = np.minimum(summed, ft.COUNT_CAP)
                block[:, index] = summed
            for index, last in enumerate(lasts, start=len(_EVENT_WINDOWS)):
                before = last[at]
                days_since = (event_ts[at] - event_ts[np.maximum(before, 0)]) / ft.DAY
                block[:, index] = np.where(before >= recent[at], days_since, -1.0)
            block[:, -1] = previous_gap[at]

        _in_blocks(len(event_ts), fill, pool)
        return values

    def write(self, rows: slice, block: Floats) -> None:
        """Write the account features of transactions ``rows`` into their
        ``block`` of the matrix, each side read from its own event (the
        sender's outgoing, the receiver's incoming). A side's window sums
        are adjacent in both orders, so they go in as one slice."""
        for side, offset in ((ft.Side.ORIG, 0), (ft.Side.BENE, self.rows)):
            at = self.position[rows.start + offset : rows.stop + offset]
            picked = self.per_event[at]
            first, last = _WINDOW_SPANS[side]
            block[:, first:last] = picked[:, : len(_EVENT_WINDOWS)]
            for index, name in enumerate(_EVENT_COLUMNS[len(_EVENT_WINDOWS) : -1]):
                block[:, _COLUMN[f"{side}_{name}"]] = picked[
                    :, len(_EVENT_WINDOWS) + index
                ]
            block[:, _COLUMN[f"{side}_prev_gap_{_OWN_FLOW[side]}_days"]] = picked[:, -1]


def _previous_gap(events: _Events, event_ts: Ints) -> Floats:
    """Days between the two events of the account's own flow before each
    event (-1 if there are fewer than two); no horizon applies, as the
    streaming engine keeps the two times for ever."""
    first = np.searchsorted(events.search, events.account << events.bits)
    last = np.full(len(event_ts), -1, dtype=np.int64)
    before_last = np.full(len(event_ts), -1, dtype=np.int64)
    for outward in (True, False):
        own = events.outward == outward
        latest = _latest_where(own)
        previous = _before(latest, events.end)
        last = np.where(own, previous, last)
        before_last = np.where(own, _before(latest, previous), before_last)
    valid = before_last >= first
    then, before = event_ts[np.maximum(last, 0)], event_ts[np.maximum(before_last, 0)]
    gap: Floats = np.where(valid, (then - before) / ft.DAY, -1.0)
    return gap


def _pair_history(orig: Ints, bene: Ints, ts: Ints) -> dict[str, Floats]:
    """Earlier payments of the same pair, this way and the other way, and
    days since this way's last one.

    Rows are in time order, so a stable sort by pair keeps each pair's
    payments in time order and counts are positions within the run.
    """
    accounts = int(max(orig.max(), bene.max())) + 1
    pair = orig * accounts + bene
    prior = _earlier_in_group(pair, np.ones(len(orig)))
    forward = (orig <= bene).astype(np.float64)
    unordered = np.minimum(orig, bene) * accounts + np.maximum(orig, bene)
    seen_forward = _earlier_in_group(unordered, forward)
    seen_backward = _earlier_in_group(unordered, 1.0 - forward)
    reverse = np.where(forward == 1.0, seen_backward, seen_forward)
    return {
        "pair_prior": np.minimum(prior, ft.COUNT_CAP),
        "pair_reverse_prior": np.minimum(reverse, ft.COUNT_CAP),
        "pair_gap_days": _days_since_previous_in_group(pair, ts),
    }


def _group_runs(group: Ints) -> tuple[Ints, Ints]:
    """The stable order that puts each group's rows together, and for each
    ordered row the position where its group's run starts."""
    order = np.argsort(group, kind="stable")
    ordered = group[order]
    starts = np.flatnonzero(np.diff(ordered, prepend=ordered[0] - 1))
    run = np.repeat(starts, np.diff(np.append(starts, len(group))))
    return order, run


def _earlier_in_group(group: Ints, values: Floats) -> Floats:
    """Sum of ``values`` over earlier rows of the same group."""
    order, run = _group_runs(group)
    ordered = values[order]
    totals = np.cumsum(ordered) - ordered
    earlier = np.empty(len(group))
    earlier[order] = totals - totals[run]
    return earlier


def _days_since_previous_in_group(group: Ints, ts: Ints) -> Floats:
    """Days since the group's previous row, -1 for its first."""
    order, run = _group_runs(group)
    ordered = ts[order]
    positions = np.arange(len(group))
    previous = ordered[np.maximum(positions - 1, 0)]
    days = np.where(positions > run, (ordered - previous) / ft.DAY, -1.0)
    found = np.empty(len(group))
    found[order] = days
    return found


def _row_features(amount: Floats, orig: Ints, bene: Ints) -> dict[str, Floats]:
    band = np.zeros(len(amount), dtype=bool)
    for threshold in ft.REPORTING_THRESHOLDS:
        low = threshold * (1.0 - ft.STRUCTURING_BAND)
        band |= (amount >= low) & (amount < threshold)
    whole = (amount >= 100.0) & (amount % 100.0 == 0.0)
    return {
        "amount": amount,
        "near_threshold": band.astype(np.float64),
        "round_amount": whole.astype(np.float64),
        "self_transfer": (orig == bene).astype(np.float64),
    }


def feature_array(tx: pl.DataFrame, threads: int | None = None) -> Floats:
    """Every feature of ``with_order_key(ledger)``: rows in order, columns in
    ``FEATURE_NAMES`` order, the matrix the scorer reads.

    The matrix is filled one block of rows at a time: the block and the
    block's temporaries stay in cache and in reused memory, where
    whole-column arrays would each be fresh memory, which costs more to
    touch here than the arithmetic. ``threads`` blocks are filled at once
    (default: one per CPU).
    """
    keys = tx[KEY].to_numpy()
    ts = tx[TS].to_numpy()
    amount = tx[AMOUNT].to_numpy().astype(np.float64)
    orig, bene = _account_codes(tx)
    per_row = _row_features(amount, orig, bene)
    with ThreadPoolExecutor(threads or os.cpu_count() or 1) as pool:
        pairs = pool.submit(_pair_history, orig, bene, ts)
        events = _Events(keys, orig, bene, amount)
        windows = _AccountWindows(events, ts, int(keys[-1] - keys[0]) + 1, pool)
        per_row.update(pairs.result())
        return _assemble(per_row, windows, len(keys), pool)


def _assemble(
    per_row: dict[str, Floats], windows: _AccountWindows, rows: int, pool: Executor
) -> Floats:
    """The matrix from the per-row columns and the account windows."""
    values: Floats = np.empty((rows, len(ft.FEATURE_NAMES)))

    def fill(rows: slice) -> None:
        block = values[rows]
        for name, column in per_row.items():
            block[:, _COLUMN[name]] = column[rows]
        windows.write(rows, block)
        named = {name: block[:, index] for name, index in _COLUMN.items()}
        for derived in ft.DERIVED:
            block[:, _COLUMN[derived.name]] = derived.formula(named)

    _in_blocks(rows, fill, pool)
    return values


def _in_blocks(count: int, fill: Callable[[slice], None], pool: Executor) -> None:
    """Call ``fill`` on every block of ``count`` rows. NumPy and Polars
    release the GIL inside their loops, so the pool's threads keep several
    cores busy."""
    blocks = [
        slice(top, min(top + _BLOCK_ROWS, count))
        for top in range(0, count, _BLOCK_ROWS)
    ]
    for _ in pool.map(fill, blocks):
        pass


def feature_rows(ledger: pl.DataFrame) -> tuple[pl.Series, Floats]:
    """Transaction ids in time order and their feature matrix, without a
    frame in between (the scorer reads the matrix as it is)."""
    tx = with_order_key(ledger)
    if tx.height == 0:
        return tx[TRAN_ID], np.empty((0, len(ft.FEATURE_NAMES)))
    return tx[TRAN_ID], feature_array(tx)


def compute_features(ledger: pl.DataFrame) -> pl.DataFrame:
    """``tran_id`` and every feature, one row per transaction in time order."""
    tx = with_order_key(ledger)
    if tx.height == 0:
        schema = {TRAN_ID: pl.String(), **dict.fromkeys(ft.FEATURE_NAMES, pl.Float64())}
        return pl.DataFrame(schema=schema)
    frame = pl.from_numpy(feature_array(tx), schema=list(ft.FEATURE_NAMES))
    return frame.insert_column(0, tx[TRAN_ID])
