"""Batch query files: both formats, and every bad line reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.errors import InvalidData, ReaderError
from accord.screening.queries import check_birth_date, read_queries


def test_csv_queries(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(
        "id,name,schema,birth_date,nationality,id_number\n"
        "q1,Jane Roe,Person,1970-05-17,gb,X123\n"
        "q2,Acme Ltd,Organization,,,\n",
        encoding="utf-8",
    )
    first, second = read_queries(path)
    assert (first.id, first.birth_date, first.nationality, first.id_numbers) == (
        "q1",
        "1970-05-17",
        "gb",
        ("X123",),
    )
    assert (second.schema, second.birth_date, second.id_numbers) == (
        "Organization",
        None,
        (),
    )


def test_jsonl_queries(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text(
        '{"id": 7, "name": "Jane Roe", "schema": "Person"}\n\n', encoding="utf-8"
    )
    [query] = read_queries(path)
    assert (query.id, query.name) == ("7", "Jane Roe")


def test_missing_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text("id,name\nq1,Jane Roe\n", encoding="utf-8")
    with pytest.raises(ReaderError, match="missing column"):
        read_queries(path)


def test_every_bad_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(
        "id,name,schema,birth_date\n"
        "q1,Jane Roe,Person,1970-13-01\n"
        "q2,,Person,\n"
        "q3,Fine Name,Person,1970\n"
        "q4,Other,Ship,\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidData) as caught:
        read_queries(path)
    assert set(caught.value.errors) == {"line 2", "line 3", "line 5"}
    assert "bad birth date" in caught.value.errors["line 2"]
    assert "missing name" in caught.value.errors["line 3"]


@pytest.mark.parametrize("text", ["1970", "1970-02", "1970-02-28"])
def test_good_birth_dates(text: str) -> None:
    assert check_birth_date(text) == text


@pytest.mark.parametrize("text", ["70", "1970-02-30", "1970/02/01", "x", "1970-1-1-1"])
def test_bad_birth_dates(text: str) -> None:
    with pytest.raises(InvalidData):
        check_birth_date(text)
