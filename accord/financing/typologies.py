"""Typology rules a compliance officer can read, run as transactions arrive.

Each rule is a small function over the recent events of the accounts a new
transaction touches (the streaming engine's state, after the transaction is
added), so it only ever looks backwards. A rule that fires returns a
``TypologyHit`` naming its typology, the account, the transactions that are
its evidence and the numbers behind it. The limits follow the FATF
terrorist-financing indicators (see ``docs/financing.md``); each is a field
of ``TypologyLimits`` so an agency can tune them.

These rules are deliberately simple and precise to read; on their own they
find shapes, not terrorist financing (normal payments fan in and out too).
The learned scorer weighs the same signals against each other.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field

from accord.financing import features as ft
from accord.financing.ledger import Transaction
from accord.financing.stream import IN, OUT, AccountState, Event, FeatureStream


@dataclass(frozen=True)
class TypologyLimits:
    """The thresholds of every rule (amounts in the ledger's currency)."""

    window_days: int = 7
    small_donation: float = 250.0
    min_donors: int = 5
    withdraw_days: int = 2
    withdraw_share: float = 0.8
    funnel_min_senders: int = 3
    funnel_max_receivers: int = 2
    funnel_out_share: float = 0.9
    structuring_min: int = 3
    fan_min: int = 3
    cycle_max_length: int = 6
    cycle_days: int = 30
    search_budget: int = 64  # accounts a cycle or scatter search may visit
    fan_scan: int = 32  # latest payments of a hub a search looks at
    dormant_days: int = 180
    reactivation_min: int = 3
    quiet_days: int = 7  # one hit per typology and account per this many days


@dataclass(frozen=True, slots=True)
class TypologyHit:
    typology: str
    account: str
    tran_ids: tuple[str, ...]
    summary: str
    explanation: dict[str, tuple[float, str]]
    score: float


Rule = Callable[["TypologyMonitor", Transaction, int], "TypologyHit | None"]


def _ids(events: list[Event]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([event.tran_id for event in events]))


def _recent(state: AccountState, key: int, days: int) -> list[Event]:
    """Events within ``days`` before ``key``, including ``key`` itself."""
    return state.window(key + 1, days)


def small_donation_fan_in(
    m: TypologyMonitor, tx: Transaction, key: int
) -> TypologyHit | None:
    """Many small transfers from different senders, soon paid onwards."""
    lim, state = m.limits, m.state(tx.orig)
    if m.inflows_at_most(tx.orig, lim.min_donors - 1):
        return None
    recent = _recent(state, key, lim.window_days)
    donations = [e for e in recent if e.flow == IN and e.amount <= lim.small_donation]
    donors = {e.party for e in donations}
    if len(donors) < lim.min_donors:
        return None
    withdrawn = [e for e in _recent(state, key, lim.withdraw_days) if e.flow == OUT]
    raised = sum(e.amount for e in donations)
    paid = sum(e.amount for e in withdrawn)
    if paid < lim.withdraw_share * raised:
        return None
    return TypologyHit(
        "small_donation_fan_in",
        tx.orig,
        _ids(donations + withdrawn),
        f"{len(donors)} small donations ({raised:.2f}) in {lim.window_days} days, "
        f"{paid:.2f} paid out within {lim.withdraw_days} days",
        {
            "distinct_donors": (float(len(donors)), "senders of small transfers"),
            "withdrawn_share": (paid / raised, "share of donations paid onwards"),
        },
        min(1.0, 0.5 + 0.05 * len(donors)),
    )


def funnel(m: TypologyMonitor, tx: Transaction, key: int) -> TypologyHit | None:
    """Inflows from several senders leave, nearly whole, to one or two receivers."""
    lim = m.limits
    if m.inflows_at_most(tx.orig, lim.funnel_min_senders - 1):
        return None
    recent = _recent(m.state(tx.orig), key, lim.window_days)
    inflow = [e for e in recent if e.flow == IN]
    outflow = [e for e in recent if e.flow == OUT]
    senders = {e.party for e in inflow}
    receivers = {e.party for e in outflow}
    received = sum(e.amount for e in inflow)
    paid = sum(e.amount for e in outflow)
    if (
        len(senders) < lim.funnel_min_senders
        or len(receivers) > lim.funnel_max_receivers
    ):
        return None
    if received <= 0 or paid < lim.funnel_out_share * received:
        return None
    return TypologyHit(
        "funnel_pass_through",
        tx.orig,
        _ids(recent),
        f"{len(senders)} senders paid {received:.2f}; {paid:.2f} left to "
        f"{len(receivers)} receiver(s) within {lim.window_days} days",
        {
            "distinct_senders": (float(len(senders)), "accounts paying in"),
            "pass_through": (paid / received, "paid out over received"),
        },
        min(1.0, 0.4 + 0.05 * len(senders)),
    )


def structuring(m: TypologyMonitor, tx: Transaction, key: int) -> TypologyHit | None:
    """Repeated amounts just under a reporting threshold."""
    lim = m.limits
    if not ft.near_threshold(tx.amount):
        return None
    recent = _recent(m.state(tx.bene), key, lim.window_days)
    near = [e for e in recent if e.flow == IN and ft.near_threshold(e.amount)]
    if len(near) < lim.structuring_min:
        return None
    return TypologyHit(
        "structuring",
        tx.bene,
        _ids(near),
        f"{len(near)} deposits just under a reporting threshold in "
        f"{lim.window_days} days",
        {"near_threshold_count": (float(len(near)), "amounts within 10 % below")},
        min(1.0, 0.5 + 0.1 * len(near)),
    )


def gather_scatter(m: TypologyMonitor, tx: Transaction, key: int) -> TypologyHit | None:
    """Many senders into one account, which then pays many new receivers."""
    lim = m.limits
    if m.inflows_at_most(tx.orig, lim.fan_min - 1):
        return None
    recent = _recent(m.state(tx.orig), key, lim.window_days)
    senders = {e.party for e in recent if e.flow == IN}
    fresh = {e.party for e in recent if e.flow == OUT and e.new_party}
    if len(senders) < lim.fan_min or len(fresh) < lim.fan_min:
        return None
    return TypologyHit(
        "gather_scatter",
        tx.orig,
        _ids(recent),
        f"{len(senders)} senders in, {len(fresh)} new receivers out within "
        f"{lim.window_days} days",
        {
            "distinct_senders": (float(len(senders)), "accounts paying in"),
            "new_receivers": (float(len(fresh)), "first-time receivers paid"),
        },
        min(1.0, 0.3 + 0.05 * (len(senders) + len(fresh))),
    )


def scatter_gather(m: TypologyMonitor, tx: Transaction, key: int) -> TypologyHit | None:
    """One source pays several accounts that all pay the same receiver.

    Checked from the payment that may complete it (middle -> receiver):
    for each recent source of the middle, which of the accounts it paid
    have also paid the receiver in the window.
    """
    lim = m.limits
    days = lim.window_days
    # The receiver needs several payers, and the middle account a source.
    if m.inflows_at_most(tx.bene, lim.fan_min - 1) or m.flows_at_most(
        tx.orig, IN, days, 0
    ):
        return None
    gathered = {
        e.party: e for e in _recent(m.state(tx.bene), key, days) if e.flow == IN
    }
    sources = [e for e in _recent(m.state(tx.orig), key, days) if e.flow == IN]
    # Ordered, not sets: which source is tried first decides the evidence,
    # and set order changes from one process to the next.
    for source in dict.fromkeys([e.party for e in sources[-lim.fan_scan :]]):
        scattered = [
            e
            for e in m.state(source).window(key + 1, days)[-lim.fan_scan :]
            if e.flow == OUT and e.party in gathered and e.party != tx.bene
        ]
        middles = dict.fromkeys([e.party for e in scattered])
        if len(middles) >= lim.fan_min:
            events = scattered + [gathered[party] for party in middles]
            return TypologyHit(
                "scatter_gather",
                tx.bene,
                _ids(events),
                f"{source} paid {len(middles)} accounts that each paid {tx.bene}",
                {"intermediaries": (float(len(middles)), "accounts in the middle")},
                min(1.0, 0.4 + 0.1 * len(middles)),
            )
    return None


def cycle(m: TypologyMonitor, tx: Transaction, key: int) -> TypologyHit | None:
    """Money that returns to its sender through a chain of earlier payments."""
    lim = m.limits
    # A cycle needs the receiver to have paid, and the sender to have been
    # paid, within the cycle window; the running counts tell at no cost,
    # and most payments stop here.
    if m.flows_at_most(tx.bene, OUT, lim.cycle_days, 0) or m.flows_at_most(
        tx.orig, IN, lim.cycle_days, 0
    ):
        return None
    start = key - ft.window_span(lim.cycle_days, 0)
    search = _Search(
        tx.bene, start, lim.search_budget, lim.fan_scan, _first_hops(m, tx, key)
    )
    path = _path_back(m, tx.orig, key, lim.cycle_max_length - 1, search)
    if path is None:
        return None
    ids = (*_ids(path), tx.tran_id)
    return TypologyHit(
        "cycle",
        tx.orig,
        ids,
        f"{tx.orig} -> {tx.bene} closes a cycle of {len(ids)} payments within "
        f"{lim.cycle_days} days",
        {"cycle_length": (float(len(ids)), "payments around the cycle")},
        min(1.0, 0.4 + 0.1 * len(ids)),
    )


def _first_hops(
    m: TypologyMonitor, tx: Transaction, key: int
) -> dict[str, list[Event]]:
    """The chains of one or two payments that leave the receiver of ``tx``
    within the cycle window, by the account they reach: the start of any
    cycle ``tx`` could close. For each account, the chain that reaches it
    first (any later hop must come after it). Like the walk back, it looks
    at no more than the latest ``fan_scan`` payments of an account."""
    days, most = m.limits.cycle_days, m.limits.fan_scan
    reached: dict[str, list[Event]] = {}
    for event in m.state(tx.bene).latest_payments(key, days, most):
        if event.party not in reached:
            reached[event.party] = [event]
    for middle, (first,) in list(reached.items()):
        state = m.accounts.get(middle)
        if state is None or middle == tx.bene:
            continue
        for event in state.latest_payments(key, days, most):
            if event.key <= first.key:
                continue  # paid on before the money arrived
            known = reached.get(event.party)
            if known is None or known[-1].key > event.key:
                reached[event.party] = [first, event]
    return reached


@dataclass(slots=True)
class _Search:
    """A bounded backwards search for a chain that ends at ``target``.

    ``first_hops`` are the chains of one or two payments leaving the target
    in the window: a chain back can end with one of them, so the walk stops
    up to two steps earlier (a lookup instead of opening every account the
    target paid, and every account those paid).
    """

    target: str
    start: int
    budget: int
    fan: int
    first_hops: dict[str, list[Event]]
    # Accounts already searched: the latest ``before`` and the depth they
    # were searched with. A repeat with an earlier ``before`` and less depth
    # would mostly walk the same payments again (it may only reach older
    # ones the fan limit cut off), so the budget goes to new accounts.
    searched: dict[str, tuple[int, int]] = field(default_factory=dict)

    def already_covered(self, node: str, before: int, depth: int) -> bool:
        seen = self.searched.get(node)
        if seen is not None and seen[0] >= before and seen[1] >= depth:
            return True
        self.searched[node] = (before, depth)
        return False

    def closing(self, event: Event, depth: int) -> list[Event] | None:
        """The hops from the target that ``event`` (a payment into the chain,
        with ``depth`` payments still allowed) completes, if it does."""
        if event.party == self.target:
            return [event]
        hops = self.first_hops.get(event.party)
        if hops is not None and len(hops) < depth and hops[-1].key < event.key:
            return [*hops, event]
        return None


def _payers_range(
    m: TypologyMonitor, node: str, before: int, depth: int, search: _Search
) -> tuple[list[Event], int, int] | None:
    """Where the in-payments a search looks at from ``node`` lie in its
    ``inflows``: the latest before ``before``, at most the search's fan and
    none before its start, as (inflows, begin, end); None when the node is
    not to be searched (unknown, out of budget, or already searched as deep
    and as late)."""
    state = m.accounts.get(node)
    if search.budget <= 0 or state is None:
        return None
    if search.already_covered(node, before, depth):
        return None
    search.budget -= 1
    keys = state.inflow_keys
    end = bisect.bisect_left(keys, before)
    begin = max(bisect.bisect_left(keys, search.start, 0, end), end - search.fan)
    return state.inflows, begin, end


def _path_back(
    m: TypologyMonitor, node: str, before: int, depth: int, search: _Search
) -> list[Event] | None:
    """A time-respecting chain target -> ... -> node of at most ``depth`` payments.

    Depth-first over in-payments, newest first, each earlier than the one
    after it; the depth, the payments looked at per account and the accounts
    visited are all bounded, which keeps it cheap enough to run per
    transaction. An account is only opened when the chain through it could
    still be long enough to need more than the target's own first hop. The
    walk keeps its own stack (one frame per account on the chain) rather
    than recursing: it runs for most payments, and Python calls dominate it.
    """
    if depth <= 0:
        return None
    opened = _payers_range(m, node, before, depth, search)
    if opened is None:
        return None
    inflows, begin, end = opened
    # Per frame: its account's inflows, the lowest index to try, the next one.
    lists, lows, nexts = [inflows], [begin], [end - 1]
    chain: list[Event] = []  # the payment taken into each deeper frame
    while lists:
        position = nexts[-1]
        if position < lows[-1]:
            lists.pop()
            lows.pop()
            nexts.pop()
            if chain:
                chain.pop()
            continue
        nexts[-1] = position - 1
        event = lists[-1][position]
        left = depth - len(lists) + 1  # payments still allowed, this one included
        closed = search.closing(event, left)
        if closed is not None:
            chain.reverse()
            return closed + chain
        if left <= 3:  # a deeper account could only close with first hops
            continue
        deeper = _payers_range(m, event.party, event.key, left - 1, search)
        if deeper is not None:
            lists.append(deeper[0])
            lows.append(deeper[1])
            nexts.append(deeper[2] - 1)
            chain.append(event)
    return None


def dormant_reactivated(
    m: TypologyMonitor, tx: Transaction, key: int
) -> TypologyHit | None:
    """An account silent for months that suddenly moves money again."""
    lim = m.limits
    hits = []
    for account in dict.fromkeys((tx.orig, tx.bene)):
        burst = m.bursts.get(account)
        if burst is None or len(burst) < lim.reactivation_min:
            continue
        hits.append(
            TypologyHit(
                "dormant_reactivated",
                account,
                _ids(burst),
                f"silent for {lim.dormant_days}+ days, then {len(burst)} payments "
                f"within {lim.window_days} days",
                {"burst_payments": (float(len(burst)), "payments since reactivation")},
                min(1.0, 0.4 + 0.1 * len(burst)),
            )
        )
    return hits[0] if hits else None


RULES: tuple[Rule, ...] = (
    small_donation_fan_in,
    funnel,
    structuring,
    gather_scatter,
    scatter_gather,
    cycle,
    dormant_reactivated,
)


class TypologyMonitor:
    """Runs every rule on each transaction, over a shared ``FeatureStream``."""

    def __init__(
        self, stream: FeatureStream | None = None, limits: TypologyLimits | None = None
    ) -> None:
        self.stream = stream or FeatureStream()
        self.limits = limits or TypologyLimits()
        self.accounts = self.stream.accounts
        self.bursts: dict[str, list[Event]] = {}
        # The stream's windows by length in days, for the running counts.
        self._windows = {days: index for index, days in enumerate(ft.WINDOW_DAYS)}
        self._fired: dict[tuple[str, str], int] = {}

    def state(self, account: str) -> AccountState:
        return self.accounts[account]

    def inflows_at_most(self, account: str, count: int) -> bool:
        """A cheap pre-check: at most ``count`` payments in over the rule window.

        Reads the stream's running window counts, which already include the
        current transaction; False (check properly) for windows it lacks.
        """
        return self.flows_at_most(account, IN, self.limits.window_days, count)

    def flows_at_most(self, account: str, flow: int, days: int, count: int) -> bool:
        """At most ``count`` payments of ``flow`` within ``days`` (False, check
        properly, for windows the stream does not keep)."""
        window = self._windows.get(days)
        if window is None:
            return False
        return self.accounts[account].window_count(window, flow) <= count

    def observe(
        self, tx: Transaction, key: int, last_seen: dict[str, int | None]
    ) -> list[TypologyHit]:
        """Rules over ``tx``, which the stream must have just remembered.

        ``last_seen`` holds each party's previous transaction time, taken
        before ``tx`` was remembered (old events may have been forgotten).
        """
        self._track_bursts(tx, last_seen)
        hits = []
        for rule in RULES:
            hit = rule(self, tx, key)
            if hit is not None and self._first_in_a_while(hit, key):
                hits.append(hit)
        return hits

    def _first_in_a_while(self, hit: TypologyHit, key: int) -> bool:
        marker = (hit.typology, hit.account)
        last = self._fired.get(marker)
        if last is not None and key - last < ft.window_span(self.limits.quiet_days, 0):
            return False
        self._fired[marker] = key
        return True

    def _track_bursts(self, tx: Transaction, last_seen: dict[str, int | None]) -> None:
        """Keep the payments since each account's reactivation, for a week."""
        lim = self.limits
        for account in dict.fromkeys((tx.orig, tx.bene)):
            latest = self.accounts[account].events[-1]
            before = last_seen.get(account)
            burst = self.bursts.get(account)
            if before is not None and tx.ts - before >= lim.dormant_days * ft.DAY:
                self.bursts[account] = [latest]
            elif burst is not None:
                if tx.ts - burst[0].ts <= lim.window_days * ft.DAY:
                    burst.append(latest)
                else:
                    del self.bursts[account]
