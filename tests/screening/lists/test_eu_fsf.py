"""The EU Financial Sanctions Files XML, on a fixture written from the published layout."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest
from followthemoney import EntityProxy
from hypothesis import given
from hypothesis import strategies as st

from accord.screening.lists.eu_fsf import EuFsfXmlReader
from tests.screening.lists.support import (
    FIXTURES,
    FUZZ,
    documents_of,
    parses_or_reader_error,
    read_all,
    reader_error,
    schema_counts,
)

XML = FIXTURES / "eu_fsf.xml"
NS = "http://eu.europa.ec/fpi/fsd/export"


@pytest.fixture(scope="module")
def eu() -> dict[str, EntityProxy]:
    return read_all(EuFsfXmlReader(XML))


def test_counts_per_schema(eu: dict[str, EntityProxy]) -> None:
    assert schema_counts(eu) == {
        "Person": 2,
        "Organization": 2,
        "Sanction": 4,
        "Passport": 1,
        "Identification": 1,
    }
    assert list(eu)[:2] == ["eu-fsf-eu-9990-11", "eu-fsf-eu-9990-11-sanction"]
    assert "eu-fsf-logical-990004" in eu  # no euReferenceNumber


def test_names_strong_and_weak(eu: dict[str, EntityProxy]) -> None:
    person = eu["eu-fsf-eu-9990-11"]
    assert person.get("name") == ["Ana Maria Example"]
    assert person.get("alias") == ["Анна Мария Экзампл"]
    assert person.get("weakAlias") == ["Umm Example"]
    assert person.get("firstName") == ["Ana Maria"]
    assert person.get("lastName") == ["Example"]
    assert person.get("gender") == ["female"]
    assert person.get("position") == ["Financier"]
    assert eu["eu-fsf-eu-9990-12"].get("alias") == ["Example Brigades"]
    # A name given only in parts.
    assert eu["eu-fsf-logical-990004"].get("name") == ["Ivan Placeholder"]
    # An enterprise's "function" is a note, not a position.
    assert eu["eu-fsf-eu-9990-13"].get("notes") == ["Trading company"]


def test_birth_dates_and_places(eu: dict[str, EntityProxy]) -> None:
    person = eu["eu-fsf-eu-9990-11"]
    assert person.get("birthDate") == ["1970-02-01", "1971"]  # circa keeps 1971
    assert person.get("birthPlace") == ["Exampletown, SYRIAN ARAB REPUBLIC"]
    assert person.get("birthCountry") == ["sy"]
    assert eu["eu-fsf-logical-990004"].get("birthDate") == ["1965-03"]


def test_countries(eu: dict[str, EntityProxy]) -> None:
    assert eu["eu-fsf-eu-9990-11"].get("nationality") == ["sy", "tr"]
    # The EU's "CS" is Serbia and Montenegro; "00"/UNKNOWN is no country.
    assert eu["eu-fsf-logical-990004"].get("nationality") == ["rs"]
    assert eu["eu-fsf-eu-9990-13"].get("country") == ["ru"]


def test_identifications(eu: dict[str, EntityProxy]) -> None:
    person = eu["eu-fsf-eu-9990-11"]
    assert person.get("passportNumber") == ["N0000001"]
    assert person.get("idNumber") == ["555-000-111"]
    documents = {d.schema.name: d for d in documents_of(eu, "eu-fsf-eu-9990-11")}
    assert documents["Passport"].get("type") == ["National passport"]
    assert documents["Passport"].get("country") == ["sy"]
    assert documents["Passport"].get("summary") == ["Syrian passport"]
    assert eu["eu-fsf-eu-9990-13"].get("swiftBic") == ["EXMPRUMM"]
    assert eu["eu-fsf-eu-9990-12"].get("registrationNumber") == ["REG-000-999"]


def test_addresses_and_contacts(eu: dict[str, EntityProxy]) -> None:
    person = eu["eu-fsf-eu-9990-11"]
    assert person.get("address") == ["12 Sample Street, Damascus, SYRIAN ARAB REPUBLIC"]
    assert person.get("email") == ["ana@example.org"]
    brigade = eu["eu-fsf-eu-9990-12"]
    assert brigade.get("country") == ["iq"]
    assert not brigade.has("address")  # only a country


def test_sanctions_and_topics(eu: dict[str, EntityProxy]) -> None:
    sanction = eu["eu-fsf-eu-9990-11-sanction"]
    assert sanction.get("program") == ["TERR"]
    assert sanction.get("authorityId") == ["EU.9990.11"]
    assert sanction.get("listingDate") == ["2019-03-12"]  # designationDate
    assert sanction.get("reason") == ["2019/999 (OJ L99)"]
    assert "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32019R0999" in (
        sanction.get("sourceUrl")
    )
    brigade = eu["eu-fsf-eu-9990-12-sanction"]
    assert brigade.get("unscId") == ["QDe.999"]
    assert brigade.get("listingDate") == ["2015-05-22"]  # the regulation's
    assert eu["eu-fsf-eu-9990-11"].get("topics") == ["sanction", "crime.terror"]
    assert eu["eu-fsf-eu-9990-12"].get("topics") == ["sanction", "crime.terror"]
    assert eu["eu-fsf-eu-9990-13"].get("topics") == ["sanction"]
    assert eu["eu-fsf-logical-990004"].get("topics") == ["sanction"]


def listing(attrs: str, body: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<export xmlns="{NS}">\n'
        f"<sanctionEntity {attrs}>\n{body}\n</sanctionEntity>\n</export>\n"
    ).encode()


PERSON = '<subjectType code="person"/>'
NAMED = '<nameAlias wholeName="X" strong="true"/>'


@pytest.mark.parametrize(
    ("attrs", "body", "position", "reason"),
    [
        ('logicalId="1"', NAMED, "line 3", "unknown subjectType code ''"),
        ('logicalId="1"', '<subjectType code="vessel"/>', "line 3", "'vessel'"),
        ("", PERSON + NAMED, "line 3", "neither euReferenceNumber nor logicalId"),
        (
            'logicalId="7"',
            PERSON + '<nameAlias wholeName="X" strong="false"/>',
            "record logicalId=7",
            "no strong name",
        ),
    ],
)
def test_malformed_listings_are_refused(
    tmp_path: Path, attrs: str, body: str, position: str, reason: str
) -> None:
    path = tmp_path / "eu.xml"
    path.write_bytes(listing(attrs, body))
    error = reader_error(EuFsfXmlReader(path))
    assert error.path == str(path)
    assert error.position == position
    assert reason in error.reason


def test_reader_metadata() -> None:
    assert EuFsfXmlReader.NAME == "eu_fsf_xml"


POSITIONS = ("line ", "record ")


VALUE = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=10
) | st.sampled_from(["person", "enterprise", "true", "false", "CS", "00", "1970", "13"])
ELEMENTS = st.sampled_from(
    [
        ("subjectType", "code"),
        ("nameAlias", "wholeName"),
        ("nameAlias", "strong"),
        ("nameAlias", "gender"),
        ("birthdate", "birthdate"),
        ("birthdate", "year"),
        ("birthdate", "monthOfYear"),
        ("birthdate", "dayOfMonth"),
        ("citizenship", "countryIso2Code"),
        ("identification", "number"),
        ("identification", "identificationTypeCode"),
        ("address", "countryDescription"),
        ("regulation", "programme"),
        ("regulation", "publicationDate"),
    ]
)


@FUZZ
@given(
    logical=st.sampled_from(['logicalId="1"', 'euReferenceNumber="EU.1.2"', ""]),
    elements=st.lists(st.tuples(ELEMENTS, VALUE), max_size=10),
)
def test_fuzz_listing_values(
    tmp_path: Path, logical: str, elements: list[tuple[tuple[str, str], str]]
) -> None:
    body = "".join(
        f"<{tag} {attr}={quoteattr(value)}/>" for (tag, attr), value in elements
    )
    path = tmp_path / "eu.xml"
    path.write_bytes(listing(logical, body))
    parses_or_reader_error(EuFsfXmlReader(path), POSITIONS)
