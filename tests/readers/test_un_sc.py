"""UN SC consolidated list reader, on a byte-for-byte excerpt and the full list."""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path
from xml.sax.saxutils import escape

import defusedxml.ElementTree as defused
import pytest
from followthemoney import EntityProxy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import ReaderError
from accord.readers.un_sc import UnScReader

EXCERPT = Path(__file__).resolve().parents[1] / "fixtures" / "un_sc_excerpt.xml"
FULL_LIST = (
    Path(__file__).resolve().parents[3]
    / "shared/data/watchlists/un_sc_2026-02/UN_consolidated.xml"
)


@pytest.fixture(scope="module")
def excerpt() -> dict[str, EntityProxy]:
    entities = list(UnScReader(EXCERPT).read())
    by_id = {str(e.id): e for e in entities}
    assert len(by_id) == len(entities), "entity ids must be unique"
    return by_id


def of_schema(entities: dict[str, EntityProxy], schema: str) -> list[EntityProxy]:
    return [e for e in entities.values() if e.schema.name == schema]


def documents_of(entities: dict[str, EntityProxy], holder: str) -> list[EntityProxy]:
    return [e for e in entities.values() if e.first("holder", quiet=True) == holder]


def is_non_latin(name: str) -> bool:
    return any(
        char.isalpha() and not unicodedata.name(char, "").startswith("LATIN")
        for char in name
    )


def test_counts_per_schema(excerpt: dict[str, EntityProxy]) -> None:
    counts = Counter(e.schema.name for e in excerpt.values())
    assert counts == {
        "Person": 19,
        "Organization": 7,
        "Sanction": 26,
        "Passport": 11,
        "Identification": 5,
    }


def test_ids_are_stable_across_runs(excerpt: dict[str, EntityProxy]) -> None:
    again = [e.id for e in UnScReader(EXCERPT).read()]
    assert again == list(excerpt)
    assert "unsc-6907993" in excerpt
    assert "unsc-6907993-sanction" in excerpt


def test_entities_come_in_file_order(excerpt: dict[str, EntityProxy]) -> None:
    ids = list(excerpt)
    assert ids[:3] == ["unsc-6907993", "unsc-6907993-sanction", "unsc-6907996"]
    assert ids[-2:] == ["unsc-3000441", "unsc-3000441-sanction"]


def test_person_name_parts(excerpt: dict[str, EntityProxy]) -> None:
    person = excerpt["unsc-6908757"]
    assert person.get("name") == ["TAHA IBRAHIM ABDALLAH BAKR AL KHUWAYT"]
    assert person.get("firstName") == ["TAHA"]
    assert person.get("secondName") == ["IBRAHIM"]


def test_original_script_name_is_kept_as_a_name(
    excerpt: dict[str, EntityProxy],
) -> None:
    assert excerpt["unsc-6908072"].get("name") == ["TARIQ AZIZ", "طارق عزيز"]
    assert excerpt["unsc-113458"].get("name") == ["AL-QAIDA", "القاعدة"]


def test_alias_qualities(excerpt: dict[str, EntityProxy]) -> None:
    person = excerpt["unsc-6908021"]
    assert person.get("alias") == [
        "Bosco Ntaganda",
        "Bosco Ntagenda",
        "General Taganda",
    ]
    assert person.get("weakAlias") == [
        "Lydia",
        "Terminator",
        "Tango Romeo",
        "Romeo",
        "Major",
    ]


def test_empty_alias_elements_are_skipped(excerpt: dict[str, EntityProxy]) -> None:
    person = excerpt["unsc-6907993"]
    assert not person.has("alias")
    assert not person.has("weakAlias")


def test_formerly_known_as_is_a_previous_name(excerpt: dict[str, EntityProxy]) -> None:
    bank = excerpt["unsc-690752"]
    assert bank.get("previousName") == [
        "CHANGGWANG CREDIT BANK",
        "KOREA CHANGGWANG CREDIT BANK",
    ]
    assert not bank.has("alias")


def test_semicolon_lists_are_split(excerpt: dict[str, EntityProxy]) -> None:
    cagl = excerpt["unsc-6908026"]
    assert cagl.get("name") == [
        "COMPAGNIE AERIENNE DES GRANDS LACS (CAGL)",
        "GREAT LAKES BUSINESS COMPANY (GLBC)",
    ]
    soleimani = excerpt["unsc-110408"]
    assert soleimani.get("alias") == [
        "Qasim Soleimani",
        "Qasem Sulaimani",
        "Qasim Sulaimani",
        "Qasim Sulaymani",
        "Qasem Sulaymani",
        "Kasim Soleimani",
        "Kasim Sulaimani",
        "Kasim Sulaymani",
    ]
    assert soleimani.get("weakAlias") == [
        "Haj Qasem",
        "Haji Qassem",
        "Sardar Soleimani",
    ]


@pytest.mark.parametrize(
    ("entity_id", "dates"),
    [
        ("unsc-6907993", {"1971"}),  # EXACT, YEAR only
        ("unsc-6908021", {"1973", "1974"}),  # BETWEEN 1973 and 1974
        (
            "unsc-110577",  # two BETWEEN ranges, 1955-1958 and 1945-1950
            {
                "1955",
                "1956",
                "1957",
                "1958",
                "1945",
                "1946",
                "1947",
                "1948",
                "1949",
                "1950",
            },
        ),
        ("unsc-6908435", {"1985", "1984", "1986"}),  # APPROXIMATELY 1985 + BETWEEN
        ("unsc-6907996", {"1973-11"}),  # only a NOTE: "Nov. 1973"
        ("unsc-111796", {"1970-02-05", "1969-02-05"}),  # one DOB on an alias
        (
            "unsc-6908538",
            {"1959", "1960", "1961", "1963", "1965", "1964-09-18", "1961-01-01"}
            | {"1961-08", "1961-07", "1963-04"},
        ),
    ],
)
def test_birth_dates(
    excerpt: dict[str, EntityProxy], entity_id: str, dates: set[str]
) -> None:
    assert set(excerpt[entity_id].get("birthDate")) == dates


def test_person_details(excerpt: dict[str, EntityProxy]) -> None:
    bozize = excerpt["unsc-690727"]
    assert bozize.get("nationality") == ["cf", "ss"]
    assert bozize.get("title") == [
        "Former Head of State Central African Republic",
        "Professor",
    ]
    assert bozize.get("birthPlace") == ["Mouila, Gabon", "Izo, South Sudan"]
    assert bozize.get("birthCountry") == ["ga", "ss"]
    assert bozize.get("address") == ["Bangui, Central African Republic"]
    assert bozize.get("country") == ["ug", "cf"]  # an address that is only "Uganda"
    assert excerpt["unsc-6908473"].get("gender") == ["female"]
    assert excerpt["unsc-6907993"].get("gender") == ["male"]
    assert excerpt["unsc-6907993"].get("nationality") == ["cd"]


def test_passports_and_identifications(excerpt: dict[str, EntityProxy]) -> None:
    qadhafi = excerpt["unsc-690757"]
    assert qadhafi.get("passportNumber") == ["03824970", "Libya 428720", "B/011641"]
    assert qadhafi.get("idNumber") == ["98606612"]
    documents = documents_of(excerpt, "unsc-690757")
    assert sorted((d.schema.name, d.first("number")) for d in documents) == [
        ("Identification", "98606612"),
        ("Passport", "03824970"),
        ("Passport", "B/011641"),
        ("Passport", "Libya 428720"),
    ]
    oman = next(d for d in documents if d.first("number") == "03824970")
    assert oman.get("country") == ["om"]


def test_one_passport_listed_in_three_languages_is_one_entity(
    excerpt: dict[str, EntityProxy],
) -> None:
    (passport,) = documents_of(excerpt, "unsc-690747")
    assert passport.schema.name == "Passport"
    assert passport.get("number") == ["381420754"]
    assert passport.get("type") == [
        "Numéro de passeport",
        "Número de pasaporte",
        "Passport",
    ]
    assert passport.get("summary") == ["Expires on 7 Dec. 2016"]
    assert passport.get("startDate") == ["2011-12-07"]


def test_document_type_whitespace_is_squashed(excerpt: dict[str, EntityProxy]) -> None:
    (document,) = documents_of(excerpt, "unsc-6908841")
    assert document.schema.name == "Identification"
    assert document.get("type") == ["National Identification Number"]
    assert document.get("number") == ["00278640"]


def test_sanction(excerpt: dict[str, EntityProxy]) -> None:
    sanction = excerpt["unsc-2962519-sanction"]
    assert sanction.get("entity") == ["unsc-2962519"]
    assert sanction.get("authority") == ["United Nations Security Council"]
    assert sanction.get("program") == ["Al-Qaida"]
    assert sanction.get("unscId") == ["QDi.291"]
    assert sanction.get("listingDate") == ["2011-03-24"]
    assert "2023-02-02" in sanction.get("modifiedAt")


def test_topics(excerpt: dict[str, EntityProxy]) -> None:
    assert excerpt["unsc-2962519"].get("topics") == ["sanction", "crime.terror"]
    assert excerpt["unsc-113458"].get("topics") == ["sanction", "crime.terror"]
    assert excerpt["unsc-110577"].get("topics") == ["sanction"]  # Taliban list
    assert excerpt["unsc-6907993"].get("topics") == ["sanction"]  # DRC list


def listing(body: str, tag: str = "INDIVIDUAL") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n'
        f"<{tag}>\n{body}\n</{tag}>\n</INDIVIDUALS>\n</CONSOLIDATED_LIST>"
    ).encode()


def read_bytes(tmp_path: Path, data: bytes) -> list[EntityProxy]:
    path = tmp_path / "list.xml"
    path.write_bytes(data)
    return list(UnScReader(path).read())


def test_record_without_dataid_is_refused_at_its_line(tmp_path: Path) -> None:
    with pytest.raises(ReaderError) as info:
        read_bytes(tmp_path, listing("<FIRST_NAME>NOBODY</FIRST_NAME>"))
    assert info.value.position == "line 4"
    assert info.value.reason == "INDIVIDUAL has no DATAID"


def test_record_without_a_name_is_refused_by_dataid(tmp_path: Path) -> None:
    data = listing("<DATAID>123</DATAID><FIRST_NAME> </FIRST_NAME>", tag="ENTITY")
    with pytest.raises(ReaderError) as info:
        read_bytes(tmp_path, data)
    assert info.value.position == "record DATAID=123"
    assert "ENTITY has no name" in info.value.reason


def test_dataid_that_cannot_be_an_id_is_refused(tmp_path: Path) -> None:
    data = listing("<DATAID>12 3</DATAID><FIRST_NAME>X</FIRST_NAME>")
    with pytest.raises(ReaderError, match="cannot form an entity id"):
        read_bytes(tmp_path, data)


def test_document_without_number_becomes_a_note(tmp_path: Path) -> None:
    body = """<DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME>
<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT>
<NOTE>Tunisian passport number L 191609</NOTE></INDIVIDUAL_DOCUMENT>"""
    person, sanction = read_bytes(tmp_path, listing(body))
    assert person.get("notes") == ["Passport: Tunisian passport number L 191609"]
    assert not person.has("passportNumber")
    assert sanction.schema.name == "Sanction"


def test_wide_or_reversed_ranges_keep_only_their_endpoints(tmp_path: Path) -> None:
    body = """<DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE>
<FROM_YEAR>1900</FROM_YEAR><TO_YEAR>1950</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE>
<FROM_YEAR>1980</FROM_YEAR><TO_YEAR>1970</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>"""
    person = read_bytes(tmp_path, listing(body))[0]
    assert set(person.get("birthDate")) == {"1900", "1950", "1980", "1970"}


def test_xxe_in_a_list_is_refused(tmp_path: Path) -> None:
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE CONSOLIDATED_LIST '
        b'[<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        b"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>"
        b"<FIRST_NAME>&x;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"
    )
    with pytest.raises(ReaderError, match="DTDForbidden"):
        read_bytes(tmp_path, data)


def test_truncated_list_yields_complete_records_then_fails(tmp_path: Path) -> None:
    whole = EXCERPT.read_bytes()
    path = tmp_path / "cut.xml"
    path.write_bytes(whole[: whole.index(b"<DATAID>6908021</DATAID>")])
    seen: list[str | None] = []
    with pytest.raises(ReaderError) as info:
        for entity in UnScReader(path).read():
            seen.append(entity.id)
    assert seen[:2] == ["unsc-6907993", "unsc-6907993-sanction"]
    assert "unsc-6907996" in seen
    assert "no element found" in info.value.reason


def test_reader_metadata() -> None:
    assert UnScReader.NAME == "un_sc"
    assert "UN Security Council" in UnScReader.TITLE


FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def check_parses_or_reader_error(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        for entity in UnScReader(path).read():
            assert entity.id
    except ReaderError as error:
        assert error.position.startswith(("line ", "record DATAID="))


@FUZZ
@given(data=st.binary(max_size=300))
def test_fuzz_arbitrary_bytes(tmp_path: Path, data: bytes) -> None:
    check_parses_or_reader_error(tmp_path / "fuzz.xml", data)


@FUZZ
@given(
    start=st.integers(0, 72_000), length=st.integers(1, 400), junk=st.binary(max_size=8)
)
def test_fuzz_damaged_excerpt(
    tmp_path: Path, start: int, length: int, junk: bytes
) -> None:
    whole = EXCERPT.read_bytes()
    check_parses_or_reader_error(
        tmp_path / "fuzz.xml", whole[:start] + junk + whole[start + length :]
    )


CHILD_TAGS = st.sampled_from(
    [
        "DATAID",
        "FIRST_NAME",
        "SECOND_NAME",
        "NAME_ORIGINAL_SCRIPT",
        "UN_LIST_TYPE",
        "LISTED_ON",
        "GENDER",
        "NATIONALITY/VALUE",
        "INDIVIDUAL_ALIAS/QUALITY",
        "INDIVIDUAL_ALIAS/ALIAS_NAME",
        "INDIVIDUAL_DATE_OF_BIRTH/TYPE_OF_DATE",
        "INDIVIDUAL_DATE_OF_BIRTH/FROM_YEAR",
        "INDIVIDUAL_DATE_OF_BIRTH/TO_YEAR",
        "INDIVIDUAL_DATE_OF_BIRTH/NOTE",
        "INDIVIDUAL_DOCUMENT/TYPE_OF_DOCUMENT",
        "INDIVIDUAL_DOCUMENT/NUMBER",
        "INDIVIDUAL_ADDRESS/CITY",
    ]
)
XML_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12
) | st.sampled_from(["BETWEEN", "Low", "Passport", "1970", "²²²²", "Nov. 1973"])


def child(path: str, text: str) -> str:
    parts = path.split("/")
    opening = "".join(f"<{part}>" for part in parts)
    closing = "".join(f"</{part}>" for part in reversed(parts))
    return f"{opening}{escape(text)}{closing}"


@FUZZ
@given(children=st.lists(st.tuples(CHILD_TAGS, XML_TEXT), max_size=12))
def test_fuzz_record_values(tmp_path: Path, children: list[tuple[str, str]]) -> None:
    body = "".join(child(path, text) for path, text in children)
    check_parses_or_reader_error(tmp_path / "fuzz.xml", listing(body))


# Counts of the 2026-02-27 list, from its own XML (see shared/data SOURCES.md):
# 730 INDIVIDUAL, 273 ENTITY, 341 on the ISIL/Al-Qaida list, 378
# NAME_ORIGINAL_SCRIPT values. Documents: 448 numbered ones, 3 of which repeat
# one DPRK passport in French and Spanish, so 309 passports and 139 others.
FULL_COUNTS = {
    "Person": 730,
    "Organization": 273,
    "Sanction": 1003,
    "Passport": 309,
    "Identification": 139,
}
FULL_TERROR_LISTED = 341
FULL_ORIGINAL_SCRIPT = 378
# One NAME_ORIGINAL_SCRIPT ("JAMAAH ANSHARUT DAULAH") is itself Latin script.
FULL_NON_LATIN_PARTIES = 377

needs_full_list = pytest.mark.skipif(
    not FULL_LIST.exists(), reason=f"the full UN list is not present at {FULL_LIST}"
)


@pytest.mark.shared_data
@needs_full_list
def test_full_list() -> None:
    entities = list(UnScReader(FULL_LIST).read())
    assert Counter(e.schema.name for e in entities) == FULL_COUNTS
    assert len({e.id for e in entities}) == len(entities)
    parties = [e for e in entities if e.schema.name in ("Person", "Organization")]
    non_latin = [e for e in parties if any(is_non_latin(n) for n in e.get("name"))]
    assert len(non_latin) == FULL_NON_LATIN_PARTIES
    terror = [e for e in parties if "crime.terror" in e.get("topics")]
    assert len(terror) == FULL_TERROR_LISTED


@pytest.mark.shared_data
@needs_full_list
def test_full_list_keeps_every_original_script_name() -> None:
    names = {str(e.id): e.get("name", quiet=True) for e in UnScReader(FULL_LIST).read()}
    root = defused.parse(FULL_LIST).getroot()
    originals = [
        (f"unsc-{node.findtext('DATAID')}", " ".join(text.split()))
        for node in root.iter()
        if (text := node.findtext("NAME_ORIGINAL_SCRIPT") or "").strip()
    ]
    assert len(originals) == FULL_ORIGINAL_SCRIPT
    missing = [(id_, name) for id_, name in originals if name not in names[id_]]
    assert missing == []
