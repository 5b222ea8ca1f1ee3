"""OFSI's ConList.csv, on a fixture written in the published 2022 layout."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from followthemoney import EntityProxy
from hypothesis import given
from hypothesis import strategies as st

from accord.screening.lists.uk_ofsi import UkOfsiCsvReader, is_terror_regime
from tests.screening.lists.support import (
    FIXTURES,
    FUZZ,
    documents_of,
    parses_or_reader_error,
    read_all,
    reader_error,
    schema_counts,
)

CONLIST = FIXTURES / "ConList.csv"
HEADER = CONLIST.read_text(encoding="utf-8").splitlines()[1].split(",")


@pytest.fixture(scope="module")
def uk() -> dict[str, EntityProxy]:
    return read_all(UkOfsiCsvReader(CONLIST))


def test_counts_per_schema(uk: dict[str, EntityProxy]) -> None:
    assert schema_counts(uk) == {
        "Person": 1,
        "LegalEntity": 2,
        "Vessel": 1,
        "Sanction": 4,
        "Passport": 2,
        "Identification": 1,
    }


def test_rows_of_a_group_are_one_party(uk: dict[str, EntityProxy]) -> None:
    person = uk["gb-hmt-90001"]
    assert person.get("name") == ["Ana Maria EXAMPLE", "آنا ماريا إكزامبل"]
    assert person.get("firstName") == ["Ana"]
    assert person.get("lastName") == ["EXAMPLE"]
    assert person.get("alias") == ["Anna EXEMPLAR"]
    assert person.get("weakAlias") == ["UMM EXAMPLE"]  # Alias Quality "Low"
    assert person.get("title") == ["Dr"]


def test_person_details(uk: dict[str, EntityProxy]) -> None:
    person = uk["gb-hmt-90001"]
    assert person.get("birthDate") == ["1970-02-01", "1971"]  # "00/00/1971"
    assert person.get("birthPlace") == ["Exampletown, Syria"]
    assert person.get("birthCountry") == ["sy"]
    assert person.get("nationality") == ["sy", "tr"]
    assert person.get("position") == ["Financier"]
    assert person.get("gender") == ["female"]  # from Other Information
    assert person.get("address") == ["12 Sample Street, Damascus, Syria"]
    assert person.get("country") == ["sy"]


def test_numbered_documents_are_paired_with_their_details(
    uk: dict[str, EntityProxy],
) -> None:
    assert uk["gb-hmt-90001"].get("passportNumber") == ["N0000001", "T0000002"]
    documents = {d.first("number"): d for d in documents_of(uk, "gb-hmt-90001")}
    assert documents["N0000001"].get("summary") == ["Syrian passport"]
    assert documents["T0000002"].get("summary") == ["Turkish passport, issued in 2010"]
    national = documents["555-000-111"]
    assert national.schema.name == "Identification"
    assert national.get("summary") == ["Syrian national identity card"]


def test_names_of_entities_and_ships(uk: dict[str, EntityProxy]) -> None:
    company = uk["gb-hmt-90002"]
    assert company.get("name") == ["EXAMPLE TRADING LLC", "ООО ЭКЗАМПЛ ТРЕЙДИНГ"]
    assert company.get("previousName") == ["OLD EXAMPLE TRADING"]
    assert company.get("address") == [
        "Office 4, 7 Placeholder Embankment, Moscow, 101000, Russia"
    ]
    assert uk["gb-hmt-90004"].get("alias") == ["EXAMPLE BRIGADES"]
    ship = uk["gb-hmt-90003"]
    assert ship.get("name") == ["SEA EXAMPLE"]
    assert ship.get("imoNumber") == ["IMO9000003"]


def test_sanctions_and_topics(uk: dict[str, EntityProxy]) -> None:
    sanction = uk["gb-hmt-90001-sanction"]
    assert sanction.get("program") == ["Counter-Terrorism (International)"]
    assert sanction.get("authorityId") == ["CTI0999"]
    assert sanction.get("listingDate") == ["2019-03-12"]
    assert sanction.get("startDate") == ["2020-12-31"]
    assert sanction.get("modifiedAt") == ["2021-02-01"]
    assert uk["gb-hmt-90004-sanction"].get("unscId") == ["QDe.999"]
    assert uk["gb-hmt-90001"].get("topics") == ["sanction", "crime.terror"]
    assert uk["gb-hmt-90004"].get("topics") == ["sanction", "crime.terror"]
    assert uk["gb-hmt-90002"].get("topics") == ["sanction"]


@pytest.mark.parametrize(
    ("regime", "terror"),
    [
        ("Counter-Terrorism (Domestic)", True),
        ("Counter-Terrorism (International)", True),
        ("ISIL (Da'esh) and Al-Qaida", True),
        ("The Counter-Terrorism (Sanctions) (EU Exit) Regulations 2019", True),
        ("Afghanistan", False),
        ("Russia", False),
        (None, False),
    ],
)
def test_terror_regimes(regime: str | None, terror: bool) -> None:
    assert is_terror_regime(regime) is terror


def conlist(*rows: dict[str, str], banner: bool = True) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if banner:
        writer.writerow(["Last Updated", "01/02/2024"])
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([row.get(column, "") for column in HEADER])
    return out.getvalue()


PERSON = {
    "Name 6": "DOE",
    "Name 1": "Jane",
    "Group Type": "Individual",
    "Alias Type": "Primary name",
    "Regime": "Russia",
    "Group ID": "1",
}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ConList.csv"
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_a_group_split_across_the_file_is_emitted_as_fragments(tmp_path: Path) -> None:
    alias = dict(PERSON, **{"Name 6": "ROE", "Alias Type": "AKA"})
    other = dict(PERSON, **{"Name 6": "OTHER", "Group ID": "2"})
    entities = list(
        UkOfsiCsvReader(write(tmp_path, conlist(PERSON, other, alias))).read()
    )
    fragments = [e for e in entities if e.id == "gb-hmt-1"]
    assert len(fragments) == 2
    merged = fragments[0].merge(fragments[1])
    assert merged.get("name") == ["Jane DOE"]
    assert merged.get("alias") == ["Jane ROE"]


def test_the_banner_line_is_optional(tmp_path: Path) -> None:
    path = write(tmp_path, conlist(PERSON, banner=False))
    assert list(read_all(UkOfsiCsvReader(path))) == ["gb-hmt-1", "gb-hmt-1-sanction"]


def test_row_without_group_id_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, conlist(PERSON, dict(PERSON, **{"Group ID": ""})))
    error = reader_error(UkOfsiCsvReader(path))
    assert error.path == str(path)
    assert (error.position, error.reason) == ("line 4", "row has no Group ID")


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (dict(PERSON, **{"Group Type": "Aircraft"}), "unknown Group Type 'Aircraft'"),
        (dict(PERSON, **{"Name 6": "", "Name 1": ""}), "row has no name"),
        (dict(PERSON, **{"Group ID": "a b"}), "cannot form an entity id"),
    ],
)
def test_malformed_rows_are_refused(
    tmp_path: Path, row: dict[str, str], reason: str
) -> None:
    error = reader_error(UkOfsiCsvReader(write(tmp_path, conlist(row))))
    assert error.position == "line 3"
    assert reason in error.reason


def test_group_type_must_not_change_within_a_group(tmp_path: Path) -> None:
    entity = dict(PERSON, **{"Group Type": "Entity", "Alias Type": "AKA"})
    error = reader_error(UkOfsiCsvReader(write(tmp_path, conlist(PERSON, entity))))
    assert error.position == "line 4"
    assert error.reason == (
        "Group ID 1 began as Group Type 'individual' but this row says 'entity'"
    )


def test_short_rows_and_foreign_headers_are_refused(tmp_path: Path) -> None:
    text = conlist(PERSON).rstrip("\r\n").rsplit(",", 3)[0] + "\r\n"
    error = reader_error(UkOfsiCsvReader(write(tmp_path, text)))
    assert (error.position, error.reason) == ("line 3", "expected 36 columns, found 33")
    error = reader_error(UkOfsiCsvReader(write(tmp_path, "Name,Country\r\nX,Y\r\n")))
    assert error.position == "line 1"
    assert "not a ConList header" in error.reason
    error = reader_error(UkOfsiCsvReader(write(tmp_path, "")))
    assert error.reason == "no header row: the file is empty"


def test_reader_metadata() -> None:
    assert UkOfsiCsvReader.NAME == "uk_ofsi_csv"


POSITIONS = ("line ",)


VALUES = st.fixed_dictionaries(
    {},
    optional={
        column: st.sampled_from(
            ["", "Individual", "Ship", "AKA", "Low", "1", "00/13/1970"]
        )
        | st.text(max_size=15)
        for column in (
            "Name 6",
            "Name 1",
            "DOB",
            "Nationality",
            "Passport Number",
            "Passport Details",
            "Other Information",
            "Group Type",
            "Alias Type",
            "Alias Quality",
            "Regime",
            "Listed On",
            "Group ID",
        )
    },
)


@FUZZ
@given(rows=st.lists(VALUES, max_size=4))
def test_fuzz_row_values(tmp_path: Path, rows: list[dict[str, str]]) -> None:
    path = write(tmp_path, conlist(*rows))
    parses_or_reader_error(UkOfsiCsvReader(path), POSITIONS)
