"""Analyst risk rules: each kind fires on what it names and nothing else,
and a bad rules file is refused whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from followthemoney import EntityProxy, model

from accord.errors import ReaderError
from accord.travel.manifest import Flight, TravellerRecord
from accord.travel.rules import RuleSet, load_rules

RULES = """
[[rules]]
name = "watched_hub"
kind = "route_airport"
weight = 0.4
airports = ["dam"]
description = "Transit via a watched airport."

[[rules]]
name = "late_one_way"
kind = "late_one_way"
weight = 0.3
hours = 24

[[rules]]
name = "cash"
kind = "payment_form"
weight = 0.2
forms = ["cash"]
"""


def _booking(created: str, payment: str = "cash") -> EntityProxy:
    event = model.make_entity("Event")
    event.id = f"booking-{created}-{payment}"
    event.add("date", created)
    event.add("keywords", ["booking", f"payment:{payment}"])
    return event


def _traveller(
    legs: list[tuple[str, str, str]], bookings: list[EntityProxy] | None = None
) -> TravellerRecord:
    person = model.make_entity("Person")
    person.id = "person-1"
    person.add("name", "Ana Example")
    flights = [
        Flight(f"trip-{i}", f"XA{i} {a}-{b}", a, b, when)
        for i, (a, b, when) in enumerate(legs)
    ]
    return TravellerRecord(person, flights=flights, bookings=list(bookings or []))


@pytest.fixture
def rules(tmp_path: Path) -> RuleSet:
    path = tmp_path / "rules.toml"
    path.write_text(RULES, encoding="utf-8")
    return load_rules(path)


def test_route_rule_names_the_legs_through_a_listed_airport(rules: RuleSet) -> None:
    traveller = _traveller(
        [("LHR", "IST", "2026-11-25T08:00"), ("IST", "DAM", "2026-11-25T14:00")]
    )
    hits = [h for h in rules.evaluate(traveller) if h.rule == "watched_hub"]
    assert len(hits) == 1
    assert hits[0].evidence == ("trip-1",)
    assert "IST-DAM" in hits[0].detail


def test_route_rule_is_silent_elsewhere(rules: RuleSet) -> None:
    traveller = _traveller([("LHR", "IST", "2026-11-25T08:00")])
    assert rules.evaluate(traveller) == []


def test_one_way_booked_hours_before_departure_fires(rules: RuleSet) -> None:
    booking = _booking("2026-11-24T22:00", payment="cc")
    traveller = _traveller([("LHR", "IST", "2026-11-25T08:00")], [booking])
    hits = [h for h in rules.evaluate(traveller) if h.rule == "late_one_way"]
    assert len(hits) == 1
    assert "10.0 h" in hits[0].detail
    assert booking.id in hits[0].evidence


def test_one_way_booked_days_ahead_does_not_fire(rules: RuleSet) -> None:
    booking = _booking("2026-11-20T22:00", payment="cc")
    traveller = _traveller([("LHR", "IST", "2026-11-25T08:00")], [booking])
    assert rules.evaluate(traveller) == []


def test_return_journey_booked_late_is_not_one_way(rules: RuleSet) -> None:
    booking = _booking("2026-11-25T06:00", payment="cc")
    legs = [("LHR", "IST", "2026-11-25T08:00"), ("IST", "LHR", "2026-11-28T08:00")]
    assert rules.evaluate(_traveller(legs, [booking])) == []


def test_cash_payment_fires_and_card_does_not(rules: RuleSet) -> None:
    legs = [("LHR", "IST", "2026-11-25T08:00")]
    cash = rules.evaluate(_traveller(legs, [_booking("2026-10-01T10:00")]))
    card = rules.evaluate(_traveller(legs, [_booking("2026-10-01T10:00", "cc")]))
    assert [h.rule for h in cash] == ["cash"]
    assert card == []


def test_default_rules_load_and_name_the_three_kinds() -> None:
    rules = load_rules()
    kinds = {type(rule).__name__ for rule in rules.rules}
    assert kinds == {"RouteAirportRule", "LateOneWayRule", "PaymentFormRule"}


@pytest.mark.parametrize(
    ("text", "position", "reason"),
    [
        (
            '[[rules]]\nname = "x"\nkind = "route_airport"\nweight = 2\nairports = ["A"]\n',
            "rule 1",
            "weight",
        ),
        ('[[rules]]\nname = "x"\nkind = "teleport"\nweight = 0.5\n', "rule 1", "kind"),
        (
            '[[rules]]\nname = "x"\nkind = "payment_form"\nweight = 0.5\nforms = []\n',
            "rule 1",
            "forms",
        ),
        (
            '[[rules]]\nname = "x"\nkind = "late_one_way"\nweight = 0.5\nextra = 1\n',
            "rule 1",
            "extra",
        ),
        ("[[rules]\n", "file", "line 1"),
    ],
)
def test_bad_rules_file_is_refused_with_rule_and_field(
    tmp_path: Path, text: str, position: str, reason: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReaderError) as caught:
        load_rules(path)
    message = str(caught.value)
    assert str(path) in message
    assert position in message
    assert reason in message


def test_duplicate_rule_names_are_refused(tmp_path: Path) -> None:
    rule = (
        '[[rules]]\nname = "x"\nkind = "payment_form"\nweight = 0.5\nforms = ["cash"]\n'
    )
    path = tmp_path / "dup.toml"
    path.write_text(rule + rule, encoding="utf-8")
    with pytest.raises(ReaderError, match="rule 2.*duplicate"):
        load_rules(path)
