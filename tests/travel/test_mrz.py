"""MRZ: specimens, hard errors apart from warnings, long numbers, fuzzing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import InvalidData, ReaderError
from accord.travel.mrz import (
    MrzFormat,
    MrzResult,
    bench,
    check_digit,
    parse_mrz,
    validate_mrz,
)
from tests.travel.support import FIXTURES

TODAY = date(2026, 1, 1)  # the specimen file's "expired as of" date
TD3 = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
]
TD1_LONG = [
    "I<UTOD23145890<7349<<<<<<<<<<<",
    "3407127M9507122UTO<<<<<<<<<<<2",
    "STEVENSON<<PETER<JOHN<<<<<<<<<",
]


def specimens(path: Path) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(path.read_text())["specimens"]
    return records


def codes(issues: tuple[Any, ...]) -> list[str]:
    return [issue.code for issue in issues]


def assert_agrees(specimen: dict[str, Any]) -> None:
    """Fields, every check-digit flag, validity and expiry match the record."""
    result = parse_mrz(specimen["mrz"], today=TODAY)
    expected = dict(specimen["parsed"])
    variant = expected.pop("document_number_check_variant", None)
    assert result.fields == expected, specimen["id"]
    assert result.checks == specimen["check_digits"], specimen["id"]
    assert result.valid == specimen["check_digits_valid"], specimen["id"]
    if specimen["expired_as_of_2026_01_01"] is not None:
        expired = "expired" in codes(result.warnings)
        assert expired == specimen["expired_as_of_2026_01_01"], specimen["id"]
    if variant:
        assert "non_icao_variant" in codes(result.warnings), specimen["id"]


@pytest.mark.shared_data
def test_all_32_specimens_agree(shared_travel: Path) -> None:
    records = specimens(shared_travel / "mrz_specimens.json")
    assert len(records) == 32
    for specimen in records:
        assert_agrees(specimen)


@pytest.mark.shared_data
def test_right_where_the_mrz_package_is_wrong(shared_travel: Path) -> None:
    """`mrz` 0.6.2 rejects 7 documents whose check digits all hold."""
    records = specimens(shared_travel / "mrz_specimens.json")
    rejected = [
        s
        for s in records
        if s["mrz_python_package_0_6_2"]
        and not s["mrz_python_package_0_6_2"]["valid"]
        and s["check_digits_valid"]
    ]
    assert len(rejected) == 7
    for specimen in rejected:
        result = parse_mrz(specimen["mrz"], today=TODAY)
        assert result.valid, specimen["id"]


@pytest.mark.parametrize(
    "specimen",
    specimens(FIXTURES / "mrz_specimens_excerpt.json"),
    ids=lambda s: s["id"],
)
def test_fixture_specimens_agree(specimen: dict[str, Any]) -> None:
    assert_agrees(specimen)


def test_check_digit_of_icao_examples() -> None:
    assert check_digit("L898902C3") == 6
    assert check_digit("740812") == 2
    assert check_digit("120415") == 9
    assert check_digit("<<<<<<<<<") == 0


def test_a_clean_passport_has_no_errors_and_only_soft_warnings() -> None:
    result = parse_mrz(TD3, today=TODAY)
    assert result.format is MrzFormat.TD3
    assert result.valid and result.errors == ()
    assert codes(result.warnings) == ["expired", "specimen_state", "specimen_state"]
    assert result.birth == date(1974, 8, 12)
    assert result.expiry == date(2012, 4, 15)
    assert (result.surname, result.given_names) == ("ERIKSSON", "ANNA MARIA")


def test_a_wrong_check_digit_is_a_hard_error_with_its_place() -> None:
    lines = [TD3[0], TD3[1][:19] + "3" + TD3[1][20:]]
    result = parse_mrz(lines, today=TODAY)
    assert not result.valid
    assert codes(result.errors) == ["check_digit", "check_digit"]
    first = result.errors[0]
    assert (first.field, first.line, first.column) == ("birth_date", 2, 20)
    assert "birth date check digit is '3', computed 2" in first.message
    assert result.errors[1].field == "composite"
    assert "expired" in codes(result.warnings)  # soft problems still reported


def test_illegal_characters_name_line_and_column() -> None:
    lines = [TD3[0], TD3[1][:3] + "x" + TD3[1][4:6] + "É" + TD3[1][7:]]
    result = parse_mrz(lines, today=TODAY)
    charset = [e for e in result.errors if e.code == "charset"]
    assert [(e.line, e.column) for e in charset] == [(2, 4), (2, 7)]
    assert charset[0].message.startswith("line 2, column 4: illegal character 'x'")
    assert result.checks["charset"] is False


def test_validate_raises_with_every_error() -> None:
    lines = [TD3[0], TD3[1][:3] + "?" + TD3[1][4:6] + "?" + TD3[1][7:]]
    with pytest.raises(InvalidData) as info:
        validate_mrz(lines, today=TODAY)
    errors = info.value.errors
    assert "charset" in errors
    assert any(key.startswith("charset (line 2, column 7)") for key in errors)
    assert validate_mrz(TD3, today=TODAY).valid


def test_long_document_number_continues_in_optional_data() -> None:
    result = parse_mrz(TD1_LONG, today=TODAY)
    assert result.valid
    assert result.document_number == "D23145890734"
    assert result.fields["optional_data_1"] == ""
    assert "non_icao_variant" not in codes(result.warnings)


def test_long_document_number_in_a_td2() -> None:
    number = "AB1234567890"
    head = number[:9] + "<" + "UTO740812" + str(check_digit("740812")) + "F"
    line2 = head + "120415" + str(check_digit("120415")) + number[9:]
    line2 += str(check_digit(number))
    line2 = line2.ljust(35, "<")
    composite = line2[0:10] + line2[13:20] + line2[21:35]
    lines = [
        "I<UTOERIKSSON<<ANNA<<<<<<<<<<<<<<<<<",
        line2 + str(check_digit(composite)),
    ]
    result = parse_mrz(lines, today=TODAY)
    assert result.valid, result.errors
    assert result.document_number == number


def test_filler_without_continuation_is_an_error() -> None:
    line1 = "I<UTOD23145890<<<<<<<<<<<<<<<<"
    result = parse_mrz([line1, *TD1_LONG[1:]], today=TODAY)
    assert result.checks["document_number"] is False
    assert (result.errors[0].line, result.errors[0].column) == (1, 15)


def test_belgian_filler_variant_is_accepted_with_a_warning() -> None:
    lines = [
        "IDBEL000590240<6013<<<<<<<<<<<",
        "8512017F1311048BEL851201002007",
        "REINARTZ<<ULRIKE<KATIA<E<<<<<<",
    ]
    result = parse_mrz(lines, today=TODAY)
    assert result.valid
    assert result.document_number == "000590240601"
    variant = [w for w in result.warnings if w.code == "non_icao_variant"]
    assert variant and "Belgian" in variant[0].message


def test_french_identity_card_is_a_flagged_variant() -> None:
    lines = [
        "IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<",
        "9409923102854CORINNE<<<<<<<6512068F4",
    ]
    result = parse_mrz(lines, today=TODAY)
    assert result.format is MrzFormat.FR_CNI and result.valid
    assert result.expiry is None and result.nationality == ""
    assert codes(result.warnings) == ["non_icao_variant"]


def test_unknown_states_and_sex_are_warnings() -> None:
    lines = [
        "P<ASUMXHMWD<<EBDALRXHYM<<<<<<<<<<<<<<<<<<<<<",
        "A2222222<0ASU7108215M04120411000146819<<<<44",
    ]
    result = parse_mrz(lines, today=TODAY)
    assert result.valid
    assert codes(result.warnings).count("unknown_state") == 2
    odd_sex = [TD3[0], TD3[1][:20] + "Q" + TD3[1][21:]]
    assert "unknown_sex" in codes(parse_mrz(odd_sex, today=TODAY).warnings)


def test_impossible_dates_are_warnings_not_errors() -> None:
    birth = "741332"
    line2 = TD3[1][:13] + birth + str(check_digit(birth)) + TD3[1][20:43]
    composite = line2[0:10] + line2[13:20] + line2[21:43]
    result = parse_mrz([TD3[0], line2 + str(check_digit(composite))], today=TODAY)
    assert result.valid
    assert result.birth is None
    assert "birth date '741332' is not a date" in [w.message for w in result.warnings]


def test_century_guess_follows_today() -> None:
    result = parse_mrz(TD3, today=date(2010, 1, 1))
    assert result.birth == date(1974, 8, 12)
    assert result.expiry == date(2012, 4, 15)
    assert "expired" not in codes(result.warnings)


def test_truncated_names_are_flagged() -> None:
    lines = [
        "I<PRT007777779<ZZ92<<<<<<<<<<<",
        "8303143M3405282PRT<<<<<<<<<<<2",
        "CACADOR<DE<ARAUJO<<ANDRE<ESTEV",
    ]
    result = parse_mrz(lines, today=TODAY)
    assert result.surname == "CACADOR DE ARAUJO"
    assert codes(result.warnings) == ["name_truncated"]


def test_text_input_with_whitespace_equals_lines() -> None:
    text = "\r\n  " + TD3[0] + "  \r\n\r\n" + TD3[1] + "\n"
    assert parse_mrz(text, today=TODAY) == parse_mrz(TD3, today=TODAY)


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "P<UTO",
        [TD3[0], TD3[1][:-1]],
        [TD3[0]] * 3,
        [TD3[0][:30]] * 2,
    ],
)
def test_unrecognised_layouts_raise_invalid_data(bad: Any) -> None:
    with pytest.raises(InvalidData) as info:
        parse_mrz(bad)
    assert "length" in info.value.errors


def test_non_text_input_is_invalid_data() -> None:
    with pytest.raises(InvalidData):
        parse_mrz([b"P<UTO"])  # type: ignore[list-item]  # the point of the test
    with pytest.raises(InvalidData):
        parse_mrz(42)  # type: ignore[arg-type]  # the point of the test


def test_to_dict_is_json_ready() -> None:
    data = parse_mrz(TD3, today=TODAY).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["valid"] is True and data["format"] == "TD3"


def test_bench_reports_throughput() -> None:
    report = bench(200, repeat=1)
    assert report["n"] == 200
    assert report["invalid"] == 10  # one in twenty is corrupted on purpose
    assert sum(report["formats"].values()) == 200
    assert report["mrz_per_second"] > 0


def check_outcome(mrz: Any) -> None:
    """Any input parses to a result or raises InvalidData/ReaderError."""
    try:
        result = parse_mrz(mrz, today=TODAY)
    except (InvalidData, ReaderError):
        return
    assert isinstance(result, MrzResult)
    assert result.valid == (not result.errors)
    assert all(isinstance(ok, bool) for ok in result.checks.values())
    assert not any(e.code not in ("check_digit", "charset") for e in result.errors)


@settings(max_examples=300)
@given(st.text(max_size=120))
def test_fuzz_any_text(text: str) -> None:
    check_outcome(text)


MRZ_CHARS = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<<<<<?é ²x")
SHAPES = st.sampled_from([(3, 30), (2, 36), (2, 44)])


@settings(max_examples=500)
@given(data=st.data(), shape=SHAPES, prefix=st.sampled_from(["P<", "I<", "V<", "ID"]))
def test_fuzz_mrz_shaped_lines(data: st.DataObject, shape: Any, prefix: str) -> None:
    count, width = shape
    lines = [
        data.draw(st.text(MRZ_CHARS, min_size=width, max_size=width))
        for _ in range(count)
    ]
    lines[0] = prefix + lines[0][2:]
    check_outcome(lines)
