"""FtM mapping: MRZ to Person + document; dates, flight codes, trips."""

from __future__ import annotations

from datetime import date

import pytest
from followthemoney import model

from accord.travel.entities import (
    airport_entity,
    booking_id,
    mrz_to_entities,
    travelled,
    trip_entity,
)
from accord.travel.journey import (
    Leg,
    Traveller,
    edifact_datetime,
    flight_code,
    parse_ddmmmyy,
    parse_ddmmyy,
    parse_yymmdd,
)
from accord.travel.mrz import parse_mrz

TODAY = date(2026, 1, 1)


def test_passport_mrz_becomes_person_and_passport() -> None:
    result = parse_mrz(
        [
            "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<",
            "C01X0006H1D<<6408125F1710319<<<<<<<<<<<<<<<0",
        ],
        today=TODAY,
    )
    person, passport = mrz_to_entities(result)
    assert person.to_dict()["properties"] == {
        "name": ["ERIKA MUSTERMANN"],
        "firstName": ["ERIKA"],
        "lastName": ["MUSTERMANN"],
        "gender": ["female"],
        "birthDate": ["1964-08-12"],
        "nationality": ["de"],
    }
    assert passport.schema.name == "Passport"
    assert passport.to_dict()["properties"] == {
        "number": ["C01X0006H"],
        "type": ["Passport"],
        "country": ["de"],
        "holder": [person.id],
        "endDate": ["2017-10-31"],
    }
    assert mrz_to_entities(result)[0].id == person.id  # deterministic


@pytest.mark.parametrize(
    ("lines", "schema", "kind"),
    [
        (
            [
                "I<UTOD231458907<<<<<<<<<<<<<<<",
                "7408122F1204159UTO<<<<<<<<<<<6",
                "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
            ],
            "Identification",
            "Identity card",
        ),
        (
            [
                "VNUSATRAVELER<<HAPPY<<<<<<<<<<<<<<<<<<<<<<<<",
                "1234567897CAN6612120M1407282B3XLC000FD142955",
            ],
            "Identification",
            "Visa",
        ),
    ],
)
def test_other_documents_are_identifications(
    lines: list[str], schema: str, kind: str
) -> None:
    person, document = mrz_to_entities(parse_mrz(lines, today=TODAY))
    assert document.schema.name == schema
    assert document.get("type") == [kind]
    assert document.get("holder") == [person.id]


def test_two_digit_years() -> None:
    assert parse_yymmdd("720907", 2007, past=True) == "1972-09-07"
    assert parse_yymmdd("061230", 2007, past=True) == "2006-12-30"
    assert parse_yymmdd("610218", 2014) == "2061-02-18"
    assert parse_yymmdd("19720907", 2007) == "1972-09-07"
    assert parse_yymmdd("72090", 2007) is None
    assert parse_yymmdd("²20907", 2007) is None
    assert parse_ddmmyy("121210", 2010, "0915") == "2010-12-12T09:15"
    assert parse_ddmmyy("121210", 2010, "2599") == "2010-12-12"
    assert parse_ddmmmyy("12JUL64", 2010, past=True) == "1964-07-12"
    assert parse_ddmmmyy("12XYZ64", 2010) is None
    assert edifact_datetime("0702191540", "201", 2007) == "2007-02-19T15:40"
    assert edifact_datetime("200702191540", "203", 2007) == "2007-02-19T15:40"
    assert edifact_datetime("070219", "", 2007) == "2007-02-19"


def test_flight_codes_are_one_spelling() -> None:
    assert flight_code("UA", "UA0989") == "UA989"
    assert flight_code("ua", "0989") == "UA989"
    assert flight_code("SQ", "609") == "SQ609"
    assert flight_code("QQ", "000") == "QQ000"


def test_travelled_legs_follow_embarkation() -> None:
    legs = [
        Leg("QQ", "QQ1", "MIA", "IAD"),
        Leg("QQ", "QQ2", "IAD", "JFK"),
        Leg("QQ", "QQ3", "JFK", "CDG"),
    ]
    assert travelled(Traveller("A", embark="IAD", debark="JFK"), legs) == legs[1:2]
    assert travelled(Traveller("B", embark="MIA", debark="CDG"), legs) == legs
    assert travelled(Traveller("C"), legs) == legs
    assert travelled(Traveller("D", embark="LHR", debark="CDG"), legs) == legs


def test_trip_links_airports_and_people() -> None:
    leg = Leg("AA", "AA123", "ATL", "ORD", "2007-02-19T15:40", "2007-02-19T17:40")
    trip = trip_entity(leg, ["p2", "p1", "p1"])
    assert trip.schema is model.get("Trip")
    assert trip.get("involved") == ["p1", "p2"]
    assert trip.get("startLocation") == [airport_entity("atl").id]
    assert trip.first("name") == "AA123 ATL-ORD 2007-02-19"
    assert booking_id("dl", "mfn4ti") == booking_id("DL", "MFN4TI")
