"""OFAC's classic sdn.xml, on a fixture written from the published layout."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from followthemoney import EntityProxy
from hypothesis import given
from hypothesis import strategies as st

from accord.screening.lists.ofac_sdn import OfacSdnCsvReader, OfacSdnXmlReader
from tests.screening.lists.support import (
    FIXTURES,
    FUZZ,
    documents_of,
    parses_or_reader_error,
    read_all,
    reader_error,
    schema_counts,
)

XML = FIXTURES / "ofac_sdn.xml"
NEW_NS = (
    "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML"
)
OLD_NS = "http://tempuri.org/sdnList.xsd"


@pytest.fixture(scope="module")
def sdn() -> dict[str, EntityProxy]:
    return read_all(OfacSdnXmlReader(XML))


def test_counts_per_schema(sdn: dict[str, EntityProxy]) -> None:
    assert schema_counts(sdn) == {
        "Organization": 1,
        "Person": 3,
        "Vessel": 1,
        "Airplane": 1,
        "Sanction": 6,
        "Passport": 1,
        "Identification": 2,
        "CryptoWallet": 1,
    }


@pytest.mark.parametrize("namespace", [OLD_NS, ""])
def test_any_namespace_or_none(tmp_path: Path, namespace: str) -> None:
    text = XML.read_text(encoding="utf-8")
    declared = f' xmlns="{namespace}"' if namespace else ""
    path = tmp_path / "sdn.xml"
    path.write_text(text.replace(f' xmlns="{NEW_NS}"', declared), encoding="utf-8")
    entities = read_all(OfacSdnXmlReader(path))
    assert [e.to_dict() for e in entities.values()] == [
        e.to_dict() for e in read_all(OfacSdnXmlReader(XML)).values()
    ]


def test_names_and_aliases(sdn: dict[str, EntityProxy]) -> None:
    person = sdn["ofac-12057"]
    assert person.get("name") == ["Mohammad Reza NAQDI"]
    assert person.get("firstName") == ["Mohammad Reza"]
    assert person.get("lastName") == ["NAQDI"]
    assert person.get("alias") == ["Mohammad Reza NAGHDI", "Muhammad NAQDI"]
    assert person.get("position") == [
        "Brigadier General and Commander of the IRGC Basij Resistance Force"
    ]
    bank = sdn["ofac-306"]
    assert bank.get("alias") == ["NATIONAL BANK OF CUBA"]
    assert bank.get("weakAlias") == ["BNC"]  # category weak
    tanker = sdn["ofac-15036"]
    assert tanker.get("previousName") == ["ABADAN"]
    assert tanker.get("weakAlias") == ["ALPHA"]  # a weak f.k.a.


def test_lists_become_person_details(sdn: dict[str, EntityProxy]) -> None:
    naqdi = sdn["ofac-12057"]
    assert set(naqdi.get("birthDate")) == {"1951", "1952", "1953", "1961-04"}
    assert naqdi.get("birthPlace") == ["Najaf, Iraq"]
    assert naqdi.get("nationality") == ["ir"]
    assert naqdi.get("gender") == ["male"]
    assert sdn["ofac-12057-sanction"].get("summary") == [
        "Additional Sanctions Information: Subject to Secondary Sanctions"
    ]


def test_id_list_documents(sdn: dict[str, EntityProxy]) -> None:
    habhab = sdn["ofac-11315"]
    assert habhab.get("passportNumber") == ["1005552350"]
    assert habhab.get("idNumber") == ["1007850441"]
    passport = next(
        d for d in documents_of(sdn, "ofac-11315") if d.schema.name == "Passport"
    )
    assert passport.get("country") == ["de"]
    assert passport.get("startDate") == ["2001-03-27"]
    assert passport.get("endDate") == ["2011-03-26"]
    wallet = next(e for e in sdn.values() if e.schema.name == "CryptoWallet")
    assert wallet.get("publicKey") == ["1EfMVkxQQuZfBdocpJu6RUsCJvenQWbQyE"]
    assert wallet.get("holder") == ["ofac-28264"]


def test_vessel_and_aircraft(sdn: dict[str, EntityProxy]) -> None:
    tanker = sdn["ofac-15036"]
    assert tanker.get("imoNumber") == ["IMO9187629"]
    assert tanker.get("pastFlags") == ["mt"]
    assert tanker.get("flag") == ["ir"]
    assert tanker.get("tonnage") == ["99144"]
    plane = sdn["ofac-15431"]
    assert plane.get("model") == ["IL76-TD"]
    assert plane.get("topics") == ["sanction", "crime.terror"]


def test_addresses(sdn: dict[str, EntityProxy]) -> None:
    assert sdn["ofac-306"].get("address") == [
        "Zweierstrasse 35, Zurich, CH-8022, Switzerland",
        "Avenida de Concha Espina 8, Madrid, E-28036, Spain",
    ]
    assert sdn["ofac-12057"].get("country") == ["ir"]
    assert not sdn["ofac-12057"].has("address")


def test_xml_and_csv_agree_on_what_both_state(sdn: dict[str, EntityProxy]) -> None:
    """The same real entries read from either format match on the key facts."""
    csv = read_all(OfacSdnCsvReader(FIXTURES / "ofac_sdn"))
    for key in ("ofac-11315", "ofac-28264", "ofac-15036"):
        for prop in ("name", "birthDate", "nationality", "passportNumber", "imoNumber"):
            assert set(sdn[key].get(prop, quiet=True)) <= set(
                csv[key].get(prop, quiet=True)
            )
    assert sdn["ofac-11315"].get("topics") == csv["ofac-11315"].get("topics")


def entry(body: str) -> bytes:
    return (
        f'<?xml version="1.0"?>\n<sdnList xmlns="{OLD_NS}">\n'
        f"<sdnEntry>\n{body}\n</sdnEntry>\n</sdnList>\n"
    ).encode()


@pytest.mark.parametrize(
    ("body", "position", "reason"),
    [
        ("<lastName>X</lastName>", "line 3", "sdnEntry has no uid"),
        (
            "<uid>1</uid><lastName>X</lastName><sdnType>Ship</sdnType>",
            "line 3",
            "unknown entry type",
        ),
        ("<uid>1</uid><sdnType>Entity</sdnType>", "record uid=1", "entry has no name"),
        (
            "<uid>x</uid><lastName>X</lastName><sdnType>Entity</sdnType>",
            "line 3",
            "is not a number",
        ),
    ],
)
def test_malformed_entries_are_refused(
    tmp_path: Path, body: str, position: str, reason: str
) -> None:
    path = tmp_path / "sdn.xml"
    path.write_bytes(entry(body))
    error = reader_error(OfacSdnXmlReader(path))
    assert error.path == str(path)
    assert error.position == position
    assert reason in error.reason


def test_dtd_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sdn.xml"
    path.write_bytes(
        b'<?xml version="1.0"?>\n<!DOCTYPE sdnList [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        b"<sdnList><sdnEntry><uid>1</uid><lastName>&x;</lastName></sdnEntry></sdnList>"
    )
    assert "DTDForbidden" in reader_error(OfacSdnXmlReader(path)).reason


def test_reader_metadata() -> None:
    assert OfacSdnXmlReader.NAME == "ofac_sdn_xml"


POSITIONS = ("line ", "record uid=")


CHILDREN = st.sampled_from(
    [
        "uid",
        "firstName",
        "lastName",
        "sdnType",
        "title",
        "programList/program",
        "akaList/aka/category",
        "akaList/aka/lastName",
        "idList/id/idType",
        "idList/id/idNumber",
        "idList/id/idCountry",
        "idList/id/issueDate",
        "dateOfBirthList/dateOfBirthItem/dateOfBirth",
        "nationalityList/nationality/country",
        "addressList/address/country",
        "vesselInfo/tonnage",
    ]
)
TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12
) | st.sampled_from(
    ["1", "Individual", "Vessel", "weak", "Passport", "Gender", "1960 to 1950", "Iran"]
)


def child(path: str, text: str) -> str:
    parts = path.split("/")
    opening = "".join(f"<{part}>" for part in parts)
    closing = "".join(f"</{part}>" for part in reversed(parts))
    return f"{opening}{escape(text)}{closing}"


@FUZZ
@given(children=st.lists(st.tuples(CHILDREN, TEXT), max_size=12))
def test_fuzz_entry_values(tmp_path: Path, children: list[tuple[str, str]]) -> None:
    path = tmp_path / "sdn.xml"
    path.write_bytes(entry("".join(child(p, t) for p, t in children)))
    parses_or_reader_error(OfacSdnXmlReader(path), POSITIONS)
