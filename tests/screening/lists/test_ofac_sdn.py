"""OFAC legacy CSV readers, on a byte-for-byte excerpt and on the full lists."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from followthemoney import EntityProxy
from hypothesis import given
from hypothesis import strategies as st

from accord.errors import ReaderError, SourceError
from accord.screening.lists.ofac_sdn import OfacConsCsvReader, OfacSdnCsvReader
from tests.screening.lists.support import (
    FIXTURES,
    FUZZ,
    WATCHLISTS,
    documents_of,
    needs,
    parses_or_reader_error,
    read_all,
    reader_error,
    schema_counts,
)

SDN = FIXTURES / "ofac_sdn"
CONS = FIXTURES / "ofac_cons"
FULL_SDN = WATCHLISTS / "ofac_sdn_2021-07"
FULL_CONS = WATCHLISTS / "ofac_cons_2025-12"


@pytest.fixture(scope="module")
def sdn() -> dict[str, EntityProxy]:
    return read_all(OfacSdnCsvReader(SDN))


def test_counts_per_schema(sdn: dict[str, EntityProxy]) -> None:
    assert schema_counts(sdn) == {
        "Organization": 3,
        "Person": 5,
        "Vessel": 2,
        "Airplane": 1,
        "Sanction": 11,
        "Passport": 2,
        "Identification": 3,
        "CryptoWallet": 12,
    }


def test_entities_come_in_file_order_with_ofac_ids(
    sdn: dict[str, EntityProxy],
) -> None:
    parties = [key for key, e in sdn.items() if e.schema.name not in _SECONDARY]
    assert parties[:4] == ["ofac-306", "ofac-906", "ofac-4234", "ofac-4697"]
    assert parties[-1] == "ofac-28264"
    assert list(sdn)[:2] == ["ofac-306", "ofac-306-sanction"]


_SECONDARY = ("Sanction", "Passport", "Identification", "CryptoWallet")


def test_the_main_file_or_its_folder_can_be_given(sdn: dict[str, EntityProxy]) -> None:
    assert read_all(OfacSdnCsvReader(SDN / "sdn.csv")).keys() == sdn.keys()


def test_individual_names_are_reordered(sdn: dict[str, EntityProxy]) -> None:
    person = sdn["ofac-11315"]
    assert person.get("name") == ["Redouane EL HABHAB"]
    assert person.get("firstName") == ["Redouane"]
    assert person.get("lastName") == ["EL HABHAB"]
    assert sdn["ofac-12057"].get("alias") == [
        "Mohammad Reza NAGHDI",
        "Mohammad Reza SHAMS",
        "Muhammad NAQDI",
        "Mohammad-Reza NAQDI",
        "Mohammedreza NAGHDI",
        "Gholamreza NAQDI",
        "Gholam-reza NAQDI",
    ]


def test_organisation_names_are_kept_as_written(sdn: dict[str, EntityProxy]) -> None:
    bank = sdn["ofac-906"]
    assert bank.get("name") == ["HAVIN BANK LIMITED"]
    assert bank.get("alias") == ["HAVANA INTERNATIONAL BANK, LTD"]


def test_remark_akas_are_weak_aliases(sdn: dict[str, EntityProxy]) -> None:
    bank = sdn["ofac-306"]
    assert bank.get("alias") == ["NATIONAL BANK OF CUBA"]
    assert bank.get("weakAlias") == ["BNC"]
    hizballah = sdn["ofac-4697"]
    assert len(hizballah.get("alias")) == 14
    assert hizballah.get("weakAlias")[:3] == [
        "LH",
        "FOREIGN RELATIONS DEPARTMENT",
        "FRD",
    ]


def test_formerly_known_as_is_a_previous_name(sdn: dict[str, EntityProxy]) -> None:
    tanker = sdn["ofac-15036"]
    assert tanker.get("previousName") == ["ABADAN", "SHONA"]
    assert tanker.get("weakAlias") == ["ALPHA"]  # f.k.a. 'ALPHA' in the remarks


@pytest.mark.parametrize(
    ("entity_id", "dates"),
    [
        ("ofac-11315", {"1969-12-20"}),
        ("ofac-7929", {"1966-07-07"}),  # DOB circa 07 Jul 1966
        ("ofac-11313", {"1969", "1969-10-10"}),
        # DOB 1951 to 1953; alt. DOB 1960 to 1962; alt. DOB Apr 1961; alt. DOB 1953
        (
            "ofac-12057",
            {"1951", "1952", "1953", "1960", "1961", "1962", "1961-04"},
        ),
        ("ofac-28264", {"1987-01-10"}),
    ],
)
def test_birth_dates(
    sdn: dict[str, EntityProxy], entity_id: str, dates: set[str]
) -> None:
    assert set(sdn[entity_id].get("birthDate")) == dates


def test_person_details(sdn: dict[str, EntityProxy]) -> None:
    naqdi = sdn["ofac-12057"]
    assert naqdi.get("birthPlace") == ["Najaf, Iraq", "Tehran, Iran"]
    assert naqdi.get("nationality") == ["ir"]
    assert naqdi.get("gender") == ["male"]
    assert naqdi.get("position") == [
        "Brigadier General and Commander of the IRGC Basij Resistance Force",
        "President of the Organization of the Basij of the Oppressed",
        "Chief of the Mobilization of the Oppressed Organization",
    ]
    assert sdn["ofac-11313"].get("nationality") == ["er"]


def test_passports_and_national_ids(sdn: dict[str, EntityProxy]) -> None:
    habhab = sdn["ofac-11315"]
    assert habhab.get("passportNumber") == ["1005552350"]
    assert habhab.get("idNumber") == ["1007850441"]
    documents = {d.schema.name: d for d in documents_of(sdn, "ofac-11315")}
    passport = documents["Passport"]
    assert passport.get("number") == ["1005552350"]
    assert passport.get("country") == ["de"]
    assert passport.get("startDate") == ["2001-03-27"]
    assert passport.get("endDate") == ["2011-03-26"]
    assert documents["Identification"].get("type") == ["National ID No."]


def test_quoted_records_in_parentheses_are_prose(sdn: dict[str, EntityProxy]) -> None:
    """ROBOW's remarks quote a passport record in parentheses: no extra facts."""
    robow = sdn["ofac-11313"]
    assert robow.get("passportNumber") == ["0310857"]
    assert robow.get("idNumber") == ["1372584"]
    kenya = [
        d for d in documents_of(sdn, "ofac-11313") if d.schema.name == "Identification"
    ]
    assert [d.get("country") for d in kenya] == [["ke"]]


def test_programmes_and_topics(sdn: dict[str, EntityProxy]) -> None:
    assert sdn["ofac-4697-sanction"].get("program") == ["FTO", "SDGT", "SYRIA"]
    assert sdn["ofac-4697"].get("topics") == ["sanction", "crime.terror"]
    assert sdn["ofac-15431"].get("topics") == ["sanction", "crime.terror"]  # SDGT
    assert sdn["ofac-28264-sanction"].get("program") == ["DPRK3", "CYBER2"]
    assert sdn["ofac-28264"].get("topics") == ["sanction"]
    assert sdn["ofac-306"].get("topics") == ["sanction"]


def test_sanction(sdn: dict[str, EntityProxy]) -> None:
    sanction = sdn["ofac-12057-sanction"]
    assert sanction.get("entity") == ["ofac-12057"]
    assert sanction.get("authority") == ["Office of Foreign Assets Control"]
    assert sanction.get("authorityId") == ["12057"]
    assert sanction.get("description") == ["OFAC SDN List"]
    assert sanction.get("summary") == [
        "Additional Sanctions Information: Subject to Secondary Sanctions"
    ]
    assert sanction.get("sourceUrl") == [
        "https://sanctionssearch.ofac.treas.gov/Details.aspx?id=12057"
    ]


def test_remarks_overflow_is_joined_mid_word(sdn: dict[str, EntityProxy]) -> None:
    person = sdn["ofac-28264"]
    (notes,) = person.get("notes")
    assert "sections 510.201 and 510.210; Phone Number 8613314257947;" in notes
    assert notes.endswith("Linked To: LAZARUS GROUP.")
    assert person.get("phone") == ["+8613314257947", "+8618004121000"]
    assert person.get("weakAlias") == ["blackjack1987", "khaleesi"]
    (document,) = documents_of(sdn, "ofac-28264")
    assert document.get("number") == ["210302198701102136"]
    assert document.get("country") == ["cn"]


def test_digital_currency_addresses_become_wallets(sdn: dict[str, EntityProxy]) -> None:
    wallets = [e for e in sdn.values() if e.schema.name == "CryptoWallet"]
    assert {w.first("holder") for w in wallets} == {"ofac-28264"}
    assert {w.first("currency") for w in wallets} == {"XBT"}
    keys = [w.first("publicKey") for w in wallets]
    assert keys[0] == "1EfMVkxQQuZfBdocpJu6RUsCJvenQWbQyE"
    assert len(set(keys)) == 12


def test_vessels_and_aircraft(sdn: dict[str, EntityProxy]) -> None:
    tanker = sdn["ofac-15036"]
    assert tanker.get("imoNumber") == ["IMO9187629"]
    assert tanker.get("mmsi") == ["572469210"]
    assert tanker.get("flag") == ["ir"]
    assert tanker.get("pastFlags") == ["mt", "tv", "tz"]  # "None Identified" skipped
    assert tanker.get("tonnage") == ["99144"]
    assert tanker.get("grossRegisteredTonnage") == ["56068"]
    assert tanker.get("callSign") == ["T2EU4"]
    assert sdn["ofac-4234"].get("notes") == [
        "Vessel owner: Compania Navegacion Golfo S.A."
    ]
    plane = sdn["ofac-15431"]
    assert plane.get("model") == ["IL76-TD"]
    assert plane.get("serialNumber") == ["1023409321"]
    assert plane.get("buildDate") == ["1992"]


def test_addresses_and_registrations(sdn: dict[str, EntityProxy]) -> None:
    bank = sdn["ofac-306"]
    assert bank.get("country") == ["ch", "es", "jp", "pa"]
    assert bank.get("address")[0] == "Zweierstrasse 35, Zurich CH-8022, Switzerland"
    havin = sdn["ofac-906"]
    assert havin.get("swiftBic") == ["HAVIGB2L"]
    assert havin.get("registrationNumber") == ["01074897"]
    assert havin.get("website") == [
        "http://www.havanaintbank.co.uk/",
        "http://www.hib.uk.com/",
    ]
    # An address that is only a country goes to ``country`` alone.
    assert sdn["ofac-12057"].get("country") == ["ir"]
    assert not sdn["ofac-12057"].has("address")


def test_side_files_are_optional(tmp_path: Path) -> None:
    shutil.copy(SDN / "sdn.csv", tmp_path / "sdn.csv")
    entities = read_all(OfacSdnCsvReader(tmp_path))
    assert not entities["ofac-306"].has("alias")
    assert entities["ofac-306"].get("weakAlias") == ["BNC"]


def test_consolidated_list(tmp_path: Path) -> None:
    cons = read_all(OfacConsCsvReader(CONS))
    assert schema_counts(cons) == {"Person": 2, "Organization": 2, "Sanction": 4}
    haniya = cons["ofac-9639"]
    assert haniya.get("name") == ["Ismail Abdul Salah HANIYA"]
    assert haniya.get("alias") == ["Ismail HANIYA", "Ismaeel HANIYYA"]
    assert haniya.get("birthDate") == ["1962"]
    bank = cons["ofac-17014"]
    assert bank.get("swiftBic") == ["RUAGRUMM"]
    assert bank.get("weakAlias") == ["RUSAG"]  # from cons_comments.csv
    assert bank.get("registrationNumber") == ["52750822", "1027700342890"]
    sanction = cons["ofac-17014-sanction"]
    assert sanction.get("program") == ["UKRAINE-EO13662", "RUSSIA-EO14024"]
    assert sanction.get("listingDate") == ["2022-02-24"]
    assert sanction.get("startDate") == ["2022-03-26"]
    assert sanction.get("description") == ["OFAC Consolidated (non-SDN) List"]
    assert cons["ofac-30930"].get("registrationNumber") == ["91110000710934369E"]


# --- malformed input ------------------------------------------------------


def write_set(folder: Path, sdn: str, alt: str = "", add: str = "") -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "sdn.csv").write_text(sdn, encoding="utf-8", newline="")
    if alt:
        (folder / "alt.csv").write_text(alt, encoding="utf-8", newline="")
    if add:
        (folder / "add.csv").write_text(add, encoding="utf-8", newline="")
    return folder


ROW = (
    '{num},"DOE, John","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
)


def test_wrong_number_of_columns_names_the_line(tmp_path: Path) -> None:
    bad = '2,"SHORT ROW","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    folder = write_set(tmp_path, ROW.format(num=1) + bad)
    error = reader_error(OfacSdnCsvReader(folder))
    assert error.path == str(folder / "sdn.csv")
    assert error.position == "line 2"
    assert error.reason == "expected 12 columns, found 11"


def test_a_side_file_error_names_that_file(tmp_path: Path) -> None:
    folder = write_set(tmp_path, ROW.format(num=1), alt='1,10,"aka"\r\n')
    error = reader_error(OfacSdnCsvReader(folder))
    assert error.path == str(folder / "alt.csv")
    assert (error.position, error.reason) == ("line 1", "expected 5 columns, found 3")


def test_unsorted_side_file_is_refused(tmp_path: Path) -> None:
    alt = '2,10,"aka","DOE, J.",-0- \r\n1,11,"aka","ROE, J.",-0- \r\n'
    folder = write_set(tmp_path, ROW.format(num=1) + ROW.format(num=2), alt=alt)
    error = reader_error(OfacSdnCsvReader(folder))
    assert error.path == str(folder / "alt.csv")
    assert error.position == "line 2"
    assert error.reason.startswith("ent_num 1 comes after 2")


@pytest.mark.parametrize(
    ("rows", "position", "reason"),
    [
        (ROW.format(num="x1"), "line 1", "ent_num 'x1' is not a number"),
        (ROW.format(num=2) + ROW.format(num=1), "line 2", "ent_num 1 comes after 2"),
        (ROW.format(num=1) * 2, "line 2", "ent_num 1 is listed twice"),
        (ROW.format(num=1).replace("individual", "ship"), "line 1", "unknown entry"),
        (ROW.format(num=1).replace('"DOE, John"', "-0- "), "line 1", "no name"),
        ('1,"OPEN QUOTE\r\n', "line 1", "malformed CSV"),
        ('1,"STRAY" QUOTE,a\r\n', "line 1", "malformed CSV"),
    ],
)
def test_malformed_rows_are_refused(
    tmp_path: Path, rows: str, position: str, reason: str
) -> None:
    error = reader_error(OfacSdnCsvReader(write_set(tmp_path, rows)))
    assert error.position == position
    assert reason in error.reason


def test_entities_stream_before_a_later_error(tmp_path: Path) -> None:
    folder = write_set(tmp_path, ROW.format(num=1) + "2,broken\r\n")
    entities = OfacSdnCsvReader(folder).read()
    assert next(entities).id == "ofac-1"
    assert next(entities).id == "ofac-1-sanction"
    with pytest.raises(ReaderError, match="line 2: expected 12 columns"):
        next(entities)


def test_windows_1252_bytes_are_decoded(tmp_path: Path) -> None:
    data = ROW.format(num=1).replace("John", "Jos\u00e9").encode("cp1252")
    tmp_path.joinpath("sdn.csv").write_bytes(data)
    person = read_all(OfacSdnCsvReader(tmp_path))["ofac-1"]
    assert person.get("name") == ["Jos\u00e9 DOE"]


def test_missing_main_file_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no sdn.csv in this folder"):
        list(OfacSdnCsvReader(tmp_path).read())
    with pytest.raises(SourceError, match="cannot read the file"):
        list(OfacSdnCsvReader(tmp_path / "absent.csv").read())


def test_reader_metadata() -> None:
    assert OfacSdnCsvReader.NAME == "ofac_sdn_csv"
    assert OfacConsCsvReader.NAME == "ofac_cons_csv"
    assert "SDN" in OfacSdnCsvReader.TITLE


# --- fuzzing --------------------------------------------------------------

POSITIONS = ("line ",)


@FUZZ
@given(data=st.binary(max_size=400))
def test_fuzz_arbitrary_bytes(tmp_path: Path, data: bytes) -> None:
    (tmp_path / "sdn.csv").write_bytes(data)
    parses_or_reader_error(OfacSdnCsvReader(tmp_path / "sdn.csv"), POSITIONS)


@FUZZ
@given(
    start=st.integers(0, 9_000), length=st.integers(0, 200), junk=st.binary(max_size=8)
)
def test_fuzz_damaged_excerpt(
    tmp_path: Path, start: int, length: int, junk: bytes
) -> None:
    for name in ("alt.csv", "add.csv", "sdn_comments.csv"):
        shutil.copy(SDN / name, tmp_path / name)
    whole = (SDN / "sdn.csv").read_bytes()
    damaged = whole[:start] + junk + whole[start + length :]
    (tmp_path / "sdn.csv").write_bytes(damaged)
    parses_or_reader_error(OfacSdnCsvReader(tmp_path), POSITIONS)


CELLS = st.sampled_from(
    ["-0- ", "individual", "vessel", "SDGT] [FTO", "DOE, John", "1", ""]
) | st.text(max_size=40)
REMARKS = st.lists(
    st.sampled_from(
        [
            "DOB 1960 to 1970",
            "DOB circa 12 Jan 1980",
            "alt. DOB Feb 31 1990",
            "Passport A1 (Iran) issued 01 Jan 2000 expires 2010",
            "Passport (Iran)",
            "National ID No. D48(9) (Hong Kong)",
            "a.k.a. 'X'",
            "Digital Currency Address - XBT abc",
            "Gender Female",
            "nationality possibly Narnia",
            "Listing Date (EO 1): 99 Zzz 9999",
            "Vessel Registration Identification IMO 1234567",
            "(unclosed",
        ]
    )
    | st.text(max_size=30),
    max_size=6,
).map("; ".join)


@FUZZ
@given(
    num=st.integers(0, 99),
    cells=st.lists(CELLS, min_size=10, max_size=10),
    remarks=REMARKS,
)
def test_fuzz_row_values(
    tmp_path: Path, num: int, cells: list[str], remarks: str
) -> None:
    row = [str(num), *cells, remarks]
    text = ",".join('"' + cell.replace('"', '""') + '"' for cell in row) + "\r\n"
    (tmp_path / "sdn.csv").write_text(text, encoding="utf-8", newline="")
    parses_or_reader_error(OfacSdnCsvReader(tmp_path), POSITIONS)


# --- the full lists in ../shared/data -------------------------------------


@pytest.fixture(scope="module")
def full_sdn() -> dict[str, EntityProxy]:
    return read_all(OfacSdnCsvReader(FULL_SDN))


def parties_of(entities: dict[str, EntityProxy]) -> list[EntityProxy]:
    return [e for e in entities.values() if e.schema.name not in _SECONDARY]


@pytest.mark.shared_data
@needs(FULL_SDN / "sdn.csv")
def test_full_sdn_counts(full_sdn: dict[str, EntityProxy]) -> None:
    counts = schema_counts(full_sdn)
    assert {k: counts[k] for k in ("Person", "Organization", "Vessel", "Airplane")} == {
        "Person": 4620,
        "Organization": 3673,
        "Vessel": 406,
        "Airplane": 277,
    }
    assert len(parties_of(full_sdn)) == counts["Sanction"] == 8976
    sanctions = [e for e in full_sdn.values() if e.schema.name == "Sanction"]
    assert sum("SDGT" in s.get("program") for s in sanctions) == 1709
    # SDGT, plus two FTO-only entries (IRGC GROUND FORCES, IRGC NAVY).
    terror = [e for e in parties_of(full_sdn) if "crime.terror" in e.get("topics")]
    assert len(terror) == 1711
    assert counts["Passport"] == 1552
    assert counts["Identification"] == 1769
    assert counts["CryptoWallet"] == 97


@pytest.mark.shared_data
@needs(FULL_SDN / "sdn.csv")
def test_full_sdn_spot_checks(full_sdn: dict[str, EntityProxy]) -> None:
    hizballah = full_sdn["ofac-4697"]
    assert hizballah.get("name") == ["HIZBALLAH"]
    assert "PARTY OF GOD" in hizballah.get("alias")
    assert "crime.terror" in hizballah.get("topics")
    zawahiri = full_sdn["ofac-2676"]
    assert zawahiri.get("name") == ["Dr. Ayman AL ZAWAHIRI"]
    assert "Ayman AL-ZAWAHIRI" in zawahiri.get("alias")
    assert zawahiri.get("birthDate") == ["1951-06-19"]
    assert zawahiri.get("birthPlace") == ["Giza, Egypt"]
    assert zawahiri.get("passportNumber") == ["1084010", "19820215"]
    assert full_sdn["ofac-2676-sanction"].get("program") == ["SDGT"]
    assert full_sdn["ofac-15036"].get("imoNumber") == ["IMO9187629"]
    overflow = full_sdn["ofac-28264"]
    assert overflow.get("notes")[0].endswith("Linked To: LAZARUS GROUP.")


@pytest.mark.shared_data
@needs(FULL_CONS / "cons_prim.csv")
def test_full_consolidated_list() -> None:
    cons = read_all(OfacConsCsvReader(FULL_CONS))
    counts = schema_counts(cons)
    assert counts["Sanction"] == 442
    assert counts["Person"] + counts["Organization"] == 442
    assert (counts["Person"], counts["Organization"]) == (79, 363)
    assert cons["ofac-17014"].get("alias")[:1] == ["RUSSIAN AGRICULTURAL BANK"]
    assert cons["ofac-9639"].get("birthDate") == ["1962"]
    sanctions = [e for e in cons.values() if e.schema.name == "Sanction"]
    programs = Counter(p for s in sanctions for p in s.get("program"))
    assert programs["NS-PLC"] == 78
