"""Helpers shared by the list reader tests."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from followthemoney import EntityProxy
from hypothesis import HealthCheck, settings

from accord.errors import ReaderError
from accord.readers.base import Reader

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lists"
WATCHLISTS = Path(__file__).resolve().parents[4] / "shared" / "data" / "watchlists"

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def read_all(reader: Reader) -> dict[str, EntityProxy]:
    """Every entity by id, checking that ids are unique."""
    entities = list(reader.read())
    by_id = {str(entity.id): entity for entity in entities}
    assert len(by_id) == len(entities), "entity ids must be unique"
    return by_id


def schema_counts(entities: dict[str, EntityProxy]) -> Counter[str]:
    return Counter(entity.schema.name for entity in entities.values())


def documents_of(entities: dict[str, EntityProxy], holder: str) -> list[EntityProxy]:
    return [
        e
        for e in entities.values()
        if e.schema.name in ("Passport", "Identification")
        and e.first("holder", quiet=True) == holder
    ]


def reader_error(reader: Reader) -> ReaderError:
    """The ReaderError reading raises; it must name the file."""
    with pytest.raises(ReaderError) as info:
        list(reader.read())
    return info.value


def parses_or_reader_error(reader: Reader, positions: tuple[str, ...]) -> None:
    """The fuzz property: entities with ids, or a located ReaderError."""
    try:
        for entity in reader.read():
            assert entity.id
            assert entity.schema.name
    except ReaderError as error:
        assert error.position.startswith(positions), error.position
        assert error.reason


def needs(path: Path) -> pytest.MarkDecorator:
    """Skip, saying why, when a real list from ../shared/data is absent."""
    return pytest.mark.skipif(
        not path.exists(), reason=f"the real list is not present at {path}"
    )
