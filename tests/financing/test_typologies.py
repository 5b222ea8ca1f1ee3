"""Each typology rule on a hand-made ledger that shows it, and one that does not."""

from __future__ import annotations

from accord.financing.ledger import Transaction
from accord.financing.typologies import TypologyHit, TypologyMonitor
from tests.financing.support import tx


def run(rows: list[Transaction]) -> list[TypologyHit]:
    monitor = TypologyMonitor()
    hits = []
    for row in rows:
        key = monitor.stream.next_key(row)
        seen = monitor.stream.last_seen(row)
        monitor.stream.remember(row, key)
        hits.extend(monitor.observe(row, key, seen))
    return hits


def kinds(hits: list[TypologyHit]) -> set[str]:
    return {hit.typology for hit in hits}


def donations(count: int, amount: float = 40.0) -> list[Transaction]:
    return [tx(f"d{i}", f"donor{i}", "appeal", amount, i * 0.5) for i in range(count)]


def test_small_donations_then_quick_withdrawal() -> None:
    rows = [*donations(6), tx("w1", "appeal", "courier", 230.0, 3.2)]
    [hit] = [h for h in run(rows) if h.typology == "small_donation_fan_in"]
    assert hit.account == "appeal"
    assert set(hit.tran_ids) == {f"d{i}" for i in range(6)} | {"w1"}
    assert hit.explanation["distinct_donors"][0] == 6.0


def test_donations_kept_in_the_account_are_no_withdrawal() -> None:
    rows = [*donations(6), tx("w1", "appeal", "rent", 50.0, 3.2)]
    assert "small_donation_fan_in" not in kinds(run(rows))


def test_large_transfers_are_not_small_donations() -> None:
    rows = [*donations(6, amount=900.0), tx("w1", "appeal", "x", 5_400.0, 3.2)]
    assert "small_donation_fan_in" not in kinds(run(rows))


def test_funnel_passes_inflows_to_one_receiver() -> None:
    rows = [tx(f"i{i}", f"s{i}", "mule", 300.0, i) for i in range(3)]
    rows.append(tx("o1", "mule", "boss", 880.0, 3.5))
    [hit] = [h for h in run(rows) if h.typology == "funnel_pass_through"]
    assert hit.account == "mule"
    assert "o1" in hit.tran_ids


def test_structuring_just_under_the_threshold() -> None:
    rows = [tx(f"c{i}", f"cash{i}", "acct", 9_400.0 + i, i) for i in range(3)]
    [hit] = [h for h in run(rows) if h.typology == "structuring"]
    assert set(hit.tran_ids) == {"c0", "c1", "c2"}
    spread = [tx(f"c{i}", f"cash{i}", "acct", 9_400.0, i * 10) for i in range(3)]
    assert "structuring" not in kinds(run(spread))


def test_scatter_gather_through_three_accounts() -> None:
    rows = [tx(f"s{i}", "source", f"m{i}", 500.0, i * 0.1) for i in range(3)]
    rows += [tx(f"g{i}", f"m{i}", "sink", 480.0, 1 + i * 0.1) for i in range(3)]
    [hit] = [h for h in run(rows) if h.typology == "scatter_gather"]
    assert hit.account == "sink"
    assert set(hit.tran_ids) == {"s0", "s1", "s2", "g0", "g1", "g2"}


def test_gather_scatter_through_one_hub() -> None:
    rows = [tx(f"in{i}", f"p{i}", "hub", 500.0, i * 0.1) for i in range(3)]
    rows += [tx(f"out{i}", "hub", f"q{i}", 480.0, 1 + i * 0.1) for i in range(3)]
    assert "gather_scatter" in kinds(run(rows))


def test_a_cycle_back_to_its_sender() -> None:
    rows = [
        tx("1", "a", "b", 500.0, 0),
        tx("2", "b", "c", 490.0, 1),
        tx("3", "c", "d", 480.0, 2),
        tx("4", "d", "a", 470.0, 3),
    ]
    [hit] = [h for h in run(rows) if h.typology == "cycle"]
    assert hit.tran_ids == ("1", "2", "3", "4")


def chain_back_to_start(length: int) -> list[Transaction]:
    """``length`` payments a -> n1 -> ... -> a, a day apart."""
    names = ["a", *(f"n{i}" for i in range(1, length)), "a"]
    return [
        tx(str(i + 1), names[i], names[i + 1], 500.0 - i, float(i))
        for i in range(length)
    ]


def test_the_longest_cycle_the_limit_allows_is_found() -> None:
    """Six payments: the search opens accounts beyond the receiver's two hops."""
    [hit] = [h for h in run(chain_back_to_start(6)) if h.typology == "cycle"]
    assert hit.tran_ids == ("1", "2", "3", "4", "5", "6")


def test_a_cycle_longer_than_the_limit_is_not_reported() -> None:
    assert "cycle" not in kinds(run(chain_back_to_start(7)))


def test_a_cycle_out_of_time_order_is_no_cycle() -> None:
    rows = [
        tx("2", "b", "c", 490.0, 0),  # paid on before b received anything
        tx("1", "a", "b", 500.0, 1),
        tx("3", "c", "a", 480.0, 2),
    ]
    assert "cycle" not in kinds(run(rows))


def test_dormant_account_reactivated_with_a_burst() -> None:
    rows = [tx("old", "x", "sleeper", 10.0, 0)]
    rows += [tx(f"n{i}", f"y{i}", "sleeper", 60.0, 300 + i) for i in range(3)]
    [hit] = [h for h in run(rows) if h.typology == "dormant_reactivated"]
    assert hit.account == "sleeper"
    assert set(hit.tran_ids) == {"n0", "n1", "n2"}
    steady = [tx(f"n{i}", f"y{i}", "busy", 60.0, i * 30) for i in range(8)]
    assert "dormant_reactivated" not in kinds(run(steady))


def test_a_rule_fires_once_per_episode() -> None:
    rows = [*donations(6), tx("w1", "appeal", "c", 230.0, 3.2)]
    rows.append(tx("w2", "appeal", "c", 10.0, 3.3))
    assert [h.typology for h in run(rows)].count("small_donation_fan_in") == 1
