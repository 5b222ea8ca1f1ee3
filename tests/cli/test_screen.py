"""``accord screen`` as a user runs it, against a list file and a dataset."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_commands import accord
from tests.conftest import FIXTURES

UN_EXCERPT = str(FIXTURES / "un_sc_excerpt.xml")


def test_screen_one_name_against_a_list_file(tmp_path: Path) -> None:
    result = accord(
        tmp_path,
        "screen",
        "Aqsa Mahmud",
        "--schema",
        "Person",
        "--against",
        UN_EXCERPT,
        "--json",
    )
    assert result.returncode == 0, result.stderr
    [best, *_] = json.loads(result.stdout)
    assert best["entity_id"] == "unsc-6908473"
    assert best["match"] is True
    assert "name_match" in best["explanation"]


def test_screen_batch_writes_one_line_per_query(tmp_path: Path) -> None:
    queries = tmp_path / "queries.csv"
    queries.write_text(
        "id,name,schema,birth_date\n"
        "c1,Aqsa Mahmood,Person,1994\n"
        "c2,Margaret Ellison,Person,1975\n",
        encoding="utf-8",
    )
    out = tmp_path / "results.jsonl"
    result = accord(
        tmp_path,
        "screen",
        "batch",
        "--against",
        UN_EXCERPT,
        "--queries",
        str(queries),
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["query_id"] for line in lines] == ["c1", "c2"]
    assert lines[0]["results"][0]["entity_id"] == "unsc-6908473"
    assert lines[0]["results"][0]["match"] is True
    assert not any(r["match"] for r in lines[1]["results"])
    assert "2 queries, 1 with a match" in result.stdout


def test_screen_batch_refuses_bad_lines_before_screening(tmp_path: Path) -> None:
    queries = tmp_path / "queries.csv"
    queries.write_text(
        "id,name,schema,birth_date\nc1,,Person,\nc2,X,Person,19x\n", "utf-8"
    )
    out = tmp_path / "results.jsonl"
    result = accord(
        tmp_path,
        "screen",
        "batch",
        "--against",
        UN_EXCERPT,
        "--queries",
        str(queries),
        "--out",
        str(out),
    )
    assert result.returncode == 1
    assert "line 2" in result.stderr and "line 3" in result.stderr
    assert not out.exists()


def test_screen_against_stored_datasets(tmp_path: Path) -> None:
    assert accord(tmp_path, "demo").returncode == 0
    result = accord(
        tmp_path, "screen", "Ibrahim Hassan Tali al-Asiri", "--against", "un_sc"
    )
    assert result.returncode == 0
    assert "MATCH" in result.stdout
    assert "unsc-2962519" in result.stdout


def test_empty_name_is_an_error(tmp_path: Path) -> None:
    result = accord(tmp_path, "screen", "  ", "--against", UN_EXCERPT)
    assert result.returncode == 1
    assert "empty name" in result.stderr
