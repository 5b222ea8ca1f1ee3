"""The incremental engine: the features of ``features``, one transaction at a time.

Each account keeps its recent events (as far back as the longest window)
and running window sums; a transaction's features are read from the state *before*
it is added, so they are causal by construction. ``tests/financing`` checks
that this engine and the Polars engine give the same numbers.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from accord.errors import InvalidData
from accord.financing import features as ft
from accord.financing.ledger import Transaction

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


_PER_FLOW = 3 * len(_SPANS) + 1  # three measures per window, one lifetime count
_COMPACT_AFTER = 64


@dataclass(slots=True)
class AccountState:
    """What the engine remembers about one account.

    Window sums are kept running: each window has a pointer to its oldest
    event still inside it, and moving the pointer subtracts what falls out,
    so reading them costs the same for a hub with thousands of payments as
    for a quiet account.
    """

    events: list[Event] = field(default_factory=list)
    # The same events' incoming ones, for searches that walk back along
    # payments received (cycles); trimmed with ``events``.
    inflows: list[Event] = field(default_factory=list)
    inflow_keys: list[int] = field(default_factory=list)  # for bisect
    base: int = 0  # how many events were forgotten before events[0]
    starts: list[int] = field(default_factory=lambda: [0] * len(_SPANS))
    running: list[float] = field(default_factory=lambda: [0.0] * (6 * len(_SPANS)))
    parties: set[tuple[str, int]] = field(default_factory=set)
    totals: list[float] = field(default_factory=lambda: [0.0, 0.0])
    last_key: int = -1
    last_ts: int = 0
    flow_keys: list[int] = field(default_factory=lambda: [-1, -1])
    flow_ts: list[int] = field(default_factory=lambda: [0, 0])
    flow_prev_ts: list[int] = field(default_factory=lambda: [-1, -1])

    def append(self, event: Event) -> None:
        self.events.append(event)
        if event.flow == IN:
            self.inflows.append(event)
            self.inflow_keys.append(event.key)
        offset = event.flow * 3
        for index in range(len(_SPANS)):
            at = index * 6 + offset
            self.running[at] += 1.0
            self.running[at + 1] += event.amount
            self.running[at + 2] += event.new_party
        self.totals[event.flow] += 1.0
        self.last_key, self.last_ts = event.key, event.ts
        if self.flow_keys[event.flow] >= 0:
            self.flow_prev_ts[event.flow] = self.flow_ts[event.flow]
        self.flow_keys[event.flow], self.flow_ts[event.flow] = event.key, event.ts

    def advance(self, key: int) -> None:
        """Drop from each window what lies before ``key`` minus its span."""
        end = self.base + len(self.events)
        for index, span in enumerate(_SPANS):
            position, limit, at = self.starts[index], key - span, index * 6
            while position < end and self.events[position - self.base].key < limit:
                event = self.events[position - self.base]
                offset = at + event.flow * 3
                self.running[offset] -= 1.0
                self.running[offset + 1] -= event.amount
                self.running[offset + 2] -= event.new_party
                position += 1
            if position == end:  # empty: reset, so float residue cannot build up
                self.running[at : at + 6] = [0.0] * 6
            self.starts[index] = position
        oldest = min(self.starts)
        if oldest - self.base > _COMPACT_AFTER:
            del self.events[: oldest - self.base]
            forgotten = len(self.inflows)
            if self.events:
                forgotten = bisect.bisect_left(self.inflow_keys, self.events[0].key)
            del self.inflows[:forgotten]
            del self.inflow_keys[:forgotten]
            self.base = oldest

    def window_count(self, days: int, flow: int) -> float:
        """Payments of ``flow`` in the window of ``days`` as last advanced,
        including any appended since (the stream's current transaction)."""
        return self.running[ft.WINDOW_DAYS.index(days) * 6 + flow * 3]

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
        out = [0.0] * (2 * _PER_FLOW)
        spans = len(_SPANS)
        for flow in (OUT, IN):
            base = flow * _PER_FLOW
            for index in range(spans):
                at = index * 6 + flow * 3
                out[base + index] = self.running[at]
                out[base + spans + index] = self.running[at + 1]
                out[base + 2 * spans + index] = self.running[at + 2]
            out[base + _PER_FLOW - 1] = min(self.totals[flow], ft.COUNT_CAP)
        return out


def _window_sums(state: AccountState | None, key: int) -> list[float]:
    return [0.0] * (2 * _PER_FLOW) if state is None else state.sums(key)


def _names(side: ft.Side) -> list[str]:
    return [w.name for w in ft.WINDOW_SUMS if w.side is side]


_SIDE_NAMES = {side: _names(side) for side in ft.Side}


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
        orig = self.accounts.get(tx.orig)
        bene = self.accounts.get(tx.bene)
        row: dict[str, float] = {
            "amount": tx.amount,
            "near_threshold": ft.near_threshold(tx.amount),
            "round_amount": ft.round_amount(tx.amount),
            "self_transfer": 1.0 if tx.orig == tx.bene else 0.0,
            "pair_prior": self._pair_count(tx.orig, tx.bene),
            "pair_reverse_prior": 0.0
            if tx.orig == tx.bene
            else self._pair_count(tx.bene, tx.orig),
            "pair_gap_days": self._pair_gap(tx),
            "orig_gap_days": _gap(orig, tx.ts, key),
            "bene_gap_days": _gap(bene, tx.ts, key),
            "orig_gap_in_days": _flow_gap(orig, IN, tx.ts, key),
            "orig_gap_out_days": _flow_gap(orig, OUT, tx.ts, key),
            "bene_gap_in_days": _flow_gap(bene, IN, tx.ts, key),
            "bene_gap_out_days": _flow_gap(bene, OUT, tx.ts, key),
            "orig_prev_gap_out_days": _previous_gap(orig, OUT),
            "bene_prev_gap_in_days": _previous_gap(bene, IN),
        }
        row.update(zip(_SIDE_NAMES[ft.Side.ORIG], _window_sums(orig, key), strict=True))
        row.update(zip(_SIDE_NAMES[ft.Side.BENE], _window_sums(bene, key), strict=True))
        for derived in ft.DERIVED:
            row[derived.name] = float(derived.formula(row))
        return row

    def _pair_count(self, orig: str, bene: str) -> float:
        count, _ = self.pairs.get((orig, bene), (0, 0))
        return min(float(count), ft.COUNT_CAP)

    def _pair_gap(self, tx: Transaction) -> float:
        count, last = self.pairs.get((tx.orig, tx.bene), (0, 0))
        return (tx.ts - last) / ft.DAY if count else -1.0

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
        contact = (event.party, event.flow)
        if contact not in state.parties:
            state.parties.add(contact)
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
