"""PAXLST reader: every traveller, document and birth date, on real samples."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from followthemoney import EntityProxy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import ReaderError, SourceError
from accord.travel.paxlst import PaxlstReader
from tests.travel.support import FIXTURES, names, of, raw_count, read_with_warnings


def read(path: Path) -> tuple[list[EntityProxy], list[str]]:
    return read_with_warnings(PaxlstReader(path))


def by_id(entities: list[EntityProxy]) -> dict[str, EntityProxy]:
    return {str(e.id): e for e in entities}


# file: (travellers, documents, birth dates, first name, last name)
SAMPLES = {
    "gtas_Test1.txt": (8, 8, 8, "Andrea Pat Steur", "Jaclyn Pat Zschieschak"),
    "gtas_Test3.txt": (260, 260, 260, "Rachel Pat Kuchel", "Lisa Pat Pfaffelhuber"),
    "gtas_airline2.edi": (10, 10, 10, "DAVID BETTON", "DANIEL LOWE"),
    "gtas_apisMessage.txt": (2, 0, 2, "MICHAEL CLARK", "CHERYL CLARK"),
    "gtas_multiple_flight_leg_apis.txt": (2, 2, 2, "TODD BARRETT", "KRISTIN LANG"),
}


@pytest.mark.shared_data
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_gtas_sample_is_read_completely(shared_travel: Path, name: str) -> None:
    path = shared_travel / "paxlst" / name
    raw = path.read_bytes()
    entities, _ = read(path)
    people = of(entities, "Person")
    documents = of(entities, "Identification")
    travellers, docs, births, first, last = SAMPLES[name]
    # Counted independently in the raw bytes, and by hand.
    assert len(people) == raw_count(raw, "NAD+FL+", "NAD+FM+") == travellers
    assert len(documents) == raw_count(raw, "DOC+") == docs
    born = [p for p in people if p.get("birthDate")]
    assert len(born) == raw_count(raw, "DTM+329:") == births
    assert (names(entities)[0], names(entities)[-1]) == (first, last)
    holders = {h for d in documents for h in d.get("holder")}
    assert holders <= {str(p.id) for p in people}
    assert len(holders) == len(documents)  # one document per holder here


@pytest.mark.shared_data
def test_the_five_samples_hold_282_travellers(shared_travel: Path) -> None:
    total = sum(
        len(of(read(p)[0], "Person")) for p in (shared_travel / "paxlst").iterdir()
    )
    assert total == 282


def test_apis_message_legs_bookings_and_people() -> None:
    entities, warnings = read(FIXTURES / "gtas_apisMessage.txt")
    assert warnings == []
    assert Counter(e.schema.name for e in entities) == {
        "Person": 2,
        "Trip": 2,
        "Address": 3,
        "Event": 1,
    }
    michael, cheryl = of(entities, "Person")
    both = sorted([str(michael.id), str(cheryl.id)])
    assert michael.to_dict()["properties"] == {
        "name": ["MICHAEL CLARK"],
        "firstName": ["MICHAEL"],
        "lastName": ["CLARK"],
        "gender": ["male"],
        "birthDate": ["1972-09-07"],
    }
    trips = {t.first("name"): t for t in of(entities, "Trip")}
    first = trips["AA123 ATL-ORD 2007-02-19"]
    assert first.get("startDate") == ["2007-02-19T15:40"]
    assert first.get("endDate") == ["2007-02-19T17:40"]
    # Cheryl boards at ORD: she is on the second leg only.
    assert first.get("involved") == [michael.id]
    second = trips["AA124 ORD-JFK 2007-02-19"]
    assert sorted(second.get("involved")) == both
    airports = by_id(entities)
    assert airports[first.first("startLocation") or ""].get("name") == ["ATL"]
    (booking,) = of(entities, "Event")
    assert booking.get("recordId") == ["TYR123"]
    assert booking.get("involved") == both


def test_custom_separators_and_tolerated_quirks() -> None:
    entities, warnings = read(FIXTURES / "gtas_airline2.edi")
    assert len(of(entities, "Person")) == 10
    passport = of(entities, "Passport")[0]
    assert passport.get("number") == ["178556534"]
    assert passport.get("country") == ["us"]
    assert passport.get("endDate") == ["2018-02-21"]
    assert [w.split(": ", 2)[1:] for w in warnings] == [
        ["segment 2 (UNG), line 3", "stray whitespace around the tag 'UNG '"],
        [
            "segment 113 (UNT), line 114",
            (
                "UNT counts 121 segments in its message (UNH to UNT), but 111 "
                "were read; kept all 111"
            ),
        ],
        [
            "segment 113 (UNT), line 114",
            "UNT reference '140211180 0' does not match the UNH's '1402111800'",
        ],
        [
            "segment 112 (CNT), line 113",
            "CNT says 136, but the message lists 10 travellers",
        ],
    ]


def test_crew_lists_mark_crew() -> None:
    entities, warnings = read(FIXTURES / "gtas_Test1.txt")
    crew = of(entities, "Person")
    assert len(crew) == 8
    assert {p.first("position") for p in crew} == {"crew"}
    assert crew[0].get("birthPlace") == ["Hartford USA"]
    assert any("count in the second element" in w for w in warnings)


def test_odd_byte_in_a_name_is_replaced_and_reported() -> None:
    entities, warnings = read(FIXTURES / "gtas_Test3_excerpt.txt")
    assert "Jeffrey Pat Nov?k" in names(entities)
    assert any(
        w.endswith("segment 36 (NAD), line 4: byte 0x87 outside UNOA; replaced by '?'")
        for w in warnings
    )


def test_reading_twice_gives_the_same_entities() -> None:
    first, _ = read(FIXTURES / "gtas_Test1.txt")
    second, _ = read(FIXTURES / "gtas_Test1.txt")
    assert [e.to_dict() for e in first] == [e.to_dict() for e in second]


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "paxlst.edi"
    path.write_bytes(data)
    return path


def test_truncated_file_names_the_segment(tmp_path: Path) -> None:
    data = (FIXTURES / "gtas_apisMessage.txt").read_bytes()
    path = write(tmp_path, data[: data.index(b"CHERYL") + 3])
    with pytest.raises(ReaderError) as info:
        read(path)
    assert info.value.position == "segment 27, line 23"  # NAD+FL+++CHE
    assert "truncated" in info.value.reason


def test_unt_mismatch_is_a_warning_and_loses_nothing(tmp_path: Path) -> None:
    data = (FIXTURES / "gtas_apisMessage.txt").read_bytes()
    path = write(tmp_path, data.replace(b"UNT+33+PAX001", b"UNT+30+PAX001"))
    entities, warnings = read(path)
    assert len(of(entities, "Person")) == 2
    assert warnings == [
        (
            f"{path}: segment 35 (UNT), line 31: UNT counts 30 segments in its "
            "message (UNH to UNT), but 33 were read; kept all 33"
        )
    ]


def test_other_message_types_and_empty_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="no PAXLST message"):
        read(FIXTURES / "gtas_pnrWithDoco.txt")
    with pytest.raises(ReaderError, match="no PAXLST message"):
        read(write(tmp_path, b""))
    with pytest.raises(SourceError):
        read(tmp_path / "absent.edi")


def test_reader_metadata() -> None:
    assert PaxlstReader.NAME == "paxlst"
    assert PaxlstReader.TITLE


SAMPLE = (FIXTURES / "gtas_apisMessage.txt").read_bytes()
FUZZ = settings(
    max_examples=200,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def outcome(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        for entity in PaxlstReader(path).read():
            assert entity.id and entity.schema
    except ReaderError as error:
        assert error.position and error.reason


@FUZZ
@given(st.binary(max_size=200))
def test_fuzz_arbitrary_bytes(tmp_path: Path, data: bytes) -> None:
    outcome(tmp_path / "fuzz.edi", data)


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
    outcome(tmp_path / "fuzz.edi", bytes(data))
