"""The incremental engine: the features of ``features``, one transaction at a time.

Each account keeps its recent events (as far back as the longest window)
and running window sums; a transaction's features are read from the state *before*
it is added, so they are causal by construction. ``tests/financing`` checks
that this engine and the Polars engine give the same numbers.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path

from accord.errors import InvalidData
from accord.financing import features as ft
from accord.financing.ledger import Transaction


def is_compiled() -> bool:
    """Whether this engine runs compiled by mypyc (see ``native``)."""
    return Path(__file__).suffix != ".py"


OUT, IN = 0, 1
_FLOWS = (ft.Flow.OUT, ft.Flow.IN)
_SPANS = tuple(ft.window_span(days, 0) for days in ft.WINDOW_DAYS)
_DORMANCY = ft.DORMANCY_HORIZON_DAYS * ft.DAY * ft.ORDER_SLOTS


@dataclass(slots=True)
class Event:
    """One transaction seen from one account."""

    key: int
    ts: int
    flow: int
    party: str
    amount: float
    new_party: float
    tran_id: str


_WINDOWS = len(_SPANS)
_MEASURES = 3  # count, amount, new parties: ``ft.Measure`` order
_PER_FLOW_RUNNING = _MEASURES * _WINDOWS
_COMPACT_AFTER = 64


@dataclass(slots=True)
class AccountState:
    """What the engine remembers about one account.

    Window sums are kept running: each window has a pointer to its oldest
    event still inside it, and moving the pointer subtracts what falls out,
    so reading them costs the same for a hub with thousands of payments as
    for a quiet account. ``running`` is laid out as the features are, flow
    by flow, then measure by measure, then window by window, so a feature
    row copies it in two slices.
    """

    events: list[Event] = field(default_factory=list)
    # The same events split by direction, with their keys for bisection,
    # for searches that walk along payments (cycles); trimmed with ``events``.
    inflows: list[Event] = field(default_factory=list)
    inflow_keys: list[int] = field(default_factory=list)
    outflows: list[Event] = field(default_factory=list)
    outflow_keys: list[int] = field(default_factory=list)
    base: int = 0  # how many events were forgotten before events[0]
    starts: list[int] = field(default_factory=lambda: [0] * _WINDOWS)
    running: list[float] = field(
        default_factory=lambda: [0.0] * (2 * _PER_FLOW_RUNNING)
    )
    # Counterparties seen so far: those paid (OUT) and those paying (IN).
    contacts: tuple[set[str], set[str]] = field(default_factory=lambda: (set(), set()))
    totals: list[float] = field(default_factory=lambda: [0.0, 0.0])
    last_key: int = -1
    last_ts: int = 0
    flow_keys: list[int] = field(default_factory=lambda: [-1, -1])
    flow_ts: list[int] = field(default_factory=lambda: [0, 0])
    flow_prev_ts: list[int] = field(default_factory=lambda: [-1, -1])

    def append(self, event: Event) -> None:
        flow = event.flow
        self.events.append(event)
        if flow == IN:
            self.inflows.append(event)
            self.inflow_keys.append(event.key)
        else:
            self.outflows.append(event)
            self.outflow_keys.append(event.key)
        running, at = self.running, flow * _PER_FLOW_RUNNING
        for index in range(_WINDOWS):
            running[at + index] += 1.0
            running[at + _WINDOWS + index] += event.amount
            running[at + 2 * _WINDOWS + index] += event.new_party
        self.totals[flow] += 1.0
        self.last_key, self.last_ts = event.key, event.ts
        if self.flow_keys[flow] >= 0:
            self.flow_prev_ts[flow] = self.flow_ts[flow]
        self.flow_keys[flow], self.flow_ts[flow] = event.key, event.ts

    def advance(self, key: int) -> None:
        """Drop from each window what lies before ``key`` minus its span."""
        events, base, running = self.events, self.base, self.running
        end = base + len(events)
        for index in range(_WINDOWS):
            position, limit = self.starts[index], key - _SPANS[index]
            while position < end and events[position - base].key < limit:
                event = events[position - base]
                at = event.flow * _PER_FLOW_RUNNING + index
                running[at] -= 1.0
                running[at + _WINDOWS] -= event.amount
                running[at + 2 * _WINDOWS] -= event.new_party
                position += 1
            if position == end:  # empty: reset, so float residue cannot build up
                for at in range(index, 2 * _PER_FLOW_RUNNING, _WINDOWS):
                    running[at] = 0.0
            self.starts[index] = position
        oldest = min(self.starts)
        if oldest - base > _COMPACT_AFTER:
            self._forget_before(oldest)

    def _forget_before(self, oldest: int) -> None:
        """Drop the events no window reaches any more."""
        del self.events[: oldest - self.base]
        first = self.events[0].key if self.events else None
        for events, keys in (
            (self.inflows, self.inflow_keys),
            (self.outflows, self.outflow_keys),
        ):
            forgotten = len(keys) if first is None else bisect.bisect_left(keys, first)
            del events[:forgotten]
            del keys[:forgotten]
        self.base = oldest

    def window_count(self, window: int, flow: int) -> float:
        """Payments of ``flow`` in ``WINDOW_DAYS[window]`` as last advanced,
        including any appended since (the stream's current transaction)."""
        return self.running[flow * _PER_FLOW_RUNNING + window]

    def latest_payments(self, key: int, days: int, most: int) -> list[Event]:
        """At most ``most`` payments out strictly before ``key`` within
        ``days``: the latest, oldest first."""
        keys = self.outflow_keys
        end = bisect.bisect_left(keys, key)
        start = key - ft.window_span(days, 0)
        begin = max(bisect.bisect_left(keys, start, 0, end), end - most)
        return self.outflows[begin:end]

    def window(self, key: int, days: int) -> list[Event]:
        """Events strictly before ``key`` within ``days`` days, oldest first."""
        start = key - ft.window_span(days, 0)
        found = []
        for event in reversed(self.events):
            if event.key < start:
                break
            if event.key < key:
                found.append(event)
        found.reverse()
        return found

    def sums(self, key: int) -> list[float]:
        """Count, amount and new parties per flow and window, then the
        lifetime count, in ``WINDOW_SUMS`` order."""
        self.advance(key)
        running = self.running
        out = running[:_PER_FLOW_RUNNING]
        out.append(min(self.totals[OUT], ft.COUNT_CAP))
        out += running[_PER_FLOW_RUNNING:]
        out.append(min(self.totals[IN], ft.COUNT_CAP))
        return out


_NO_HISTORY = [0.0] * _PER_FLOW_RUNNING + [0.0] + [0.0] * _PER_FLOW_RUNNING + [0.0]


def _window_sums(state: AccountState | None, key: int) -> list[float]:
    return list(_NO_HISTORY) if state is None else state.sums(key)


# Where each derived formula's inputs sit in a feature row: the formulas
# read names, and a row is a list, so each row gets a small dict of just these.
_DERIVED_INPUTS = tuple(
    (name, ft.FEATURE_NAMES.index(name)) for name in ft.derived_inputs()
)


class FeatureStream:
    """Feature rows for transactions fed in time order."""

    def __init__(self) -> None:
        self.accounts: dict[str, AccountState] = {}
        # Per ordered pair: how many payments, and the time of the last.
        self.pairs: dict[tuple[str, str], tuple[int, int]] = {}
        self.last_ts: int | None = None
        self.position = 0

    def next_key(self, tx: Transaction) -> int:
        """The order key of ``tx``; refuses transactions that go back in time."""
        if self.last_ts is not None and tx.ts < self.last_ts:
            raise InvalidData(
                f"transaction {tx.tran_id} at {tx.ts} is earlier than the one "
                f"before it ({self.last_ts}); streaming input must be in time order"
            )
        if tx.ts == self.last_ts:
            self.position += 1
        else:
            self.last_ts, self.position = tx.ts, 0
        if self.position >= ft.ORDER_SLOTS:
            raise InvalidData(f"more than {ft.ORDER_SLOTS} transactions at {tx.ts}")
        return ft.order_key(tx.ts, self.position)

    def update(self, tx: Transaction) -> dict[str, float]:
        """The features of ``tx`` from what came before it; then remember it."""
        key = self.next_key(tx)
        row = self.features(tx, key)
        self.remember(tx, key)
        return row

    def last_seen(self, tx: Transaction) -> dict[str, int | None]:
        """Each party's previous transaction time (None: never seen)."""
        seen: dict[str, int | None] = {}
        for account in (tx.orig, tx.bene):
            state = self.accounts.get(account)
            seen[account] = (
                None if state is None or state.last_key < 0 else state.last_ts
            )
        return seen

    def features(self, tx: Transaction, key: int) -> dict[str, float]:
        """The features of ``tx`` by name (see ``row``)."""
        return dict(zip(ft.FEATURE_NAMES, self.row(tx, key), strict=True))

    def row(self, tx: Transaction, key: int) -> list[float]:
        """The features of ``tx`` in ``FEATURE_NAMES`` order, from the state
        before it; one list, as the scorer wants, with no per-name lookups."""
        orig = self.accounts.get(tx.orig)
        bene = self.accounts.get(tx.bene)
        amount, same = tx.amount, tx.orig == tx.bene
        pair_count, pair_last = self.pairs.get((tx.orig, tx.bene), (0, 0))
        reverse = 0.0 if same else self._pair_count(tx.bene, tx.orig)
        row = [
            # ROW_FEATURES
            amount,
            ft.near_threshold(amount),
            ft.round_amount(amount),
            1.0 if same else 0.0,
            # HISTORY_FEATURES
            min(float(pair_count), ft.COUNT_CAP),
            reverse,
            _gap(orig, tx.ts, key),
            _gap(bene, tx.ts, key),
            _flow_gap(orig, IN, tx.ts, key),
            _flow_gap(orig, OUT, tx.ts, key),
            _flow_gap(bene, IN, tx.ts, key),
            _flow_gap(bene, OUT, tx.ts, key),
            _previous_gap(orig, OUT),
            _previous_gap(bene, IN),
            (tx.ts - pair_last) / ft.DAY if pair_count else -1.0,
        ]
        row += _window_sums(orig, key)
        row += _window_sums(bene, key)
        inputs = {name: row[at] for name, at in _DERIVED_INPUTS}
        for derived in ft.DERIVED:
            row.append(float(derived.formula(inputs)))
        return row

    def _pair_count(self, orig: str, bene: str) -> float:
        count, _ = self.pairs.get((orig, bene), (0, 0))
        return min(float(count), ft.COUNT_CAP)

    def remember(self, tx: Transaction, key: int) -> None:
        pair = (tx.orig, tx.bene)
        count, _ = self.pairs.get(pair, (0, 0))
        self.pairs[pair] = (count + 1, tx.ts)
        self._add(tx.orig, Event(key, tx.ts, OUT, tx.bene, tx.amount, 0.0, tx.tran_id))
        self._add(tx.bene, Event(key, tx.ts, IN, tx.orig, tx.amount, 0.0, tx.tran_id))

    def _add(self, account: str, event: Event) -> None:
        state = self.accounts.get(account)
        if state is None:
            state = self.accounts[account] = AccountState()
        contacts = state.contacts[event.flow]
        if event.party not in contacts:
            contacts.add(event.party)
            event.new_party = 1.0
        state.append(event)


def _gap(state: AccountState | None, ts: int, key: int) -> float:
    """Days since the account's last transaction, -1 beyond the horizon."""
    if state is None or state.last_key < key - _DORMANCY:
        return -1.0
    return (ts - state.last_ts) / ft.DAY


def _flow_gap(state: AccountState | None, flow: int, ts: int, key: int) -> float:
    """Days since the account last paid (OUT) or was paid (IN), -1 if never
    within the horizon; the batch engine's ``_flow_gap``, incrementally."""
    if state is None or state.flow_keys[flow] < 0:
        return -1.0
    if state.flow_keys[flow] < key - _DORMANCY or state.flow_ts[flow] <= 0:
        return -1.0
    return (ts - state.flow_ts[flow]) / ft.DAY


def _previous_gap(state: AccountState | None, flow: int) -> float:
    """Days between the account's two last events of ``flow``, -1 if fewer."""
    if state is None or state.flow_prev_ts[flow] < 0:
        return -1.0
    return (state.flow_ts[flow] - state.flow_prev_ts[flow]) / ft.DAY
