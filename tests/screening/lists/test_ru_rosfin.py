"""Rosfinmonitoring's list, from the page (HTML) and from its text; names invented."""

from __future__ import annotations

from pathlib import Path

import pytest
from followthemoney import EntityProxy
from hypothesis import given
from hypothesis import strategies as st

from accord.errors import SourceError
from accord.screening.lists.ru_rosfin import RuRosfinReader
from accord.screening.lists.ru_rosfin_entry import parse_entry
from tests.screening.lists.support import (
    FIXTURES,
    FUZZ,
    parses_or_reader_error,
    read_all,
    reader_error,
    schema_counts,
)

HTML = FIXTURES / "rosfin.html"
TEXT = FIXTURES / "rosfin.txt"


@pytest.fixture(scope="module")
def rosfin() -> dict[str, EntityProxy]:
    return read_all(RuRosfinReader(HTML))


def by_name(entities: dict[str, EntityProxy], name: str) -> EntityProxy:
    return next(e for e in entities.values() if name in e.get("name", quiet=True))


def sanction_of(entities: dict[str, EntityProxy], party: EntityProxy) -> EntityProxy:
    return entities[f"{party.id}-sanction"]


def test_counts_per_schema(rosfin: dict[str, EntityProxy]) -> None:
    assert schema_counts(rosfin) == {"Organization": 3, "Person": 4, "Sanction": 7}


def test_html_and_text_give_the_same_entities(rosfin: dict[str, EntityProxy]) -> None:
    from_text = read_all(RuRosfinReader(TEXT))
    assert [e.to_dict() for e in from_text.values()] == [
        e.to_dict() for e in rosfin.values()
    ]


def test_menus_and_footers_are_not_entries(rosfin: dict[str, EntityProxy]) -> None:
    names = [n for e in rosfin.values() for n in e.get("name", quiet=True)]
    assert not any("Политика" in name or "Главная" in name for name in names)


def test_russian_person(rosfin: dict[str, EntityProxy]) -> None:
    person = by_name(rosfin, "ОБРАЗЦОВ ИВАН ПЕТРОВИЧ")
    assert person.schema.name == "Person"
    assert person.get("name") == ["ОБРАЗЦОВ ИВАН ПЕТРОВИЧ"]  # the "*" is a flag
    assert person.get("alias") == ["OBRAZTSOV IVAN PETROVICH"]
    assert person.get("birthDate") == ["1980-02-01"]
    assert person.get("birthPlace") == ["Г. ПРИМЕРСК"]
    assert person.get("notes") == ["Marked * in the list: under criminal prosecution"]
    assert person.get("topics") == ["sanction", "crime.terror"]
    sanction = sanction_of(rosfin, person)
    assert sanction.get("program") == ["National part"]
    assert sanction.get("authorityId") == ["1"]
    assert sanction.get("authority") == [
        "Federal Financial Monitoring Service (Rosfinmonitoring)"
    ]


def test_place_over_two_lines_and_no_alias(rosfin: dict[str, EntityProxy]) -> None:
    person = by_name(rosfin, "ТЕСТОВА АННА СЕРГЕЕВНА")
    assert not person.has("alias")
    assert not person.has("notes")
    assert person.get("birthDate") == ["1992-07-15"]
    assert person.get("birthPlace") == [
        "С. ОБРАЗЦОВО, ПРИМЕРНЫЙ РАЙОН, ПРИМЕРНАЯ ОБЛАСТЬ"
    ]


def test_several_aliases_and_a_year_of_birth(rosfin: dict[str, EntityProxy]) -> None:
    person = by_name(rosfin, "УСЛОВНЫЙ ПЁТР")
    assert person.get("alias") == ["УСЛОВНЫЙ ПЕТР", "USLOVNYY PYOTR"]
    assert person.get("birthDate") == ["1975"]
    assert not person.has("birthPlace")


def test_organisations(rosfin: dict[str, EntityProxy]) -> None:
    movement = by_name(rosfin, 'МЕЖДУНАРОДНОЕ ДВИЖЕНИЕ "ПРИМЕР"')
    assert movement.schema.name == "Organization"
    assert movement.get("alias") == ['INTERNATIONAL MOVEMENT "PRIMER"']
    assert movement.get("innCode") == ["7700000009"]
    assert movement.get("ogrnCode") == ["1000000000000"]
    # A comma inside the quoted name stays in the name.
    company = by_name(
        rosfin, 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "ОБРАЗЕЦ, ПЛЮС"'
    )
    assert company.get("incorporationDate") == ["2003-02-01"]
    front = by_name(rosfin, 'ОРГАНИЗАЦИЯ "ПРИМЕРНЫЙ ФРОНТ"')
    assert front.get("alias") == ["EXAMPLE FRONT", "FRONT DE L'EXEMPLE"]
    assert sanction_of(rosfin, front).get("program") == ["International part"]


def test_international_person(rosfin: dict[str, EntityProxy]) -> None:
    person = by_name(rosfin, "ЭКЗАМПЛ ДЖОН")
    assert person.get("alias") == ["EXAMPLE JOHN"]
    assert person.get("birthDate") == ["1985-04-03"]  # written "г. р."
    assert person.get("birthPlace") == ["ПРИМЕРНАЯ РЕСПУБЛИКА"]
    assert sanction_of(rosfin, person).get("program") == ["International part"]


def test_ids_survive_renumbering(tmp_path: Path) -> None:
    text = TEXT.read_text(encoding="utf-8")
    renumbered = text.replace("1. ОБРАЗЦОВ", "17. ОБРАЗЦОВ")
    path = tmp_path / "list.txt"
    path.write_text(renumbered, encoding="utf-8")
    assert set(read_all(RuRosfinReader(path))) == set(read_all(RuRosfinReader(TEXT)))


@pytest.mark.parametrize(
    ("body", "person", "expected"),
    [
        (
            "ФАМИЛИЯ ИМЯ*, (FAMILIYA IMYA), 01.02.1980 г.р. , Г. ГОРОД",
            True,
            ("ФАМИЛИЯ ИМЯ", ["FAMILIYA IMYA"], ["1980-02-01"], "Г. ГОРОД"),
        ),
        (
            "ФАМИЛИЯ ИМЯ, 1.2.1980 г. р.",
            True,
            ("ФАМИЛИЯ ИМЯ", [], ["1980-02-01"], None),
        ),
        ("ФАМИЛИЯ", True, ("ФАМИЛИЯ", [], [], None)),
        (
            "ДВИЖЕНИЕ (DVIZHENIE) (MOVEMENT; MOUVEMENT)",
            False,
            ("ДВИЖЕНИЕ", ["DVIZHENIE", "MOVEMENT", "MOUVEMENT"], [], None),
        ),
    ],
)
def test_entry_parts(
    body: str, person: bool, expected: tuple[str, list[str], list[str], str | None]
) -> None:
    entry = parse_entry(body, person=person)
    assert (entry.name, entry.aliases, entry.birth_dates, entry.place) == expected


def test_entry_before_any_section_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_text("Перечень\n1. ФАМИЛИЯ ИМЯ, 01.02.1980 г.р.;\n", encoding="utf-8")
    error = reader_error(RuRosfinReader(path))
    assert error.path == str(path)
    assert error.position == "line 2"
    assert error.reason.startswith("entry before any section")


def test_entry_without_a_name_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "list.html"
    path.write_text(
        '<html><div id="russianFL"><ol>\n<li>1. ФАМИЛИЯ;</li>\n<li>2. (ALIAS ONLY);</li>'
        "</ol></div></html>",
        encoding="utf-8",
    )
    error = reader_error(RuRosfinReader(path))
    assert (error.position, error.reason) == ("line 3", "entry has no name")


def test_undecodable_line_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_bytes("Физические лица\n".encode() + b"1. \xff\xfe;\n")
    error = reader_error(RuRosfinReader(path))
    assert error.position == "line 2"
    assert error.reason.startswith("not utf-8")


def test_a_declared_windows_1251_page_is_decoded(tmp_path: Path) -> None:
    page = (
        '<html><head><meta charset="windows-1251"></head><body>'
        '<div id="foreignFL"><ol><li>1. ФАМИЛИЯ ИМЯ, 01.02.1980 г.р.;</li></ol></div>'
        "</body></html>"
    )
    path = tmp_path / "list.html"
    path.write_bytes(page.encode("cp1251"))
    (party, _sanction) = read_all(RuRosfinReader(path)).values()
    assert party.get("name") == ["ФАМИЛИЯ ИМЯ"]


def test_missing_file_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError):
        list(RuRosfinReader(tmp_path / "absent.html").read())


def test_reader_metadata() -> None:
    assert RuRosfinReader.NAME == "ru_rosfin"


POSITIONS = ("line ",)


@FUZZ
@given(data=st.binary(max_size=300))
def test_fuzz_arbitrary_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "list"
    path.write_bytes(data)
    parses_or_reader_error(RuRosfinReader(path), POSITIONS)


@FUZZ
@given(
    source=st.sampled_from([HTML, TEXT]),
    start=st.integers(0, 4_000),
    length=st.integers(0, 200),
    junk=st.binary(max_size=8),
)
def test_fuzz_damaged_fixtures(
    tmp_path: Path, source: Path, start: int, length: int, junk: bytes
) -> None:
    whole = source.read_bytes()
    path = tmp_path / source.name
    path.write_bytes(whole[:start] + junk + whole[start + length :])
    parses_or_reader_error(RuRosfinReader(path), POSITIONS)


PIECES = st.sampled_from(
    [
        "ФАМИЛИЯ",
        "*",
        ",",
        " ",
        "(",
        ")",
        ";",
        "01.02.1980",
        "г.р.",
        "ИНН: 1",
        "ОГРН:",
        "1.",
    ]
)


@FUZZ
@given(
    heading=st.sampled_from(["Российские организации", "Иностранные физические лица"]),
    entries=st.lists(st.lists(PIECES | st.text(max_size=5), max_size=12), max_size=4),
)
def test_fuzz_entry_text(
    tmp_path: Path, heading: str, entries: list[list[str]]
) -> None:
    lines = [heading] + [f"{n}. {''.join(parts)}" for n, parts in enumerate(entries, 1)]
    path = tmp_path / "list.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    parses_or_reader_error(RuRosfinReader(path), POSITIONS)
