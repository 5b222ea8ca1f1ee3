"""STIX bundles and MISP events as plain ingest formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.errors import ReaderError
from accord.model.marking import Marking, Tlp
from accord.service import Accord, IngestRequest
from accord.sharing.misp import misp_event
from accord.sharing.release import Release, ReleasedEntity, ReleasedValue
from accord.sharing.stix import StixWriter
from tests.sharing.test_readers import foreign_bundle


def release() -> Release:
    red = ReleasedValue("notes", "kept on ingest", Marking(Tlp.RED), "", "")
    name = ReleasedValue("name", "Jane Roe", Marking(Tlp.GREEN), "", "")
    return Release("x", [ReleasedEntity("p1", "Person", (name, red))])


@pytest.mark.parametrize(
    ("fmt", "payload"),
    [
        ("stix21", lambda: json.dumps(StixWriter("a").bundle(release()))),
        ("misp_event", lambda: json.dumps(misp_event(release(), "a"))),
    ],
)
def test_bundle_files_ingest_under_the_dataset_marking(
    service: Accord, tmp_path: Path, fmt: str, payload: object
) -> None:
    path = tmp_path / "bundle.json"
    path.write_text(payload())  # type: ignore[operator]
    request = IngestRequest(path, fmt, "local_copy", "alpha", Marking(Tlp.AMBER))
    result = service.ingest(service.local_actor(), request)
    assert result.entities == 1
    entity = service.store.get_entity(service.local_actor(), "p1")
    assert entity.get("name") == ["Jane Roe"]
    assert entity.get("notes") == ["kept on ingest"]


def test_foreign_stix_file_ingests(service: Accord, tmp_path: Path) -> None:
    path = tmp_path / "foreign.json"
    path.write_bytes(foreign_bundle())
    request = IngestRequest(path, "stix21", "opencti", "alpha", Marking(Tlp.AMBER))
    assert service.ingest(service.local_actor(), request).entities == 4


def test_malformed_bundle_ingests_nothing(service: Accord, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"type": "bundle", "objects": [{"type": "threat-actor"}]}')
    request = IngestRequest(path, "stix21", "bad", "alpha", Marking(Tlp.AMBER))
    with pytest.raises(ReaderError, match="object 0"):
        service.ingest(service.local_actor(), request)
    assert service.store.count_statements() == 0
