"""TLP 2.0 rules: who reads what, and what a derived finding is marked."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.errors import InvalidData
from accord.model.marking import Marking, Tlp, may_read, strictest

AGENCIES = st.sampled_from(["alpha", "bravo", "charlie", "delta"])
MARKINGS = st.builds(
    lambda tlp, rel: Marking(tlp, frozenset() if tlp is Tlp.RED else frozenset(rel)),
    st.sampled_from(list(Tlp)),
    st.sets(AGENCIES, max_size=3),
)


@pytest.mark.parametrize(
    ("marking", "reader", "allowed"),
    [
        (Marking(Tlp.CLEAR), "bravo", True),
        (Marking(Tlp.GREEN), "bravo", True),
        (Marking(Tlp.GREEN, frozenset({"charlie"})), "bravo", False),
        (Marking(Tlp.AMBER), "bravo", False),
        (Marking(Tlp.AMBER, frozenset({"bravo"})), "bravo", True),
        (Marking(Tlp.AMBER_STRICT, frozenset({"bravo"})), "bravo", True),
        (Marking(Tlp.AMBER_STRICT), "bravo", False),
        (Marking(Tlp.RED), "bravo", False),
        (Marking(Tlp.RED), "alpha", True),
    ],
)
def test_may_read(marking: Marking, reader: str, allowed: bool) -> None:
    assert may_read(marking, "alpha", reader) is allowed


def test_red_cannot_be_released() -> None:
    with pytest.raises(InvalidData, match="RED"):
        Marking(Tlp.RED, frozenset({"bravo"}))


@pytest.mark.parametrize(
    "text", ["amber+strict", "AMBER+STRICT", "TLP:AMBER+STRICT", "amber_strict"]
)
def test_parse_accepts_common_spellings(text: str) -> None:
    assert Tlp.parse(text) is Tlp.AMBER_STRICT


def test_parse_refuses_unknown_levels() -> None:
    with pytest.raises(InvalidData, match="white"):
        Tlp.parse("white")


def test_strictest_of_nothing_is_red() -> None:
    assert strictest([]) == Marking(Tlp.RED)


@given(st.lists(MARKINGS, min_size=1, max_size=4), AGENCIES)
def test_derived_marking_is_never_looser(markings: list[Marking], reader: str) -> None:
    """Whoever may read the derived marking may read every input marking."""
    derived = strictest(markings)
    if may_read(derived, "alpha", reader):
        assert all(may_read(m, "alpha", reader) for m in markings)
    assert derived.tlp.rank >= max(m.tlp.rank for m in markings)
