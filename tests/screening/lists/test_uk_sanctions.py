"""The FCDO's UK Sanctions List XML, on a fixture written from the published layout."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from followthemoney import EntityProxy
from hypothesis import given
from hypothesis import strategies as st

from accord.screening.lists.uk_sanctions import UkSanctionsXmlReader
from tests.screening.lists.support import (
    FIXTURES,
    FUZZ,
    documents_of,
    parses_or_reader_error,
    read_all,
    reader_error,
    schema_counts,
)

XML = FIXTURES / "uk_sanctions.xml"


@pytest.fixture(scope="module")
def uk() -> dict[str, EntityProxy]:
    return read_all(UkSanctionsXmlReader(XML))


def test_counts_per_schema(uk: dict[str, EntityProxy]) -> None:
    assert schema_counts(uk) == {
        "Person": 1,
        "Organization": 2,
        "Vessel": 1,
        "Sanction": 4,
        "Passport": 2,
        "Identification": 1,
    }
    assert list(uk)[:2] == ["gb-fcdo-cti0999", "gb-fcdo-cti0999-sanction"]


def test_names(uk: dict[str, EntityProxy]) -> None:
    person = uk["gb-fcdo-cti0999"]
    assert person.get("name") == ["Ana Maria EXAMPLE", "آنا ماريا إكزامبل"]
    assert person.get("firstName") == ["Ana"]
    assert person.get("lastName") == ["EXAMPLE"]
    assert person.get("alias") == ["Anna EXEMPLAR"]
    assert person.get("weakAlias") == ["UMM EXAMPLE"]  # "Low quality a.k.a"
    company = uk["gb-fcdo-rus9999"]
    assert company.get("name") == ["EXAMPLE TRADING LLC", "ООО ЭКЗАМПЛ ТРЕЙДИНГ"]
    assert company.get("alias") == ["EXAMPLE TRADING LIMITED LIABILITY COMPANY"]


def test_individual_details(uk: dict[str, EntityProxy]) -> None:
    person = uk["gb-fcdo-cti0999"]
    assert person.get("birthDate") == ["1970-02-01", "1971"]  # "dd/mm/1971"
    assert person.get("nationality") == ["sy", "tr"]
    assert person.get("position") == ["Financier"]
    assert person.get("gender") == ["female"]
    assert person.get("birthPlace") == ["Exampletown, Syria"]
    assert person.get("birthCountry") == ["sy"]
    assert person.get("address") == ["12 Sample Street, Damascus, Syria"]
    assert person.get("email") == ["ana@example.org", "ana.example@example.net"]
    assert person.get("phone") == ["+963110000000"]


def test_passports_repeat_once(uk: dict[str, EntityProxy]) -> None:
    person = uk["gb-fcdo-cti0999"]
    assert person.get("passportNumber") == ["N0000001", "T0000002"]
    assert person.get("idNumber") == ["555-000-111"]
    documents = {d.first("number"): d for d in documents_of(uk, "gb-fcdo-cti0999")}
    assert documents["N0000001"].get("summary") == ["Syrian passport"]
    assert documents["555-000-111"].schema.name == "Identification"


def test_entity_and_ship_details(uk: dict[str, EntityProxy]) -> None:
    company = uk["gb-fcdo-rus9999"]
    assert company.get("registrationNumber") == ["1000000000000"]
    assert company.get("legalForm") == ["Limited Liability Company"]
    ship = uk["gb-fcdo-rus9998"]
    assert ship.get("imoNumber") == ["IMO9000003"]
    assert ship.get("flag") == ["ga"]
    assert ship.get("pastFlags") == ["lr"]
    assert ship.get("type") == ["Crude Oil Tanker"]
    assert ship.get("buildDate") == ["2004"]


def test_sanctions_and_topics(uk: dict[str, EntityProxy]) -> None:
    sanction = uk["gb-fcdo-cti0999-sanction"]
    assert sanction.get("program") == [
        "The Counter-Terrorism (International Sanctions) (EU Exit) Regulations 2019"
    ]
    assert sanction.get("authorityId") == ["CTI0999"]
    assert sanction.get("listingDate") == ["2020-12-31"]
    assert sanction.get("modifiedAt") == ["2021-02-01"]
    assert sanction.get("provisions") == ["Asset freeze", "Trust services sanctions"]
    assert sanction.get("reason") == ["Invented statement of reasons."]
    assert uk["gb-fcdo-aqd9999-sanction"].get("unscId") == ["QDe.999"]
    assert uk["gb-fcdo-cti0999"].get("topics") == ["sanction", "crime.terror"]
    assert uk["gb-fcdo-aqd9999"].get("topics") == ["sanction", "crime.terror"]
    assert uk["gb-fcdo-rus9999"].get("topics") == ["sanction"]


def test_entity_type_element_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "uk.xml"
    path.write_bytes(
        designation(
            "<UniqueID>X1</UniqueID><EntityType>Ship</EntityType>"
            "<Names><Name><Name6>BOAT</Name6><NameType>Primary Name</NameType></Name></Names>"
        )
    )
    assert read_all(UkSanctionsXmlReader(path))["gb-fcdo-x1"].schema.name == "Vessel"


def designation(body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<Designations>\n'
        f"<Designation>\n{body}\n</Designation>\n</Designations>\n"
    ).encode()


ALIAS_ONLY = (
    "<UniqueID>A1</UniqueID><IndividualEntityShip>Entity</IndividualEntityShip>"
    "<Names><Name><Name6>X</Name6><NameType>Alias</NameType></Name></Names>"
)
PRIMARY = (
    "<Names><Name><Name6>X</Name6><NameType>Primary Name</NameType></Name></Names>"
)


@pytest.mark.parametrize(
    ("body", "position", "reason"),
    [
        (PRIMARY, "line 3", "Designation has no UniqueID"),
        (
            f"<UniqueID>A1</UniqueID>{PRIMARY}",
            "line 3",
            "unknown IndividualEntityShip None",
        ),
        (
            ALIAS_ONLY,
            "record UniqueID=A1",
            "Designation has no primary name",
        ),
        (
            f"<UniqueID>--</UniqueID><IndividualEntityShip>Entity</IndividualEntityShip>{PRIMARY}",
            "line 3",
            "cannot form an entity id",
        ),
    ],
)
def test_malformed_designations_are_refused(
    tmp_path: Path, body: str, position: str, reason: str
) -> None:
    path = tmp_path / "uk.xml"
    path.write_bytes(designation(body))
    error = reader_error(UkSanctionsXmlReader(path))
    assert error.path == str(path)
    assert error.position == position
    assert reason in error.reason


def test_reader_metadata() -> None:
    assert UkSanctionsXmlReader.NAME == "uk_sanctions_xml"


POSITIONS = ("line ", "record UniqueID=")


CHILDREN = st.sampled_from(
    [
        "UniqueID",
        "IndividualEntityShip",
        "Names/Name/Name1",
        "Names/Name/Name6",
        "Names/Name/NameType",
        "Names/Name/AliasStrength",
        "RegimeName",
        "DateDesignated",
        "IndividualDetails/Individual/DOBs/DOB",
        "IndividualDetails/Individual/Nationalities/Nationality",
        "IndividualDetails/Individual/PassportDetails/Passport/PassportNumber",
        "ShipDetails/Ship/IMONumbers/IMONumber",
        "Addresses/Address/AddressCountry",
    ]
)
TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12
) | st.sampled_from(["A1", "Individual", "Ship", "Primary Name", "Low", "dd/13/1970"])


def child(path: str, text: str) -> str:
    parts = path.split("/")
    opening = "".join(f"<{part}>" for part in parts)
    closing = "".join(f"</{part}>" for part in reversed(parts))
    return f"{opening}{escape(text)}{closing}"


@FUZZ
@given(children=st.lists(st.tuples(CHILDREN, TEXT), max_size=12))
def test_fuzz_designation_values(
    tmp_path: Path, children: list[tuple[str, str]]
) -> None:
    path = tmp_path / "uk.xml"
    path.write_bytes(designation("".join(child(p, t) for p, t in children)))
    parses_or_reader_error(UkSanctionsXmlReader(path), POSITIONS)
