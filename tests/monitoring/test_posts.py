"""Plain post files: CSV and JSON lines become the same entities."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from followthemoney import EntityProxy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import ReaderError
from accord.monitoring.posts import PostsCsvReader, PostsJsonlReader, parse_date

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "monitoring"


def shape(entities: list[EntityProxy]) -> list[tuple[str, str]]:
    return sorted((e.schema.name, str(e.id)) for e in entities)


def test_csv_and_jsonl_give_identical_entities() -> None:
    csv_entities = list(PostsCsvReader(FIXTURES / "posts.csv").read())
    jsonl_entities = list(PostsJsonlReader(FIXTURES / "posts.jsonl").read())
    assert shape(csv_entities) == shape(jsonl_entities)


def test_post_columns_become_message_properties() -> None:
    entities = list(PostsCsvReader(FIXTURES / "posts.csv").read())
    messages = {e.first("messageId"): e for e in entities if e.schema.name == "Message"}
    assert set(messages) == {"p1", "p2", "p3"}
    assert messages["p1"].first("publisher") == "town-forum"
    assert messages["p3"].first("inReplyToMessage") == messages["p2"].id
    assert messages["p3"].first("date") == "2024-01-03T09:30:00"
    assert json.loads(str(messages["p3"].first("metadata")))["links"] == [
        "https://example.org/x"
    ]
    authors = {e.first("name") for e in entities if e.schema.name == "UserAccount"}
    assert {"alice", "bob", "Far Away Channel", "town-forum"} <= authors
    wallets = [
        e.first("publicKey") for e in entities if e.schema.name == "CryptoWallet"
    ]
    assert wallets == ["3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-02T10:00:00Z", "2024-01-02T10:00:00+00:00"),
        ("1704200000", "2024-01-02T12:53:20+00:00"),
        ("03/01/2024 09:30", "2024-01-03T09:30:00+00:00"),
        ("19/5/19", "2019-05-19T00:00:00+00:00"),
    ],
)
def test_dates_in_common_scrape_layouts(value: str, expected: str) -> None:
    assert parse_date(value) == expected


def test_csv_without_required_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("id,text\n1,hello\n", encoding="utf-8")
    with pytest.raises(ReaderError) as caught:
        list(PostsCsvReader(path).read())
    assert caught.value.position == "line 1"
    assert "author" in caught.value.reason


def test_bad_date_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    good = {"id": 1, "author": "a", "date": "2024-01-01", "text": "x"}
    bad = {"id": 2, "author": "a", "date": "next week", "text": "y"}
    path.write_text(
        json.dumps(good) + "\n\n" + json.dumps(bad) + "\n", encoding="utf-8"
    )
    with pytest.raises(ReaderError) as caught:
        list(PostsJsonlReader(path).read())
    assert caught.value.position == "line 3"


@settings(max_examples=120, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.text(max_size=40), max_size=4))
def test_fuzzed_jsonl_reads_or_raises_reader_error(
    tmp_path: Path, lines: list[str]
) -> None:
    path = tmp_path / "fuzz.jsonl"
    path.write_text(
        "\n".join(line.replace("\n", " ") for line in lines), encoding="utf-8"
    )
    try:
        entities = list(PostsJsonlReader(path).read())
    except ReaderError as exc:
        assert exc.position.startswith("line")
        return
    assert all(entity.id for entity in entities)
