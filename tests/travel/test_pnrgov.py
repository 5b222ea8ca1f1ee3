"""PNRGOV reader: travellers, documents, legs and bookings from real pushes."""

from __future__ import annotations

from pathlib import Path

import pytest
from followthemoney import EntityProxy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import ReaderError
from accord.travel.entities import trip_id
from accord.travel.journey import Leg
from accord.travel.pnrgov import PnrgovReader
from tests.travel.support import FIXTURES, names, of, raw_segments, read_with_warnings


def read(path: Path) -> tuple[list[EntityProxy], list[str]]:
    return read_with_warnings(PnrgovReader(path))


def raw_docs_numbers(data: bytes) -> set[str]:
    """Document numbers in the raw SSR+DOCS free text (9th component)."""
    segments, element = raw_segments(data)
    numbers = set()
    for segment in segments:
        if segment.startswith(f"SSR{element}DOCS:"):
            text = segment.split(element)[1].split(":", 8)[8]
            number = text.removeprefix("/").split("/")[2].strip()
            if number:
                numbers.add(number)
    return numbers


SAMPLES = {
    "gtas_2_pnrs_basic.edi": [
        "JOHN SMITHJR",
        "WILLIAM JONES",
        "JOHN WAYNE",
        "GARY COOPER",
    ],
    "gtas_pnrMessage.txt": ["JOHN SMITHJR", "WILLIAM JONES"],
    "gtas_adult_and_infant.edi": [
        "TESTNAMEONE TESTSURNAMEONE",
        "TESTNAMETWO TESTSURNAMETWO",
    ],
    "gtas_codeshare.edi": ["SEJOON PARK", "KONG CHUN KIM"],
    "gtas_pnrWithDoco.txt": ["CHARLES ACKARY"],
}


@pytest.mark.shared_data
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_gtas_sample_is_read_completely(shared_travel: Path, name: str) -> None:
    path = shared_travel / "pnrgov" / name
    entities, _ = read(path)
    assert names(entities) == SAMPLES[name]
    numbers = {n for d in of(entities, "Passport") for n in d.get("number")}
    assert numbers == raw_docs_numbers(path.read_bytes())
    assert of(entities, "Trip") and of(entities, "Event")


@pytest.mark.shared_data
def test_history_travellers_are_not_new_travellers(shared_travel: Path) -> None:
    """2_pnrs_basic repeats TIF WAYNE after ABI (history): still four people."""
    entities, _ = read(shared_travel / "pnrgov" / "gtas_2_pnrs_basic.edi")
    assert len(of(entities, "Person")) == 4
    bookings = {e.first("name"): e for e in of(entities, "Event")}
    assert set(bookings) == {"Booking DL MFN4TI", "Booking 1A 23456"}
    trips = of(entities, "Trip")
    assert all(len(t.get("involved")) == 4 for t in trips)


def test_cash_booking_with_passport_and_visa() -> None:
    entities, warnings = read(FIXTURES / "gtas_pnrWithDoco.txt")
    (person,) = of(entities, "Person")
    assert person.get("birthDate") == ["1948-12-26"]
    assert person.get("gender") == ["male"]
    assert person.get("birthPlace") == ["HERE VA"]
    assert "CHARLESMR ACKARY" in person.get("alias")  # the booking's own spelling
    passport, visa = of(entities, "Identification")
    assert passport.to_dict()["properties"] == {
        "number": ["602120901"],
        "type": ["Passport"],
        "country": ["gb"],
        "holder": [person.id],
        "endDate": ["2021-01-30"],
    }
    assert (visa.get("type"), visa.get("number")) == (["Visa"], ["8675309"])
    (booking,) = of(entities, "Event")
    assert booking.get("recordId") == ["06A9FD"]
    assert booking.get("date") == ["2018-04-11T12:20"]  # RCI creation date
    assert booking.get("modifiedAt") == ["2018-05-11T13:07"]  # DAT+700
    assert "payment:cash" in booking.get("keywords")
    assert booking.first("summary", quiet=True) is not None
    assert "cash 250.00" in (booking.first("summary") or "")
    assert booking.get("involved") == [person.id]
    legs = sorted(t.first("name") or "" for t in of(entities, "Trip"))
    assert legs == [
        "ET706 ADD-FRA 2018-05-11",
        "ET834 WDH-ADD 2018-05-11",
        "UA988 FRA-IAD 2018-05-12",
    ]
    assert any("UNT has no reference" in w for w in warnings)


def test_infant_gets_the_infant_documents() -> None:
    entities, _ = read(FIXTURES / "gtas_adult_and_infant.edi")
    adult, infant = of(entities, "Person")
    assert infant.get("position") == ["infant"]
    assert infant.get("birthDate") == ["2011-08-10"]
    assert adult.get("birthDate") == ["1976-05-30"]
    holders = {d.first("number"): d.first("holder") for d in of(entities, "Passport")}
    assert holders == {"52263000": adult.id, "AO234000": infant.id}


def test_codeshare_short_una_and_repeated_docs() -> None:
    entities, warnings = read(FIXTURES / "gtas_codeshare.edi")
    assert "has 5 characters, not 6" in warnings[0]
    # DOCS appears twice per traveller, once with KR and once with KOR.
    numbers = sorted(d.first("number") or "" for d in of(entities, "Passport"))
    assert numbers == ["JR3364288", "M17072944"]
    (trip,) = of(entities, "Trip")
    assert trip.first("name") == "SQ609 ICN-SIN 2013-05-27"
    assert len(trip.get("involved")) == 2
    locators = sorted(e.first("recordId") or "" for e in of(entities, "Event"))
    assert locators == ["2LS6KP", "X49V9U"]


def test_same_flight_from_both_readers_is_one_trip() -> None:
    paxlst = Leg("UA", "UA988", "FRA", "IAD", "2018-05-12T12:20")
    entities, _ = read(FIXTURES / "gtas_pnrWithDoco.txt")
    assert trip_id(paxlst) in {t.id for t in of(entities, "Trip")}


def test_paxlst_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="no PNRGOV message"):
        read(FIXTURES / "gtas_apisMessage.txt")


def test_reader_metadata() -> None:
    assert PnrgovReader.NAME == "pnrgov"
    assert PnrgovReader.TITLE


SAMPLE = (FIXTURES / "gtas_pnrWithDoco.txt").read_bytes()
FUZZ = settings(
    max_examples=200,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(
    st.lists(
        st.tuples(st.integers(0, len(SAMPLE) - 1), st.binary(max_size=3)), max_size=6
    )
)
def test_fuzz_mutated_sample(tmp_path: Path, edits: list[tuple[int, bytes]]) -> None:
    data = bytearray(SAMPLE)
    for position, replacement in edits:
        data[position : position + 1] = replacement
    path = tmp_path / "fuzz.edi"
    path.write_bytes(bytes(data))
    try:
        for entity in PnrgovReader(path).read():
            assert entity.id
    except ReaderError as error:
        assert error.position and error.reason
