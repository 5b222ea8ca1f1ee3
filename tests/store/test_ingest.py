"""Ingest: atomic per batch, idempotent, versioned, on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from followthemoney import EntityProxy, model

from accord.errors import Forbidden, InvalidData, ReaderError
from accord.model.dataset import DatasetInfo
from accord.model.marking import Marking, Tlp
from accord.service import Accord
from accord.store import SourceFile
from tests.factory import person, request, write_jsonl


def test_ingest_stores_statements_with_provenance(
    service: Accord, tmp_path: Path
) -> None:
    path = write_jsonl(
        tmp_path / "a.jsonl", [person("p1", "Jane Roe", birthDate="1970")]
    )
    result = service.ingest(service.local_actor(), request(path, "alpha_people"))
    assert (result.entities, result.skipped) == (1, False)
    [entity] = list(service.store.entities())
    assert entity.id == "p1"
    assert entity.get("name") == ["Jane Roe"]
    stmts = {s.prop: s for s in entity.statements}
    assert stmts["name"].dataset == "alpha_people"
    assert stmts["name"].first_seen == stmts["name"].last_seen
    info = service.store.get_dataset("alpha_people")
    assert info.agency == "alpha"
    assert info.marking == Marking(Tlp.AMBER)


def test_same_file_twice_changes_nothing(service: Accord, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [person("p1", "Jane Roe")])
    service.ingest(service.local_actor(), request(path, "people"))
    before = [s.to_dict() for e in service.store.entities() for s in e.statements]
    again = service.ingest(service.local_actor(), request(path, "people"))
    after = [s.to_dict() for e in service.store.entities() for s in e.statements]
    assert again.skipped
    assert before == after
    actions = [r.action for r in service.store.audit_records()]
    assert actions.count("ingest") == 1
    assert actions.count("ingest.skipped") == 1


def test_new_version_keeps_first_seen_and_retires_withdrawn_values(
    service: Accord, tmp_path: Path
) -> None:
    v1 = write_jsonl(
        tmp_path / "v1.jsonl", [person("p1", "Jane Roe"), person("p2", "John Doe")]
    )
    v2 = write_jsonl(
        tmp_path / "v2.jsonl", [person("p1", "Jane Roe", nationality="fr")]
    )
    service.ingest(service.local_actor(), request(v1, "people"))
    first = {s.prop: s for e in service.store.entities() for s in e.statements}
    service.ingest(service.local_actor(), request(v2, "people"))
    entities = {e.id: e for e in service.store.entities()}
    assert set(entities) == {"p1"}
    name = next(s for s in entities["p1"].statements if s.prop == "name")
    assert name.first_seen == first["name"].first_seen
    assert name.last_seen > first["name"].last_seen
    assert entities["p1"].get("nationality") == ["fr"]
    assert service.store.count_statements("people") > len(
        list(entities["p1"].statements)
    )


def _failing_entities(good: int) -> Iterator[EntityProxy]:
    for index in range(good):
        entity = model.make_entity("Person")
        entity.id = f"p{index}"
        entity.add("name", f"Person {index}")
        yield entity
    raise ReaderError("broken.jsonl", f"line {good + 1}", "truncated JSON")


@pytest.mark.parametrize("good", [0, 5, 5000])
def test_failed_ingest_leaves_store_unchanged(service: Accord, good: int) -> None:
    actor = service.local_actor()
    info = DatasetInfo("broken", "alpha", Marking(Tlp.GREEN))
    source = SourceFile(Path("broken.jsonl"), "0" * 64, "ftm_jsonl")
    with pytest.raises(ReaderError, match="line"):
        service.store.ingest(actor, info, _failing_entities(good), source)
    assert service.store.list_datasets() == []
    assert service.store.count_statements() == 0
    assert service.store.audit_records("ingest.failed")
    assert service.store.verify_audit() == []


def test_failed_new_version_keeps_the_old_one(service: Accord, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [person("p1", "Jane Roe")])
    service.ingest(service.local_actor(), request(path, "people"))
    before = [s.to_dict() for e in service.store.entities() for s in e.statements]
    info = service.store.get_dataset("people")
    source = SourceFile(Path("v2.jsonl"), "1" * 64, "ftm_jsonl")
    with pytest.raises(ReaderError):
        service.store.ingest(service.local_actor(), info, _failing_entities(3), source)
    after = [s.to_dict() for e in service.store.entities() for s in e.statements]
    assert before == after


def test_another_agencys_dataset_is_refused(service: Accord, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [person("p1", "Jane Roe")])
    service.ingest(service.local_actor(), request(path, "people"))
    other = write_jsonl(tmp_path / "b.jsonl", [person("p2", "John Doe")])
    with pytest.raises(Forbidden, match="belongs to agency 'alpha'"):
        service.ingest(service.local_actor(), request(other, "people", agency="bravo"))


def test_changed_marking_is_refused(service: Accord, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [person("p1", "Jane Roe")])
    service.ingest(service.local_actor(), request(path, "people", tlp=Tlp.AMBER))
    other = write_jsonl(tmp_path / "b.jsonl", [person("p2", "John Doe")])
    with pytest.raises(InvalidData, match="TLP:AMBER"):
        service.ingest(service.local_actor(), request(other, "people", tlp=Tlp.GREEN))


def test_empty_file_is_refused(service: Accord, tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n", encoding="utf-8")
    with pytest.raises(InvalidData, match="no entities"):
        service.ingest(service.local_actor(), request(path, "people"))
    assert service.store.list_datasets() == []
