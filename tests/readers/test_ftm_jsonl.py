"""FtM JSON-lines reader: OpenSanctions-style lines in, cleaned entities out."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import ReaderError, SourceError
from accord.readers.ftm_jsonl import FtmJsonLinesReader

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "ftm_sample.jsonl"

PERSON = {"id": "p1", "schema": "Person", "properties": {"name": ["Test Person"]}}


def line(data: Any) -> str:
    return json.dumps(data) + "\n"


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "entities.jsonl"
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def read(path: Path) -> list[Any]:
    return list(FtmJsonLinesReader(path).read())


def error_of(path: Path) -> ReaderError:
    with pytest.raises(ReaderError) as info:
        read(path)
    assert info.value.path == str(path)
    return info.value


def test_reads_the_sample_in_file_order() -> None:
    entities = read(SAMPLE)
    assert [(e.id, e.schema.name) for e in entities] == [
        ("fx-ana", "Person"),
        ("fx-example-trading", "Company"),
        ("fx-ana-passport", "Passport"),
        ("fx-ana-owns-trading", "Ownership"),
        ("fx-ana-sanction", "Sanction"),
        ("fx-placeholder-society", "Organization"),
    ]


def test_keeps_properties_and_drops_publisher_keys() -> None:
    person = read(SAMPLE)[0]
    assert person.to_dict() == {
        "id": "fx-ana",
        "schema": "Person",
        "properties": {
            "name": ["Ana Placeholder"],
            "alias": ["A. Placeholder"],
            "birthDate": ["1980-02-14"],
            "nationality": ["fr"],
            "topics": ["sanction"],
        },
    }
    assert person.context == {}


def test_references_survive() -> None:
    entities = {e.id: e for e in read(SAMPLE)}
    assert entities["fx-ana-passport"].get("holder") == ["fx-ana"]
    assert entities["fx-ana-owns-trading"].get("asset") == ["fx-example-trading"]


def test_values_are_cleaned_by_their_ftm_type() -> None:
    society = read(SAMPLE)[-1]
    assert society.get("country") == ["de"]  # written as "Germany"


def test_invalid_values_are_dropped_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = {
        "id": "p1",
        "schema": "Person",
        "properties": {"name": ["X"], "birthDate": ["not a date", "1970"]},
    }
    path = write(tmp_path, line(PERSON) + line(data))
    with caplog.at_level(logging.WARNING, logger="accord.readers.ftm_jsonl"):
        entities = read(path)
    assert entities[1].get("birthDate") == ["1970"]
    assert "line 2: dropped 1 invalid 'birthDate'" in caplog.text


def test_blank_lines_and_a_bom_are_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "\ufeff" + line(PERSON) + "\n   \n\r\n" + line(PERSON))
    assert [e.id for e in read(path)] == ["p1", "p1"]


def test_truncated_last_line_is_reported_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, line(PERSON) + "\n" + line(PERSON)[:30])
    error = error_of(path)
    assert error.position == "line 3, column 24"  # the unterminated "Perso
    assert error.reason.startswith("invalid JSON: ")
    assert "truncated" in error.reason


def test_bad_json_in_the_middle_is_not_called_truncated(tmp_path: Path) -> None:
    path = write(tmp_path, line(PERSON) + "{nope}\n" + line(PERSON))
    error = error_of(path)
    assert error.position == "line 2, column 2"
    assert "truncated" not in error.reason


def test_entities_stream_before_a_later_error(tmp_path: Path) -> None:
    path = write(tmp_path, line(PERSON) + "{broken\n")
    entities = FtmJsonLinesReader(path).read()
    assert next(entities).id == "p1"
    with pytest.raises(ReaderError):
        next(entities)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"schema": "Person"}, "missing 'id'"),
        ({"id": "", "schema": "Person"}, "missing 'id'"),
        ({"id": 7, "schema": "Person"}, "missing 'id'"),
        ({"id": "bad id", "schema": "Person"}, "invalid id 'bad id'"),
        ({"id": "p1"}, "missing 'schema'"),
        ({"id": "p1", "schema": "Alien"}, "unknown schema 'Alien'"),
        ({"id": "p1", "schema": "Thing"}, "schema 'Thing' is abstract"),
        (["p1", "Person"], "expected a JSON object, got list"),
        ({"id": "p1", "schema": "Person", "properties": []}, "'properties' must be"),
        (
            {"id": "p1", "schema": "Person", "properties": {"shoeSize": ["42"]}},
            "unknown property 'shoeSize' for schema Person",
        ),
        (
            {"id": "p1", "schema": "Person", "properties": {"sanctions": ["s1"]}},
            "property 'sanctions' of Person is derived",
        ),
        (
            {"id": "p1", "schema": "Person", "properties": {"name": "Solo"}},
            "property 'name' must be a list of strings",
        ),
        (
            {"id": "p1", "schema": "Person", "properties": {"name": [1]}},
            "property 'name' must be a list of strings",
        ),
    ],
)
def test_malformed_entities_are_refused(tmp_path: Path, data: Any, reason: str) -> None:
    path = write(tmp_path, line(PERSON) + line(data))
    error = error_of(path)
    assert error.position == "line 2"
    assert reason in error.reason


def test_non_utf8_line_is_refused_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, line(PERSON).encode() + b'{"id": "\xff"}\n')
    error = error_of(path)
    assert error.position == "line 2"
    assert "not UTF-8" in error.reason


def test_missing_file_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as info:
        read(tmp_path / "absent.jsonl")
    assert not isinstance(info.value, ReaderError)


def test_reader_metadata() -> None:
    assert FtmJsonLinesReader.NAME == "ftm_jsonl"
    assert FtmJsonLinesReader.TITLE


def check_parses_or_reader_error(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        for entity in FtmJsonLinesReader(path).read():
            assert entity.id
    except ReaderError as error:
        assert error.position.startswith("line ")


FUZZ = settings(
    max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(data=st.binary(max_size=300))
def test_fuzz_arbitrary_bytes(tmp_path: Path, data: bytes) -> None:
    check_parses_or_reader_error(tmp_path / "fuzz.jsonl", data)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)
PROPERTY_NAMES = st.sampled_from(
    ["name", "birthDate", "country", "holder", "sanctions", "topics", "x", ""]
)
ENTITY_LIKE = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.sampled_from(["p1", "a b", ""]), JSON_VALUES),
        "schema": st.one_of(
            st.sampled_from(["Person", "Passport", "Thing", "Nope"]), JSON_VALUES
        ),
        "properties": st.one_of(
            st.dictionaries(
                PROPERTY_NAMES,
                st.one_of(st.lists(st.text(max_size=12), max_size=3), JSON_VALUES),
                max_size=3,
            ),
            JSON_VALUES,
        ),
        "caption": JSON_VALUES,
    },
)


@FUZZ
@given(records=st.lists(st.one_of(ENTITY_LIKE, JSON_VALUES), max_size=4))
def test_fuzz_entity_like_json(tmp_path: Path, records: list[Any]) -> None:
    text = "".join(line(record) for record in records)
    check_parses_or_reader_error(tmp_path / "fuzz.jsonl", text.encode("utf-8"))
