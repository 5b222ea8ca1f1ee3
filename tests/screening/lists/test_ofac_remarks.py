"""OFAC remarks: the clauses that carry dates, documents and weak aliases."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.screening.lists.ofac_remarks import (
    Fact,
    ofac_date,
    parse_dob,
    parse_remarks,
)
from tests.screening.lists.support import FUZZ


def test_clauses_become_facts_in_order() -> None:
    remarks = (
        "DOB 10 Jan 1987; alt. DOB circa 1960; nationality China; Gender Male; "
        "Passport A123 (Iran) issued 01 Jan 2000 expires 31 Dec 2009; "
        "Digital Currency Address - ETH 0xabc; a.k.a. 'BNC'; Linked To: X."
    )
    assert parse_remarks(remarks) == [
        Fact("DOB", "10 Jan 1987"),
        Fact("DOB", "circa 1960"),
        Fact("nationality", "China"),
        Fact("Gender", "Male"),
        Fact("Passport", "A123", "Iran", "2000-01-01", "2009-12-31"),
        Fact("Digital Currency Address - ETH", "0xabc"),
        Fact("a.k.a.", "BNC"),
    ]


@pytest.mark.parametrize(
    ("clause", "fact"),
    [
        (
            "National ID No. D489833(9) (Hong Kong)",
            Fact("National ID No.", "D489833(9)", "Hong Kong"),
        ),
        ("National ID No. D489833(9)", Fact("National ID No.", "D489833(9)")),
        ("Passport 265 216 (Egypt)", Fact("Passport", "265 216", "Egypt")),
        (
            "Passport G 649385 issued 08 Sep 2006",
            Fact("Passport", "G 649385", None, "2006-09-08"),
        ),
        ("Tax ID No. 5504036333 (Russia)", Fact("Tax ID No.", "5504036333", "Russia")),
        (
            "Listing Date (EO 14024 Directive 3): 24 Feb 2022",
            Fact("Listing Date", "24 Feb 2022"),
        ),
        ("Effective Date (CMIC) 02 Aug 2021", Fact("Effective Date", "02 Aug 2021")),
        ("Diplomatic Passport D1 (Iran)", Fact("Diplomatic Passport", "D1", "Iran")),
    ],
)
def test_document_clauses(clause: str, fact: Fact) -> None:
    assert parse_remarks(clause) == [fact]


@pytest.mark.parametrize(
    "remarks",
    [
        "Passport issued 21 Jun 1992 in Amman, Jordan",  # no number
        "Linked To: HIZBALLAH",
        "Passportless",
        "(Following data: Passport No.: 1, Eritrea; National ID No.: 2, Kenya)",
        "",
    ],
)
def test_prose_is_not_a_fact(remarks: str) -> None:
    assert parse_remarks(remarks) == []


def test_an_unclosed_parenthesis_does_not_swallow_the_rest() -> None:
    facts = parse_remarks("Position (acting; DOB 1970; Gender Female")
    assert facts == [Fact("DOB", "1970"), Fact("Gender", "Female")]


@pytest.mark.parametrize(
    ("value", "dates"),
    [
        ("1962", ["1962"]),
        ("Feb 1961", ["1961-02"]),
        ("10 Jan 1987", ["1987-01-10"]),
        ("circa 1950", ["1950"]),
        ("circa 07 Jul 1966", ["1966-07-07"]),
        ("1951 to 1953", ["1951", "1952", "1953"]),
        ("01 Jan 1960 to 31 Dec 1962", ["1960", "1961", "1962"]),
        ("01 Oct 1970 to 31 Oct 1970", ["1970-10"]),
        ("01 Jan 1970 to 31 Dec 1970", ["1970"]),
        ("1900 to 1950", ["1900", "1950"]),  # too wide: endpoints only
        ("1970 to 1960", ["1970", "1960"]),  # reversed: endpoints only
        ("1970 to soon", ["1970"]),
        ("31 Feb 1970", []),
        ("sometime", []),
    ],
)
def test_birth_dates(value: str, dates: list[str]) -> None:
    assert parse_dob(value) == dates


def test_ofac_dates() -> None:
    assert ofac_date("10 Jan 1987") == "1987-01-10"
    assert ofac_date("Sept 1987") == "1987-09"
    assert ofac_date("10 1987") is None
    assert ofac_date("10 Foo 1987") is None


@FUZZ
@given(text=st.text(max_size=200))
def test_fuzz_remarks_never_raise(text: str) -> None:
    for fact in parse_remarks(text):
        assert fact.label
        assert fact.value
        for date in parse_dob(fact.value):
            assert date[:4].isdigit()
